"""Production configuration: check --deploy is clean, /healthz, security headers, size guard."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "yardstick.example.org",
        "DATABASE_URL": "postgres://yardstick@db.example.org:5432/yardstick",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "TASK_BACKEND": "database",
        **extra,
    }


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_the_development_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_the_database_is_down(client, db, monkeypatch):
    import config.health

    class Down:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(config.health, "connection", Down())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_pages_carry_security_headers(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_oversized_request_body_is_refused_before_parsing(client, db, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MAX_UPLOAD_BYTES": 1024}
    body = b"x" * (1024 + 1024 * 1024 + 1)
    response = client.generic("POST", "/api/returns/", body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]  # the API's documented error shape
    page = client.generic("POST", "/returns/upload/", body, content_type="application/json")
    assert page.status_code == 413 and page["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("path", ["/api/claims/null,null/", "/api/claim-audits/x/", "/api/returns/1.5/"])
def test_a_lookup_that_is_not_an_id_is_404(api, commissioner, path):
    assert api(commissioner).get(path).status_code == 404


@pytest.mark.parametrize("password", ["short1!", "password123456", "123456789012345"])
def test_weak_passwords_are_rejected(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_passphrase_is_accepted():
    from django.contrib.auth.password_validation import validate_password

    validate_password("walworth-road-lantern-42")
