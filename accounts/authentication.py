"""API token authentication: the token's hash looked up with the user's roles and organisations
in the same query.

Every API request checks permissions, which need the user's groups and memberships; reading them
with the token saves a query per request (see accounts.roles.access_annotations). The query is
compiled once per process (core.db.compiled): it runs on every API request. The last-used time is
written at most once a minute per token, so that a busy client adds no write per request.
A read-only token is refused (403) for anything but GET, HEAD and OPTIONS, whatever the view.
"""

from datetime import UTC, datetime, timedelta
from functools import cache

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from accounts.models import ApiToken
from accounts.roles import access_annotations, set_access
from accounts.tokens import hash_key
from core.db.compiled import CompiledQuery, instance

TOKEN_FIELDS = ["id", "user_id", "name", "scope", "expires_at", "last_used_at"]
LAST_USED_EVERY = timedelta(minutes=1)
INVALID = "Invalid token."
EXPIRED = "This token has expired: issue a new one."
READ_ONLY = "This token is read only: use a read and write token to make changes."


def _aware(value):
    """A raw row's datetime as the ORM would give it (SQLite returns them naive, in UTC)."""
    if isinstance(value, datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value


@cache
def _user_fields() -> tuple[str, ...]:
    return tuple(f.attname for f in get_user_model()._meta.concrete_fields)


def _token_query(key_hash):
    return (
        ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
        .annotate(**access_annotations("user_id"))
        .values_list(*TOKEN_FIELDS, *(f"user__{f}" for f in _user_fields()), "access_groups", "access_orgs")
    )


TOKEN_WITH_ACCESS = CompiledQuery(_token_query, key_hash=str)


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, against hashed, scoped, expiring tokens."""

    def authenticate(self, request):
        result = super().authenticate(request)
        read_only = result is not None and result[1].scope == ApiToken.Scope.READ
        if read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(READ_ONLY)
        return result

    def authenticate_credentials(self, key):
        row = TOKEN_WITH_ACCESS.fetchone(key_hash=hash_key(key))
        if row is None:
            raise exceptions.AuthenticationFailed(INVALID)
        n = len(TOKEN_FIELDS)
        token = instance(ApiToken, "default", TOKEN_FIELDS, [_aware(v) for v in row[:n]])
        user_fields = _user_fields()
        user = instance(get_user_model(), "default", user_fields, row[n : n + len(user_fields)])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        now = timezone.now()
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(EXPIRED)
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        set_access(user, *row[-2:])
        return (user, token)
