"""Lockout against password guessing, shared by the web sign-in and the API token endpoint.

Failures are counted in the shared cache (CACHE_URL), so the limit holds across gunicorn
workers. Two counters: per username (5 failures lock that account for 15 minutes, from any
address) and per client address (50 failures lock that address, whatever usernames it tries).
A successful sign-in clears the username's counter. Limits are read from
settings.YARDSTICK["LOGIN_MAX_FAILURES"], ["LOGIN_MAX_FAILURES_PER_ADDRESS"] and
["LOGIN_LOCKOUT_SECONDS"] when present.

    lockout.ensure_not_locked(username=..., address=lockout.client_address(request))
    user = authenticate(...)
    if user is None: lockout.record_failure(username=..., address=...)
    else: lockout.record_success(username=...)
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from core.errors import DomainError

logger = logging.getLogger(__name__)

DEFAULTS = {
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 50,
    "LOGIN_LOCKOUT_SECONDS": 15 * 60,
}


class TooManyAttempts(DomainError):
    """Sign-in refused because of repeated failures (429)."""

    status_code = 429


def _setting(name: str) -> int:
    return int(getattr(settings, "YARDSTICK", {}).get(name, DEFAULTS[name]))


def _key(kind: str, value: str) -> str:
    # Hashed: usernames are user input and cache keys have a restricted alphabet (memcached).
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"yardstick:login-failures:{kind}:{digest}"


def client_address(request) -> str:
    """The client's IP address. Behind a reverse proxy, set TRUST_X_FORWARDED_FOR so that the
    address the proxy saw (the first X-Forwarded-For entry it sets) is used instead of its own."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ensure_not_locked(*, username: str, address: str) -> None:
    """Raise TooManyAttempts if this username or address has failed too often recently."""
    minutes = max(1, _setting("LOGIN_LOCKOUT_SECONDS") // 60)
    if cache.get(_key("user", username), 0) >= _setting("LOGIN_MAX_FAILURES"):
        raise TooManyAttempts(
            f"Too many failed sign-ins for this account. Wait {minutes} minutes and try again, "
            "or ask an administrator to reset your password.",
            retry_after=_setting("LOGIN_LOCKOUT_SECONDS"),
        )
    if cache.get(_key("address", address), 0) >= _setting("LOGIN_MAX_FAILURES_PER_ADDRESS"):
        raise TooManyAttempts(
            f"Too many failed sign-ins from your network. Wait {minutes} minutes and try again.",
            retry_after=_setting("LOGIN_LOCKOUT_SECONDS"),
        )


def _increment(key: str) -> int:
    timeout = _setting("LOGIN_LOCKOUT_SECONDS")
    # add() is atomic where the backend supports it; the window starts at the first failure.
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout)
        return 1


def record_failure(*, username: str, address: str) -> None:
    failures = _increment(_key("user", username))
    _increment(_key("address", address))
    if failures == _setting("LOGIN_MAX_FAILURES"):
        logger.warning("Sign-in locked after %s failures: username %r from %s", failures, username, address)


def record_success(*, username: str) -> None:
    cache.delete(_key("user", username))


def reset(*, username: str = "", address: str = "") -> None:
    """Clear the counters (an administrator unlocking an account, or tests)."""
    if username:
        cache.delete(_key("user", username))
    if address:
        cache.delete(_key("address", address))
