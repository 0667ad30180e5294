"""Session security in every request (policy in accounts.security): forced MFA enrolment and the
idle timeout for staff roles. Both read only the session, so they add no query to a request."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from accounts import security

# Where a person who must enrol may go: enrolment itself, its help, sign-out, static files.
_ENROLMENT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/", "/static/")


def _is_navigation(request) -> bool:
    """Whether the browser is loading a page (Sec-Fetch-Mode: navigate), not a resource for one;
    a client that sends no Sec-Fetch-Mode (older browsers, scripts) counts as navigating."""
    mode = request.headers.get("Sec-Fetch-Mode")
    return mode is None or mode == "navigate"


class RequireMfaMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        pending = session is not None and session.get(security.SESSION_MFA_PENDING)
        if pending and request.user.is_authenticated and security.has_mfa(request.user):
            session.pop(security.SESSION_MFA_PENDING)  # enrolled (one query, only while pending)
            pending = False
        if pending and request.user.is_authenticated and not request.path.startswith(_ENROLMENT_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": security.MFA_ENROL_MESSAGE}, status=403)
            if not _is_navigation(request):
                # A font, image or script the page asks for, or an htmx fetch: sending it to the
                # enrolment page would make allauth draw a new secret, and the code from the QR
                # code the person just scanned would then be refused.
                return HttpResponseForbidden(security.MFA_ENROL_MESSAGE, content_type="text/plain")
            messages.warning(request, security.MFA_ENROL_MESSAGE, fail_silently=True)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs a staff session out after YARDSTICK["IDLE_TIMEOUT_SECONDS"] without a request. The
    last-seen time is written to the session at most once a minute."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(security.SESSION_IDLE):
            limit = settings.YARDSTICK.get("IDLE_TIMEOUT_SECONDS", 0)
            now = int(time.time())
            last_seen = session.get(security.SESSION_LAST_SEEN, now)
            if limit and now - last_seen > limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session has ended: sign in again."}, status=401)
                messages.info(request, security.IDLE_MESSAGE.format(minutes=max(1, limit // 60)))
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('account_login')}?{query}")
            if now - last_seen >= 60:
                session[security.SESSION_LAST_SEEN] = now
        return self.get_response(request)
