"""API token sign-in: a username and password for a token, under the same lockout as the web
sign-in (accounts.lockout). The API's POST /api/auth/token/ is a thin view over this."""

from django.contrib.auth import authenticate
from rest_framework.authtoken.models import Token

from accounts import lockout
from core.errors import ValidationFailed

BAD_CREDENTIALS = "Unable to sign in with that username and password."


def token_sign_in(*, request, username: str, password: str) -> str:
    """The user's API token key. TooManyAttempts (429) while locked; ValidationFailed otherwise."""
    address = lockout.client_address(request)
    lockout.ensure_not_locked(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        lockout.record_failure(username=username, address=address)
        raise ValidationFailed(BAD_CREDENTIALS)
    lockout.record_success(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
