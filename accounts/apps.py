from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who you are: sign-in (django-allauth), MFA, single sign-on, roles, API tokens."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import signals

        signals.connect()
