"""Template context: the signed-in user's roles, for navigation."""

from accounts.roles import Role, roles_of


def roles(request) -> dict:
    user_roles = roles_of(getattr(request, "user", None))
    return {
        "user_roles": sorted(r.value for r in user_roles),
        "is_commissioner": bool(user_roles & {Role.COMMISSIONER, Role.ADMIN}),
        "is_finance": bool(user_roles & {Role.FINANCE, Role.ADMIN}),
        "is_provider": Role.PROVIDER in user_roles,
    }
