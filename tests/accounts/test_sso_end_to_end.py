"""Single sign-on end to end: Yardstick's allauth openid_connect provider, configured by settings
as docs/deploy.md describes (config.oidc), against a real OpenID Connect provider on 127.0.0.1
(tests.idp: django-oauth-toolkit, RS256 ID tokens signed with a key made here). The browser's
part is a requests session at the provider (its sign-in form) and Django's test client at
Yardstick, following the authorisation code flow with PKCE from the sign-in button to the
callback, where Yardstick fetches the token, the provider's keys and the userinfo over HTTP."""

import json
import os
import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from accounts import sso
from accounts.roles import Role, roles_of
from config.oidc import socialaccount_providers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
YARDSTICK = "http://testserver"
CALLBACK = "/accounts/oidc/council/login/callback/"
PEOPLE = {
    "jo": {"email": "jo.bloggs@southwark.gov.uk", "email_verified": True, "groups": ["ys-finance", "staff"]},
    "sam": {"email": "sam.jones@southwark.gov.uk", "email_verified": False, "groups": ["ys-finance"]},
    "kim": {"email": "kim.lee@met.police.uk", "email_verified": True, "groups": ["ys-commissioners"]},
    "new": {"email": "new.starter@southwark.gov.uk", "email_verified": True, "groups": ["ys-commissioners"]},
    "una": {"email": "una.known@southwark.gov.uk", "email_verified": False, "groups": []},
}
ROLES = {"ys-commissioners": "Commissioner", "ys-finance": "Finance officer"}


@dataclass
class IdentityProvider:
    base: str  # the issuer is base + "/o"
    client_id: str
    secret: str
    directory: Path

    def password(self, username: str) -> str:
        return f"{username}-passphrase-at-the-council"

    def set_groups(self, username: str, groups: list[str]) -> None:
        people = json.loads(self.directory.read_text())
        people[username]["groups"] = groups
        self.directory.write_text(json.dumps(people))


