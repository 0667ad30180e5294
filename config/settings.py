"""Settings for Yardstick, read from the environment (12-factor, django-environ).

Safe by default: DEBUG is off unless DEBUG=true (make run sets it for the development server).
Production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and CACHE_URL; with DEBUG
off, the development SECRET_KEY and a per-process cache are system-check errors (config.checks)
and config.wsgi refuses to serve with that key. Values may also come from a .env file (ENV_FILE,
default .env next to manage.py), read when present; the real environment wins over it.
"""

from datetime import date
from pathlib import Path

import environ

from config.checks import DEVELOPMENT_SECRET_KEY
from config.oidc import socialaccount_providers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Missing, it is the development key: allowed with DEBUG on, refused with it off (config.checks).
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin_site.YardstickAdminConfig",  # django.contrib.admin with extra pages
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "core",
    "accounts",
    "outcomes",
    "grants",
    "claims",
    "commissioning",
    "commissioning.calls",
    "commissioning.impact",
    "dashboard",
    "audit",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.RequireMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "config.navigation.service_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))

# Lockout and throttle counters live here, so production needs one cache for every process:
# CACHE_URL=redis://... or dbcache://yardstick_cache (config.checks refuses LocMemCache then).
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://yardstick"),
    # Figures computed from the data (core.computed): one per process is right here, as each value
    # is keyed by the data version kept in the database.
    "computed": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "yardstick-computed",
        "OPTIONS": {"MAX_ENTRIES": env.int("COMPUTED_CACHE_ENTRIES", default=2000)},
    },
}

# E-mail (return reminders): EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587,
# smtp+ssl://...:465 or consolemail:// (the default: e-mails are printed, not sent);
# EMAIL_BACKEND, if set, overrides the backend EMAIL_URL names.
_EMAIL = {k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_EMAIL.pop("EMAIL_BACKEND"))
globals().update(_EMAIL)  # EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS...
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Yardstick <yardstick@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Background jobs (core.jobs.enqueue): TASK_BACKEND=database queues them for
# `manage.py db_worker`; unset, they run inline in the request.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env.str("TASK_BACKEND", default="immediate")]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in, sign-out, password change and reset, MFA and single sign-on: django-allauth
# (accounts.adapter decides who may sign up, the messages and the rate limits; docs/deploy.md).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset asked for an unknown address sends nothing
ACCOUNT_SESSION_REMEMBER = False  # shared office machines: a session ends with the browser
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Yardstick: "
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_SECONDS", default=5 * 60)
# Failed sign-ins per account and per client address, counted in the shared cache (CACHE_URL) so
# that the limits hold across gunicorn workers; the API token endpoint counts against the same.
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("LOGIN_MAX_FAILURES_PER_ADDRESS", default=50)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{LOGIN_MAX_FAILURES_PER_ADDRESS}/{LOGIN_LOCKOUT_SECONDS}s/ip,"
        f"{LOGIN_MAX_FAILURES}/{LOGIN_LOCKOUT_SECONDS}s/key"
    ),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Yardstick")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # passkeys on http://localhost in development (not an IP)
