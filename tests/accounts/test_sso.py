"""Single sign-on rules (accounts.sso), through allauth's social-login object as the OpenID
Connect provider fills it: link by verified e-mail, refuse otherwise, roles from group claims."""

import pytest
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from accounts import sso
from accounts.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDP = {
    "id": "council",
    "name": "Southwark Council",
    "server_url": "http://127.0.0.1:1/o",
    "client_id": "yardstick",
    "signup_domains": ["southwark.gov.uk"],
    "groups_claim": "groups",
    "roles": {"ys-commissioners": "Commissioner", "ys-finance": "Finance officer"},
}


@pytest.fixture(autouse=True)
def council_idp(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [{
                "provider_id": IDP["id"], "name": IDP["name"], "client_id": IDP["client_id"], "secret": "",
                "settings": {"server_url": IDP["server_url"], "yardstick": {
                    k: IDP[k] for k in ("signup_domains", "groups_claim", "roles")}},
            }]
        }
    }  # fmt: skip


def login_for(**claims) -> SocialLogin:
    account = SocialAccount(provider="council", uid=claims.get("sub", "abc"), extra_data=claims)
    return SocialLogin(account=account, user=get_user_model()(username="", email=claims.get("email", "")))


def request():
    r = RequestFactory().get("/accounts/oidc/council/login/callback/")
    r.session = SessionStore()
    r.user = None
    return r


def test_a_verified_address_links_the_existing_account():
    person = UserFactory(username="jo", email="Jo.Bloggs@southwark.gov.uk", role="Provider")
    social = login_for(sub="1", email="jo.bloggs@southwark.gov.uk", email_verified=True, groups=["ys-finance"])
    sso.link_or_refuse(request(), social)
    assert SocialAccount.objects.get(uid="1").user == person
    person = get_user_model().objects.get(pk=person.pk)
    assert roles_of(person) == {Role.PROVIDER, Role.FINANCE}


def test_an_unverified_address_is_refused_with_the_reason():
    UserFactory(username="jo", email="jo@southwark.gov.uk")
    with pytest.raises(ImmediateHttpResponse) as refused:
        sso.link_or_refuse(request(), login_for(email="jo@southwark.gov.uk", email_verified=False))
    assert refused.value.response.status_code == 403
    assert "did not confirm that jo@southwark.gov.uk is your e-mail address" in refused.value.response.content.decode()
    assert not SocialAccount.objects.exists()


def test_no_account_and_no_signup_domain_is_refused():
    with pytest.raises(ImmediateHttpResponse) as refused:
        sso.link_or_refuse(request(), login_for(email="someone@met.police.uk", email_verified=True))
    assert "No Yardstick account uses someone@met.police.uk" in refused.value.response.content.decode()
    assert not sso.may_create_account(login_for(email="someone@met.police.uk", email_verified=True))


def test_a_signup_domain_allows_a_new_account_only_when_verified():
    assert sso.may_create_account(login_for(email="new@Southwark.gov.uk", email_verified=True))
    assert not sso.may_create_account(login_for(email="new@southwark.gov.uk", email_verified=False))
    sso.link_or_refuse(request(), login_for(email="new@southwark.gov.uk", email_verified=True))  # not refused


def test_roles_follow_the_group_claim_at_each_sign_in():
    person = UserFactory(username="jo", email="jo@southwark.gov.uk", role="Commissioner")
    sso.apply_roles(person, login_for(groups=["ys-finance", "unmapped"]))
    person = get_user_model().objects.get(pk=person.pk)
    assert roles_of(person) == {Role.FINANCE}


def test_no_mapping_leaves_roles_alone(settings):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["yardstick"]["roles"] = {}
    person = UserFactory(username="jo", email="jo@southwark.gov.uk", role="Commissioner")
    sso.apply_roles(person, login_for(groups=["ys-finance"]))
    assert roles_of(get_user_model().objects.get(pk=person.pk)) == {Role.COMMISSIONER}