def _rsa_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    """The identity provider in a subprocess for this module's tests (a second or two to start)."""
    folder = tmp_path_factory.mktemp("idp")
    (folder / "key.pem").write_bytes(_rsa_key_pem())
    provider = IdentityProvider(
        base="", client_id="yardstick", secret=secrets.token_urlsafe(32), directory=folder / "directory.json"
    )
    people = {u: {**p, "password": provider.password(u)} for u, p in PEOPLE.items()}
    provider.directory.write_text(json.dumps(people))
    config = {
        "secret_key": secrets.token_urlsafe(50),
        "database": str(folder / "idp.sqlite3"),
        "private_key": str(folder / "key.pem"),
        "directory": str(provider.directory),
        "clients": [
            {
                "client_id": provider.client_id,
                "secret": provider.secret,
                "redirect_uris": [YARDSTICK + CALLBACK],
            }
        ],
    }
    (folder / "config.json").write_text(json.dumps(config))
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.idp.serve", str(folder / "config.json")],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    first_line: list[str] = []
    reader = threading.Thread(target=lambda: first_line.append(server.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=180)
    if not first_line or not first_line[0].startswith("listening on "):
        server.kill()
        pytest.fail(f"the identity provider did not start: {first_line!r}")
    provider.base = f"http://127.0.0.1:{int(first_line[0].split()[-1])}"
    try:
        yield provider
    finally:
        server.stdin.close()  # the server shuts down when its stdin closes
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


@pytest.fixture
def council(settings, idp):
    """Yardstick configured for the provider as an operator would, through OIDC_PROVIDERS."""
    settings.SOCIALACCOUNT_PROVIDERS = socialaccount_providers(
        [
            {
                "id": "council",
                "name": "Southwark Council",
                "server_url": f"{idp.base}/o",
                "client_id": idp.client_id,
                "secret": idp.secret,
                "signup_domains": ["southwark.gov.uk"],
                "groups_claim": "groups",
                "roles": ROLES,
            }
        ]
    )
    return idp


def sso_sign_in(client, idp: IdentityProvider, username: str):
    """Press "Sign in with Southwark Council", sign in at the council, come back: the response
    of Yardstick's callback."""
    started = client.post("/accounts/oidc/council/login/")
    assert started.status_code == 302, started.content.decode()
    url = started["Location"]
    assert url.startswith(f"{idp.base}/o/authorize/") and "code_challenge=" in url
    browser = requests.Session()
    for _ in range(6):
        response = browser.get(url, allow_redirects=False, timeout=60)
        if urlparse(response.url).path == "/login/" and response.status_code == 200:
            form = {
                "username": username,
                "password": idp.password(username),
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            }
            response = browser.post(response.url, data=form, allow_redirects=False, timeout=60)
        assert response.status_code == 302, response.text
        url = urljoin(response.url, response.headers["Location"])
        if url.startswith(YARDSTICK):
            break
    else:
        pytest.fail("the provider never sent the browser back to Yardstick")
    back = urlparse(url)
    assert back.path == CALLBACK and "code=" in back.query
    return client.get(f"{back.path}?{back.query}")


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_the_sign_in_page_offers_the_provider(client, council):
    page = client.get("/accounts/login/").content.decode()
    assert "Southwark Council" in page and "/accounts/oidc/council/login/" in page


def test_a_verified_address_links_the_existing_account_and_maps_groups_to_roles(client, council):
    jo = UserFactory(username="jbloggs", email="Jo.Bloggs@southwark.gov.uk", role="Provider")
    response = sso_sign_in(client, council, "jo")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == str(jo.pk)
    account = SocialAccount.objects.get(user=jo)
    assert account.provider == "council" and account.extra_data["userinfo"]["email_verified"] is True
    assert "id_token" in account.extra_data  # RS256, from the provider
    # ys-finance maps to Finance officer; "staff" maps to nothing; Provider is not in the map.
    assert roles_of(get_user_model().objects.get(pk=jo.pk)) == {Role.PROVIDER, Role.FINANCE}
    assert client.get("/").status_code == 200


def test_roles_follow_the_groups_at_the_next_sign_in(client, council):
    jo = UserFactory(username="jbloggs", email="jo.bloggs@southwark.gov.uk", role="Provider")
    sso_sign_in(client, council, "jo")
    client.logout()
    council.set_groups("jo", ["ys-commissioners"])
    try:
        response = sso_sign_in(client, council, "jo")
    finally:
        council.set_groups("jo", PEOPLE["jo"]["groups"])
    assert response.status_code == 302 and signed_in_as(client) == str(jo.pk)
    assert roles_of(get_user_model().objects.get(pk=jo.pk)) == {Role.PROVIDER, Role.COMMISSIONER}
    assert SocialAccount.objects.filter(user=jo).count() == 1


def test_an_unverified_address_is_refused_with_the_reason(client, council):
    sam = UserFactory(username="sjones", email="sam.jones@southwark.gov.uk", role="Provider")
    response = sso_sign_in(client, council, "sam")
    page = response.content.decode()
    assert response.status_code == 403
    assert "did not confirm that sam.jones@southwark.gov.uk is your e-mail address" in page
    assert signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert roles_of(get_user_model().objects.get(pk=sam.pk)) == {Role.PROVIDER}  # no role from the claim


def test_an_unverified_address_in_a_signup_domain_creates_nothing(client, council):
    response = sso_sign_in(client, council, "una")
    assert response.status_code == 403
    assert "did not confirm that una.known@southwark.gov.uk" in response.content.decode()
    assert not get_user_model().objects.filter(email__iexact="una.known@southwark.gov.uk").exists()


def test_someone_without_an_account_outside_the_signup_domains_is_refused(client, council):
    users = get_user_model().objects.count()
    response = sso_sign_in(client, council, "kim")
    assert response.status_code == 403
    assert sso.NO_ACCOUNT.format(email="kim.lee@met.police.uk") in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert signed_in_as(client) is None
    assert get_user_model().objects.count() == users and not SocialAccount.objects.exists()


def test_a_signup_domain_creates_the_account_with_its_roles(client, council):
    response = sso_sign_in(client, council, "new")
    assert response.status_code == 302, response.content.decode()
    person = get_user_model().objects.get(email__iexact="new.starter@southwark.gov.uk")
    assert signed_in_as(client) == str(person.pk)
    assert roles_of(person) == {Role.COMMISSIONER}
    assert SocialAccount.objects.get(user=person).uid


def test_a_wrong_client_secret_signs_nobody_in(client, council, settings):
    jo = UserFactory(username="jbloggs", email="jo.bloggs@southwark.gov.uk")
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["secret"] = "not-the-secret"
    response = sso_sign_in(client, council, "jo")
    assert signed_in_as(client) is None and not SocialAccount.objects.filter(user=jo).exists()
    assert response.status_code == 401
    page = response.content.decode().replace("&#x27;", "'")
    assert sso.FAILED.format(name="Southwark Council") in page
