"""How django-allauth behaves here: no open registration (people are invited or come through a
configured identity provider), sign-in limits shared with the API (accounts.lockout), messages in
the product's words, and who single sign-on may link or create (accounts.sso)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from accounts import lockout

BAD_LOGIN = "The username, e-mail address or password is not right. Check them and try again."


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": BAD_LOGIN,
        "email_password_mismatch": BAD_LOGIN,
    }

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        # The lockout's wording names the configured wait, so it is read when the adapter is made.
        self.error_messages = {
            **self.error_messages,
            "too_many_login_attempts": lockout.too_many_attempts_message(),
        }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody registers themselves: an organisation administrator invites staff
        (grants.services.staff), and single sign-on creates accounts only where configured."""
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        return lockout.client_address(request)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            lockout.clear_account(request, credentials.get("email") or credentials.get("username") or "")
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on by OpenID Connect: see accounts.sso for the rules."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        from accounts import sso

        return sso.may_create_account(sociallogin)

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        from accounts import sso

        sso.link_or_refuse(request, sociallogin)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        from accounts import sso

        super().on_authentication_error(request, provider, error, exception, extra_context)
        if extra_context is not None:
            sso.authentication_failed(provider, error, exception, extra_context)

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        from accounts import sso

        user = super().save_user(request, sociallogin, form)
        sso.apply_roles(user, sociallogin)
        return user
