"""Session security policy: who must use two-factor sign-in, who is signed out when idle, and
re-authentication before sensitive actions.

- MFA: settings.YARDSTICK["MFA_REQUIRED"] (on by default with DEBUG off) and
  ["MFA_REQUIRED_ROLES"], and anyone else who can see participant-level data. At sign-in, a
  person so required without an authenticator is marked in the session;
  accounts.middleware.RequireMfaMiddleware then lets them reach only enrolment and sign-out
  until they add one.
- Idle timeout: staff roles (commissioner, finance officer, admin, organisation administrator)
  are signed out after YARDSTICK["IDLE_TIMEOUT_SECONDS"] without a request.
- Re-authentication: `reauthentication_required` (a view decorator) and
  `ReauthenticationRequiredMixin` ask for the password (or an MFA code) again when the last
  sign-in or re-authentication is older than ACCOUNT_REAUTHENTICATION_TIMEOUT: before recording
  a payment, concluding an award, exporting participant-level data. In the API,
  `RecentlyAuthenticated` (a DRF permission) asks the same of a browser session (403 naming the
  page to confirm the password on); a request with an API token is not asked, as a token is
  issued to a system by a signed-in person and has no password to re-enter.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.decorators import reauthentication_required as _allauth_reauthentication_required
from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from django.conf import settings
from django.urls import reverse
from django.utils.decorators import method_decorator
from rest_framework.permissions import BasePermission

from accounts.roles import Role, roles_of

SESSION_MFA_PENDING = "yardstick_mfa_pending"
SESSION_IDLE = "yardstick_idle_timeout"
SESSION_LAST_SEEN = "yardstick_last_seen"
STAFF_ROLES = {Role.COMMISSIONER, Role.FINANCE, Role.ADMIN, Role.ORG_ADMIN}
MFA_ENROL_MESSAGE = (
    "Your role needs two-factor sign-in. Set up an authenticator app to carry on: "
    "until you do, you can only reach this page and sign out."
)
REAUTHENTICATE_API_MESSAGE = (
    "Confirm your password first: open {url} in this browser, then try again "
    "(asked before concluding an award, recording a payment or exporting participants' data)."
)
IDLE_MESSAGE = "You were signed out because you had not used Yardstick for {minutes} minutes."


# Who can see participant-level data is known only above accounts (the claims app registers its
# check at start-up), so accounts imports no domain app.
_participant_data_checks: list[Callable[[object], bool]] = []


def register_participant_data_check(check: Callable[[object], bool]) -> None:
    if check not in _participant_data_checks:  # ready() may run more than once
        _participant_data_checks.append(check)


def sees_participant_data(user) -> bool:
    return any(check(user) for check in _participant_data_checks)


def mfa_required(user) -> bool:
    """Whether the policy requires two-factor sign-in of this person: one of the roles it names,
    or anyone else who can see participant-level data (a provider whose programmes enrol people)."""
    if not settings.YARDSTICK.get("MFA_REQUIRED"):
        return False
    required = set(settings.YARDSTICK.get("MFA_REQUIRED_ROLES", ()))
    return bool({role.value for role in roles_of(user)} & required) or sees_participant_data(user)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def idle_timeout_applies(user) -> bool:
    return settings.YARDSTICK.get("IDLE_TIMEOUT_SECONDS", 0) > 0 and bool(roles_of(user) & STAFF_ROLES)


def _reauthentication_on(request) -> bool:
    return bool(settings.YARDSTICK.get("REAUTHENTICATE_SENSITIVE", True))


def reauthentication_required(function=None, *, allow_get: bool = True):
    """Ask for the password (or an MFA code) again before the view's POST (a GET shows the page),
    unless the person re-authenticated within ACCOUNT_REAUTHENTICATION_TIMEOUT; the POST is
    replayed after it. YARDSTICK["REAUTHENTICATE_SENSITIVE"] = False turns it off."""
    return _allauth_reauthentication_required(function, allow_get=allow_get, enabled=_reauthentication_on)


class ReauthenticationRequiredMixin:
    """The class-based view form of reauthentication_required."""

    @method_decorator(reauthentication_required)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class RecentlyAuthenticated(BasePermission):
    """The API's form of reauthentication_required, for views that conclude an award, record a
    payment or list participant-level rows: a browser session whose last sign-in or
    re-authentication is older than ACCOUNT_REAUTHENTICATION_TIMEOUT gets a 403 naming the page
    where the password is confirmed. Token requests (request.auth set) are not asked."""

    message = REAUTHENTICATE_API_MESSAGE

    def has_permission(self, request, view) -> bool:
        if request.auth is not None or not request.user.is_authenticated:
            return True  # a token, or nobody (IsAuthenticated answers 401 for that)
        if not _reauthentication_on(request):
            return True
        http_request = getattr(request, "_request", request)
        if not is_reauthentication_required(http_request, app=""):
            return True
        self.message = REAUTHENTICATE_API_MESSAGE.format(url=reverse("account_reauthenticate"))
        return False
