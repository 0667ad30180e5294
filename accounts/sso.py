"""Single sign-on by OpenID Connect (allauth's openid_connect provider), one app per identity
provider in settings.OIDC_PROVIDERS (docs/deploy.md). The rules:

- A first sign-in links to the existing account whose e-mail address the provider asserts, and
  only if the provider says the address is verified (`email_verified`); otherwise it is refused
  with a message saying why.
- No account is created silently: only for an address in one of the provider's `signup_domains`.
- Where the provider has a `groups_claim` and a `roles` map, the person's roles follow the
  groups in the claim at every sign-in (roles the map does not mention are left alone).
"""

from __future__ import annotations

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.shortcuts import render

from accounts.roles import Role

logger = logging.getLogger(__name__)

UNVERIFIED = (
    "Your organisation's sign-in did not confirm that {email} is your e-mail address, so Yardstick "
    "cannot tell which account is yours. Ask your IT service desk to verify it, or sign in with "
    "your Yardstick username and password."
)
NO_EMAIL = (
    "Your organisation's sign-in did not tell Yardstick your e-mail address. Ask your IT service "
    "desk to release it to Yardstick, or sign in with your Yardstick username and password."
)
FAILED = (
    "Yardstick could not finish signing you in with {name}: your organisation's sign-in refused "
    "the request or did not answer. Try again; if it keeps happening, tell your IT service desk, "
    "or sign in with your Yardstick username and password."
)
NO_ACCOUNT = (
    "No Yardstick account uses {email}. Ask your partnership's administrator (or your "
    "organisation's) to invite you, then sign in again."
)


def provider_settings(provider_id: str) -> dict:
    """The Yardstick part of one identity provider's settings (signup_domains, groups_claim, roles)."""
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []):
        if app.get("provider_id") == provider_id:
            return app.get("settings", {}).get("yardstick", {})
    return {}


def claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    return data.get("userinfo", data) if isinstance(data.get("userinfo"), dict) else data


def _email(sociallogin) -> tuple[str, bool]:
    c = claims(sociallogin)
    verified = c.get("email_verified")
    return (c.get("email") or "").strip(), verified is True or str(verified).lower() == "true"


def _refuse(request, message: str):
    response = render(request, "accounts/sso_refused.html", {"message": message}, status=403)
    raise ImmediateHttpResponse(response)


def authentication_failed(provider, error, exception, context: dict) -> None:
    """The provider refused or failed (a wrong client secret, a bad token, no answer): the
    person is told in plain words on allauth's error page, the operator finds the cause in the log."""
    logger.warning("Single sign-on with %s failed: %s %r", provider.id, error, exception)
    context["sso_failed_message"] = FAILED.format(name=getattr(provider, "name", "your organisation"))


def may_create_account(sociallogin) -> bool:
    email, verified = _email(sociallogin)
    domains = {d.lower() for d in provider_settings(sociallogin.account.provider).get("signup_domains", [])}
    return verified and "@" in email and email.rsplit("@", 1)[1].lower() in domains


def link_or_refuse(request, sociallogin) -> None:
    """Called before every SSO sign-in: link a first sign-in to the account with the verified
    e-mail address, allow a new account for a configured domain, or refuse with a message."""
    if sociallogin.is_existing:
        apply_roles(sociallogin.user, sociallogin)
        return
    email, verified = _email(sociallogin)
    if not email:
        _refuse(request, NO_EMAIL)
    if not verified:
        _refuse(request, UNVERIFIED.format(email=email))
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is not None:
        sociallogin.connect(request, user)
        apply_roles(user, sociallogin)
        return
    if not may_create_account(sociallogin):
        _refuse(request, NO_ACCOUNT.format(email=email))


def apply_roles(user, sociallogin) -> None:
    config = provider_settings(sociallogin.account.provider)
    claim, mapping = config.get("groups_claim"), config.get("roles") or {}
    if not claim or not mapping or user.pk is None:
        return
    groups = claims(sociallogin).get(claim) or []
    if isinstance(groups, str):
        groups = [groups]
    valid = {role.value for role in Role}
    managed = {name for name in mapping.values() if name in valid}
    wanted = {mapping[g] for g in groups if g in mapping and mapping[g] in valid}
    for name in managed:
        group, _ = Group.objects.get_or_create(name=name)
        if name in wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    for attr in ("_yardstick_roles", "_yardstick_org_ids"):
        if hasattr(user, attr):
            delattr(user, attr)
