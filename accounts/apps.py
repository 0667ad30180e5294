from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who you are: sign-in and its lockout, roles, API token sign-in."""

    name = "accounts"
    verbose_name = "Accounts"
