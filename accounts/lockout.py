"""Limits on password guessing, shared by the web sign-in (allauth), the admin and the API token
endpoint: django-allauth's "login_failed" rate limits, counted in the shared cache (CACHE_URL),
so that they hold across gunicorn workers.

Two limits (settings LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_LOCKOUT_SECONDS):
per account (5 failures within 15 minutes lock that username or e-mail address, from any address)
and per client address (50, whatever accounts it tries). A successful sign-in clears the
account's count but not the address's, so that an attacker cannot reset the address count by
signing in to an account of their own between guesses.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit as _ratelimit
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core.errors import DomainError

APP = "allauth.account"
ACTION = "login_failed"


def too_many_attempts_message() -> str:
    minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
    return (
        f"Too many failed sign-ins for this account or from your network. Wait {minutes} minutes "
        "and try again, or reset your password."
    )


class TooManyAttempts(DomainError):
    """Sign-in refused because of repeated failures (429)."""

    status_code = 429


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind a reverse proxy, set TRUST_X_FORWARDED_FOR so that the
    address the proxy saw (the first X-Forwarded-For entry it sets) is used instead of its own."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def account_key(request: HttpRequest, login: str) -> str:
    """The per-account key allauth counts under (its adapter's: the site and the login)."""
    from allauth.account.adapter import get_adapter

    return get_adapter(request)._get_login_attempts_cache_key(request, username=login)


def clear_account(request: HttpRequest, login: str) -> None:
    """Forget the account's failures (after a successful sign-in); the address's stay."""
    key = account_key(request, login)
    for rate in _ratelimit.get_rates(app=APP, action=ACTION):
        if rate.per == "key":
            cache.delete(_ratelimit.get_cache_key(request, app=APP, action=ACTION, rate=rate, key=key))


def reset(request: HttpRequest, *, login: str = "") -> None:
    """Clear the counters for a login and the request's address (an administrator unlocking)."""
    _ratelimit.clear(request=request, app=APP, action=ACTION, key=account_key(request, login))
