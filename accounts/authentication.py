"""Token authentication that also reads the user's roles and organisations in the same query.

Every API request checks permissions, which need the user's groups and memberships; reading them
with the token saves a query per request (see accounts.roles.access_annotations). The query is
compiled once per process (core.db.compiled): it runs on every API request.
"""

from functools import cache

from django.contrib.auth import get_user_model
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.roles import access_annotations, set_access
from core.db.compiled import CompiledQuery, instance


@cache
def _user_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in get_user_model()._meta.concrete_fields)


def _token_query(key):
    return (
        Token.objects.filter(key=key)
        .annotate(**access_annotations("user_id"))
        .values_list("key", "user_id", "created", *(f"user__{f}" for f in _user_fields()),
                     "access_groups", "access_orgs")
    )  # fmt: skip


TOKEN_WITH_ACCESS = CompiledQuery(_token_query, key=str)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        row = TOKEN_WITH_ACCESS.fetchone(key=key)
        if row is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        user_fields = _user_fields()
        user = instance(get_user_model(), "default", user_fields, row[3 : 3 + len(user_fields)])
        token = instance(Token, "default", ["key", "user_id", "created"], row[:3])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        set_access(user, *row[-2:])
        return (user, token)
