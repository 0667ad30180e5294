"""API tokens: issuing (shown once), revoking, and the token endpoint's sign-in.

    issued = token_issue(user=..., name="Case management system", scope=ApiToken.Scope.WRITE, days=365)
    issued.key      # give it to the person now: only its hash is kept
    token_revoke(user=..., token_id=..., reason="Revoked by its owner")

A password change or deactivation revokes every token of the person (accounts.signals).
The API's POST /api/auth/token/ is a thin view over token_sign_in, under the same sign-in
limits as the web (accounts.lockout).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import lockout
from accounts.models import ApiToken
from core.errors import NotFound, ValidationFailed

BAD_CREDENTIALS = "Unable to sign in with that username and password."
USE_TOKEN_PAGE = (
    "This account signs in with two-factor authentication, which a password alone cannot give: "  # noqa: S105
    "create a token on the API tokens page instead (Your account, API tokens)."
)
NAME_TAKEN = "You already have a token with that name: choose another."
BAD_DAYS = "A token lasts between 1 and 730 days."
MAX_DAYS = 730
REVOKED_BY_OWNER = "Revoked by its owner"
REVOKED_PASSWORD_CHANGED = "The password was changed"  # noqa: S105 (a reason)
REVOKED_DEACTIVATED = "The account was deactivated"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the only time the token itself exists outside the client


def token_issue(
    *, user, name: str, scope: str = ApiToken.Scope.WRITE, days: int | None = None
) -> IssuedToken:
    """A new token for `user`; ValidationFailed for a blank or duplicate name or a bad expiry."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": ["Give the token a name, so that you can tell it apart."]})
    if scope not in ApiToken.Scope.values:
        raise ValidationFailed({"scope": ["Choose read only or read and write."]})
    days = settings.YARDSTICK["API_TOKEN_DAYS"] if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed({"days": [BAD_DAYS]})
    key = secrets.token_hex(20)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user,
                name=name,
                scope=scope,
                key_hash=hash_key(key),
                prefix=key[:8],
                expires_at=timezone.now() + timedelta(days=days),
            )
    except IntegrityError:
        raise ValidationFailed({"name": [NAME_TAKEN]}) from None
    return IssuedToken(token=token, key=key)


def token_revoke(*, user, token_id: int, reason: str = REVOKED_BY_OWNER) -> ApiToken:
    """Revoke one of `user`'s own tokens (another person's is not found)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotFound("There is no such token among yours.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_reason = reason
            token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def tokens_revoke_all(*, user_id: int, reason: str) -> int:
    """Revoke every live token of a person; the number revoked."""
    return ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


def tokens_of(*, user):
    return ApiToken.objects.filter(user=user)


def token_sign_in(
    *, request, username: str, password: str, name: str = "", scope: str = ApiToken.Scope.WRITE
) -> str:
    """A new API token for a username and password. TooManyAttempts (429) while the account or
    address is locked; ValidationFailed for wrong credentials."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import ValidationError

    try:
        http_request = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
        user = get_adapter(http_request).authenticate(http_request, username=username, password=password)
    except ValidationError:
        raise lockout.TooManyAttempts(
            lockout.too_many_attempts_message(), retry_after=settings.LOGIN_LOCKOUT_SECONDS
        ) from None
    if user is None or not user.is_active:
        raise ValidationFailed(BAD_CREDENTIALS)
    from accounts import security

    if security.has_mfa(user) or security.mfa_required(user):
        raise ValidationFailed(USE_TOKEN_PAGE)
    name = name.strip() or f"API token issued {timezone.localtime():%Y-%m-%d %H:%M:%S}"
    if ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True).exists():
        name = f"{name} ({secrets.token_hex(3)})"
    return token_issue(user=user, name=name, scope=scope).key
