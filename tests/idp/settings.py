"""Settings of the test identity provider (see tests.idp): everything it needs comes from the
JSON file named by IDP_CONFIG, which tests.idp.serve writes and reads."""

import json
import os
from pathlib import Path

CONFIG = json.loads(Path(os.environ["IDP_CONFIG"]).read_text())

DEBUG = False
SECRET_KEY = CONFIG["secret_key"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": CONFIG["database"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test people only, fast
USE_TZ = True
LOGIN_URL = "/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(CONFIG["private_key"]).read_text(),
    "OAUTH2_VALIDATOR_CLASS": "tests.idp.claims.DirectoryValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Your name and groups", "email": "Your e-mail address"},
    "PKCE_REQUIRED": True,
}
