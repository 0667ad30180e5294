"""E-mail settings from the environment: console by default, EMAIL_URL for SMTP, EMAIL_BACKEND wins."""

from tests.config.test_deploy import manage, production_env

SHOW = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
    "s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, s.YARDSTICK['SITE_URL'] or '-', sep='|')"
)


def settings_under(**env) -> list[str]:
    base = production_env(**env)
    for name in ("EMAIL_URL", "EMAIL_BACKEND", "DEFAULT_FROM_EMAIL", "SITE_URL"):
        if name not in env:
            base.pop(name, None)
    result = manage("shell", "-c", SHOW, env=base)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split("|")


def test_console_by_default():
    backend, *_rest, site = settings_under()
    assert backend == "django.core.mail.backends.console.EmailBackend" and site == "-"


def test_smtp_from_email_url():
    values = settings_under(
        EMAIL_URL="smtp+tls://yardstick%40example.org:s3cret@smtp.example.org:587",
        DEFAULT_FROM_EMAIL="Yardstick <yardstick@example.org>",
        SITE_URL="https://yardstick.example.org",
    )
    assert values == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "587", "yardstick@example.org",
        "s3cret", "True", "Yardstick <yardstick@example.org>", "https://yardstick.example.org",
    ]  # fmt: skip


def test_email_backend_overrides():
    backend = settings_under(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")[0]
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
