"""System checks that stop an unsafe production start (`manage.py check`, runserver, migrate,
db_worker and the other commands that run checks), and the same secret-key refusal for servers
that run no checks (gunicorn and uvicorn load config.wsgi / config.asgi, which call
refuse_to_serve()).

Registered when the config package is imported, i.e. with the settings. Not tagged `deploy`: an
unsafe start must fail `manage.py check` and every server, not only `check --deploy`.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# config.settings' default, so that development works with no .env; never valid with DEBUG off.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"  # noqa: S105

DEVELOPMENT_KEY_MESSAGE = (
    "Set SECRET_KEY (50+ random characters) when DEBUG is off: this is the development key, "
    "published in the source, so anyone could forge sessions and password-reset links."
)
DEVELOPMENT_KEY_HINT = (
    'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))" and put it in '
    "the environment or .env (docs/deploy.md). For development, set DEBUG=true (make run does)."
)

PER_PROCESS_CACHE_MESSAGE = (
    "With DEBUG off the cache must be shared by every server process: the default cache is "
    "per-process (LocMemCache), so sign-in lockout and API throttles count per worker and allow "
    "several times their limits."
)
PER_PROCESS_CACHE_HINT = (
    "Set CACHE_URL to redis://host:6379/1, or to dbcache://yardstick_cache and run "
    "`manage.py createcachetable` (docs/deploy.md)."
)

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache",)


@checks.register(checks.Tags.security)
def development_secret_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.SECRET_KEY != DEVELOPMENT_SECRET_KEY:
        return []
    return [checks.Error(DEVELOPMENT_KEY_MESSAGE, hint=DEVELOPMENT_KEY_HINT, id="yardstick.E001")]


@checks.register(checks.Tags.caches)
def shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [checks.Error(PER_PROCESS_CACHE_MESSAGE, hint=PER_PROCESS_CACHE_HINT, id="yardstick.E002")]


def refuse_to_serve() -> None:
    """For the WSGI and ASGI entry points: gunicorn runs no system checks, so refuse here to
    serve with DEBUG off and the development secret key."""
    if development_secret_key():
        raise ImproperlyConfigured(f"{DEVELOPMENT_KEY_MESSAGE} {DEVELOPMENT_KEY_HINT}")
