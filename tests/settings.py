"""The settings the suite runs under: the product's, read as a development checkout reads them.

pytest-django imports the settings before any conftest runs and then runs every test with DEBUG
off. The import-time choices that follow from DEBUG (static files storage, the HTTPS redirect and
cookies) must stay the development ones, so DEBUG defaults to on while they are read; the
product's own default (off) is tested in tests/config/test_safe_settings.py.
"""

import os

os.environ.setdefault("DEBUG", "true")
# A checkout's .env (make run writes PARTICIPANT_KEY there) must not change what the suite sees:
# tests set what they need themselves.
os.environ.setdefault("ENV_FILE", os.devnull)
# The suite signs people in with force_login, which records no password sign-in for allauth's
# re-authentication check; tests/accounts turn it on where they test it.
os.environ.setdefault("REAUTHENTICATE_SENSITIVE", "false")

from config.settings import *  # noqa: E402, F403