# A passkey (WebAuthn with user verification) added under Two-factor sign-in signs in on its own:
# "Use a passkey" on the sign-in page. MFA_PASSKEY_LOGIN=false hides it.
MFA_PASSKEY_LOGIN_ENABLED = env.bool("MFA_PASSKEY_LOGIN", default=True)
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by verified e-mail: accounts.adapter decides
SOCIALACCOUNT_LOGIN_ON_GET = False
# Single sign-on by OpenID Connect, one entry per identity provider, as JSON in OIDC_PROVIDERS:
# [{"id": "entra", "name": "Southwark Council", "server_url": "https://login.microsoftonline.com/
# TENANT/v2.0", "client_id": "...", "secret": "...", "signup_domains": ["southwark.gov.uk"],
# "groups_claim": "groups", "roles": {"GROUP-ID": "Commissioner"}}]; see docs/deploy.md.
OIDC_PROVIDERS = env.json("OIDC_PROVIDERS", default=[])
SOCIALACCOUNT_PROVIDERS = socialaccount_providers(OIDC_PROVIDERS)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "config.storage.StaticStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# Evidence for outcome claims (payslips, certificates): private files, outside static and media,
# never served by a URL of their own; only claims.views / the API's evidence download hand one
# out, to people who may see its claim. docs/deploy.md shows an S3-compatible bucket instead.
EVIDENCE_ROOT = env.path("EVIDENCE_ROOT", default=BASE_DIR / "private" / "evidence")
STORAGES["evidence"] = env.json(
    "EVIDENCE_STORAGE",  # a whole STORAGES entry as JSON, e.g. django-storages' S3Storage
    default={
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(EVIDENCE_ROOT),
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
)

# Yardstick's own settings
YARDSTICK = {
    # Two-factor sign-in (TOTP, recovery codes, passkeys) for the roles below: enrolment is forced
    # at their next sign-in. On by default with DEBUG off (production); the demo that `make run`
    # starts (DEBUG on) offers it without forcing it. MFA_REQUIRED=true|false decides either way.
    "MFA_REQUIRED": env.bool("MFA_REQUIRED", default=not DEBUG),
    "MFA_REQUIRED_ROLES": env.list(
        "MFA_REQUIRED_ROLES",
        default=["Commissioner", "Finance officer", "Admin", "Organisation administrator"],
    ),
    # Ask for the password again (within ACCOUNT_REAUTHENTICATION_TIMEOUT) before recording or
    # reversing a payment, concluding an award or exporting participant-level data.
    "REAUTHENTICATE_SENSITIVE": env.bool("REAUTHENTICATE_SENSITIVE", default=True),
    # Staff roles are signed out after this many seconds without a request (0: never).
    "IDLE_TIMEOUT_SECONDS": env.int("IDLE_TIMEOUT_SECONDS", default=30 * 60),
    # An API token issued without an expiry lasts this many days.
    "API_TOKEN_DAYS": env.int("API_TOKEN_DAYS", default=365),
    # Days after a quarter ends within which a return is on time; later ones are flagged late.
    "RETURN_WINDOW_DAYS": env.int("RETURN_WINDOW_DAYS", default=30),
    # Participants' pseudonyms, enrolment answers, claim notes and evidence are kept this many
    # whole years after the end of every programme a participant was enrolled on; then
    # manage.py purge_participants deletes them (claim counts and payments are kept).
    "PARTICIPANT_RETENTION_YEARS": env.int("PARTICIPANT_RETENTION_YEARS", default=6),
    # load_demo refuses to run with DEBUG off unless this is set (or --force is given).
    "ALLOW_DEMO_DATA": env.bool("ALLOW_DEMO_DATA", default=False),
    # Largest file a person may upload (Excel returns, 360Giving JSON), in bytes.
    "MAX_UPLOAD_BYTES": env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024),
    # Largest evidence file (PDF, PNG, JPEG, DOCX) a provider may attach to a claim, in bytes.
    "MAX_EVIDENCE_BYTES": env.int("MAX_EVIDENCE_BYTES", default=10 * 1024 * 1024),
    # Largest 360Giving file manage.py import_360giving reads, in bytes.
    "MAX_IMPORT_BYTES": env.int("MAX_IMPORT_BYTES", default=50 * 1024 * 1024),
    # The address people reach Yardstick at (https://yardstick.example.org), for links in e-mails.
    "SITE_URL": env.str("SITE_URL", default=""),
    # Days a generated PDF funding review is kept; `manage.py purge_reports` deletes older ones.
    "REPORT_RETENTION_DAYS": env.int("REPORT_RETENTION_DAYS", default=30),
    # The date every "today" in the code reads (core.clock.today), e.g. 2010-11-15 for the demo;
    # unset, it is the real date. `make run` sets it so the demo partnership is mid-year.
    # The partnership's key for participants' pseudonyms (HMAC-SHA256), separate from SECRET_KEY;
    # after a rotation, the chain "old,new" (manage.py rotate_participant_key). Unset, enrolment
    # is refused with a message. docs/data-protection.md says who holds it.
    "PARTICIPANT_KEY": env.str("PARTICIPANT_KEY", default=""),
    "TODAY": date.fromisoformat(_today) if (_today := env.str("YARDSTICK_TODAY", default="")) else None,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",  # DRF's, reading roles in the same query
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    # JSON everywhere: other bodies get 415 rather than being half-understood.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],  # DRF's, refusing hostile JSON with a 400
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "writes": env.str("THROTTLE_WRITES", default="600/minute"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Yardstick API",
    "DESCRIPTION": (
        "Outcome-based commissioning and grant management: programmes, outcome returns, "
        "review rounds and value for money."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProgrammeStatusEnum": "grants.models.Programme.Status",
        "ReturnStatusEnum": "grants.models.OutcomeReturn.Status",
        "CallStatusEnum": "commissioning.calls.models.Call.Status",
        "BidStatusEnum": "commissioning.calls.models.Bid.Status",
        "CallKindEnum": "commissioning.calls.models.Call.Kind",
        "CriterionKindEnum": "commissioning.calls.models.Criterion.Kind",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ClaimAuditStatusEnum": "claims.audit_models.ClaimAudit.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "core.logging.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # A 403 is one line in the log, not a traceback (core.logging).
    "loggers": {"django.request": {"filters": ["one_line_forbidden"]}},
}

# Request bodies: form fields and JSON are capped like files; larger files stream to disk and
# are refused by config.security / core.files.uploads.read_limited above MAX_UPLOAD_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = YARDSTICK["MAX_UPLOAD_BYTES"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # a working day
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a reverse proxy that sets X-Forwarded-For, sign-in lockout counts the client address.
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)

if not DEBUG:
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
