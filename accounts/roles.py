"""The five roles, as Django groups. Created on every migrate (post_migrate), never by hand."""

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Aggregate, CharField, OuterRef, Subquery


class Role(StrEnum):
    COMMISSIONER = "Commissioner"
    FINANCE = "Finance officer"
    PROVIDER = "Provider"
    ADMIN = "Admin"
    ORG_ADMIN = "Organisation administrator"  # a provider organisation's: invites and removes its staff


# Model permissions each role's group carries in the admin ("app_label.codename" prefixes).
_ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: ("*",),
    Role.COMMISSIONER: (
        "view_",
        "outcomes.add_",
        "outcomes.change_",
        "grants.add_programme",
        "grants.change_programme",
        "grants.add_programmetarget",
        "grants.change_programmetarget",
        "grants.delete_programmetarget",
        "grants.add_programmepriority",
        "grants.change_programmepriority",
        "grants.delete_programmepriority",
        "commissioning.",
        "calls.",
    ),
    Role.FINANCE: ("view_", "grants.add_payment", "grants.change_payment", "grants.change_fundingstream"),
    Role.PROVIDER: (),
    Role.ORG_ADMIN: (),
}

_APPS = ("outcomes", "grants", "commissioning", "calls")


def _matches(perm: Permission, patterns: tuple[str, ...]) -> bool:
    full = f"{perm.content_type.app_label}.{perm.codename}"
    for pattern in patterns:
        if pattern == "*" or full.startswith(pattern):
            return True
        if pattern.endswith("_") and "." not in pattern and perm.codename.startswith(pattern):
            return True
    return False


def ensure_role_groups(**_kwargs) -> None:
    """Create (or bring up to date) one group per role with its admin permissions."""
    perms = list(Permission.objects.filter(content_type__app_label__in=_APPS).select_related("content_type"))
    for role, patterns in _ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([p for p in perms if _matches(p, patterns)])


def load_access(user) -> None:
    """Read a user's group names and organisation memberships once per request, cached on the
    user object (every permission check needs one or both)."""
    # One query: both are short lists, so their cross product (LEFT JOINs) is tiny.
    rows = list(
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list("groups__name", "memberships__organisation_id")
    )
    user._yardstick_roles = {name for name, _ in rows if name is not None}
    user._yardstick_org_ids = {org_id for _, org_id in rows if org_id is not None}


class _CommaJoin(Aggregate):
    """Values joined with commas: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, function="STRING_AGG", template="%(function)s((%(expressions)s)::text, ',')"
        )


def access_annotations(user_ref: str) -> dict:
    """Sub-queries for a user's group names and organisation ids (comma-joined), so that a query
    already reading the user (API token authentication) loads the access with it; see set_access.
    Memberships are read through the user's reverse relation, so accounts needs no grants import."""
    users = get_user_model().objects.filter(pk=OuterRef(user_ref)).order_by()

    def joined(field):
        return Subquery(users.values("pk").annotate(v=_CommaJoin(field)).values("v"))

    return {
        "access_groups": joined("groups__name"),
        "access_orgs": joined("memberships__organisation_id"),
    }


def set_access(user, groups: str | None, orgs: str | None) -> None:
    """Cache the access read by access_annotations() on the user, as load_access() would."""
    user._yardstick_roles = set(groups.split(",")) if groups else set()
    user._yardstick_org_ids = {int(org_id) for org_id in orgs.split(",")} if orgs else set()


def roles_of(user) -> set[Role]:
    """The roles a user holds; a superuser holds the admin role."""
    if not getattr(user, "is_authenticated", False):
        return set()
    names = getattr(user, "_yardstick_roles", None)
    if names is None:
        load_access(user)
        names = user._yardstick_roles
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def is_commissioner(user) -> bool:
    """Commissioners and admins judge and change programmes."""
    return has_role(user, Role.COMMISSIONER, Role.ADMIN)


def is_finance(user) -> bool:
    return has_role(user, Role.FINANCE, Role.ADMIN)


def is_staff_role(user) -> bool:
    """Partnership staff (commissioner, finance officer, admin) see the whole portfolio."""
    return has_role(user, Role.COMMISSIONER, Role.FINANCE, Role.ADMIN)


def is_provider(user) -> bool:
    return has_role(user, Role.PROVIDER)
