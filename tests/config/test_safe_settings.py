"""Safe settings: DEBUG off by default, no start with DEBUG off and the development secret key,
a shared cache required with DEBUG off, .env read when present, make run turning DEBUG on."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

from config import checks as config_checks

ROOT = Path(__file__).resolve().parents[2]

SECRET_KEY_ERROR = (
    "Set SECRET_KEY (50+ random characters) when DEBUG is off: this is the development key, "
    "published in the source, so anyone could forge sessions and password-reset links."
)
SECRET_KEY_HINT = (
    'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))" and put it in '
    "the environment or .env (docs/deploy.md). For development, set DEBUG=true (make run does)."
)
CACHE_ERROR = (
    "With DEBUG off the cache must be shared by every server process: the default cache is "
    "per-process (LocMemCache), so sign-in lockout and API throttles count per worker and allow "
    "several times their limits."
)
CACHE_HINT = (
    "Set CACHE_URL to redis://host:6379/1, or to dbcache://yardstick_cache and run "
    "`manage.py createcachetable` (docs/deploy.md)."
)


def clean_env(tmp_path, **values) -> dict:
    """Only what a fresh shell has, with no .env (ENV_FILE names a file that does not exist)."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SYSTEMROOT") if k in os.environ}
    return (
        keep
        | {"ENV_FILE": str(tmp_path / "absent.env"), "DJANGO_SETTINGS_MODULE": "config.settings"}
        | values
    )


def run(*args, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def show(expression: str, env) -> str:
    result = run("-c", f"from django.conf import settings as s; print({expression})", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_by_default(tmp_path):
    assert (
        show("s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE", clean_env(tmp_path))
        == "False True True"
    )
    assert show("s.DEBUG", clean_env(tmp_path, DEBUG="true")) == "True"


def test_manage_check_refuses_the_development_key_with_debug_off(tmp_path):
    result = run("manage.py", "check", env=clean_env(tmp_path, CACHE_URL="dbcache://yardstick_cache"))
    assert result.returncode == 1
    assert f"(yardstick.E001) {SECRET_KEY_ERROR}\n\tHINT: {SECRET_KEY_HINT}" in result.stderr
    assert "yardstick.E002" not in result.stderr


def test_the_wsgi_application_refuses_to_load_with_the_development_key(tmp_path):
    result = run("-c", "import config.wsgi", env=clean_env(tmp_path))
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {SECRET_KEY_ERROR} {SECRET_KEY_HINT}" in result.stderr
    asgi = run("-c", "import config.asgi", env=clean_env(tmp_path))
    assert asgi.returncode == 1 and SECRET_KEY_ERROR in asgi.stderr


def test_gunicorn_does_not_start_with_the_development_key(tmp_path):
    result = run(
        "-m", "gunicorn", "config.wsgi", "--bind", "127.0.0.1:0", "--workers", "1",
        env=clean_env(tmp_path, CACHE_URL="dbcache://yardstick_cache"), timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert SECRET_KEY_ERROR in result.stderr


def test_a_real_key_loads_and_the_development_key_is_fine_with_debug_on(tmp_path):
    key = secrets.token_urlsafe(50)
    assert run("-c", "import config.wsgi", env=clean_env(tmp_path, SECRET_KEY=key)).returncode == 0
    assert run("-c", "import config.wsgi", env=clean_env(tmp_path, DEBUG="true")).returncode == 0
    debug_on = run("manage.py", "check", env=clean_env(tmp_path, DEBUG="true"))
    assert debug_on.returncode == 0, debug_on.stderr


def test_manage_check_refuses_a_per_process_cache_with_debug_off(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    result = run("manage.py", "check", env=env)
    assert result.returncode == 1
    assert f"(yardstick.E002) {CACHE_ERROR}\n\tHINT: {CACHE_HINT}" in result.stderr
    assert "yardstick.E001" not in result.stderr
    shared = run("manage.py", "check", env=env | {"CACHE_URL": "dbcache://yardstick_cache"})
    assert shared.returncode == 0, shared.stderr


def test_the_cache_check(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert config_checks.shared_cache() == [checks.Error(CACHE_ERROR, hint=CACHE_HINT, id="yardstick.E002")]
    assert config_checks.PER_PROCESS_CACHE_MESSAGE == CACHE_ERROR
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert config_checks.shared_cache() == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}}
    assert config_checks.shared_cache() == []
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert config_checks.shared_cache() == []


def test_the_secret_key_check(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = config_checks.DEVELOPMENT_SECRET_KEY
    expected = checks.Error(SECRET_KEY_ERROR, hint=SECRET_KEY_HINT, id="yardstick.E001")
    assert config_checks.development_secret_key() == [expected]
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    assert config_checks.development_secret_key() == []
    config_checks.refuse_to_serve()  # no exception
    settings.DEBUG, settings.SECRET_KEY = True, config_checks.DEVELOPMENT_SECRET_KEY
    assert config_checks.development_secret_key() == []


def test_the_checks_are_ordinary_checks_not_only_deploy_ones():
    """`manage.py check`, runserver, migrate and db_worker run them, not only check --deploy."""
    ordinary = checks.registry.registry.get_checks(include_deployment_checks=False)
    assert config_checks.development_secret_key in ordinary and config_checks.shared_cache in ordinary


def test_env_file_is_read_when_present_and_the_environment_wins(tmp_path):
    dotenv = tmp_path / "yardstick.env"
    dotenv.write_text(
        "# production\nDEBUG=false\nRETURN_WINDOW_DAYS=45\nSITE_URL=https://yardstick.example.org\n"
    )
    env = clean_env(tmp_path, ENV_FILE=str(dotenv))
    assert show("s.DEBUG, s.YARDSTICK['RETURN_WINDOW_DAYS'], s.YARDSTICK['SITE_URL']", env) == (
        "False 45 https://yardstick.example.org"
    )
    assert show("s.YARDSTICK['RETURN_WINDOW_DAYS']", env | {"RETURN_WINDOW_DAYS": "20"}) == "20"
    assert show("s.YARDSTICK['RETURN_WINDOW_DAYS']", clean_env(tmp_path)) == "30"  # no file: defaults


def test_dot_env_next_to_manage_py_is_the_default(tmp_path):
    """A copy of the config package in a directory of its own, so that its .env is a test's."""
    shutil.copytree(ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / ".env").write_text("SECRET_KEY=from-the-dot-env-file-" + "x" * 40 + "\nDEBUG=on\n")
    env = clean_env(tmp_path)
    del env["ENV_FILE"], env["DJANGO_SETTINGS_MODULE"]
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "from config import settings as s; print(s.DEBUG, s.SECRET_KEY[:20])"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "from-the-dot-env-fil"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    "environment, expected",
    [({}, "DEBUG=true"), ({"DEBUG": "false"}, "DEBUG=false")],
)
def test_make_run_turns_debug_on_unless_told_otherwise(tmp_path, environment, expected):
    """make -n only prints the commands. DEBUG from the environment (or .env) is kept, so a
    production checkout with DEBUG=false keeps load_demo's refusal."""
    env = clean_env(tmp_path, **environment)
    if (ROOT / ".env").exists():
        pytest.skip("a .env in the checkout decides make run's DEBUG")
    make = ["make", "-n", "run"]  # noqa: S607 - make from PATH, printing only
    result = subprocess.run(make, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    assert [c.split()[0] for c in commands] == [expected] * 3
    assert [c.split()[c.split().index("manage.py") :][:2] for c in commands] == [
        ["manage.py", "migrate"], ["manage.py", "load_demo"], ["manage.py", "runserver"]
    ]  # fmt: skip
