"""API tokens: hashed at rest, named, scoped, expiring, revocable; the token endpoint issues a new
one for a username and password, from a JSON or a form-encoded body."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import authentication as auth
from accounts.models import ApiToken
from accounts.tokens import (
    NAME_TAKEN,
    REVOKED_DEACTIVATED,
    REVOKED_PASSWORD_CHANGED,
    USE_TOKEN_PAGE,
    hash_key,
    token_issue,
)
from tests.api.conftest import return_payload
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_no_table_holds_a_usable_token(provider):
    key = token_issue(user=provider, name="Case system").key
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key) and token.prefix == key[:8]
    # Search every column of every table for the token: only its hash and first characters exist.
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{field.column}" AS TEXT) LIKE %s', [f"%{key}%"])  # noqa: S608
                assert cursor.fetchone()[0] == 0, f"{table}.{field.column} holds the token"
    assert "authtoken_token" not in connection.introspection.table_names()


def test_the_token_endpoint_issues_a_new_named_token_each_time(provider):
    url = reverse("api-token")
    first = APIClient().post(url, {"username": "t-provider", "password": PASSWORD, "name": "Case system"}, format="json")
    second = APIClient().post(url, {"username": "t-provider", "password": PASSWORD}, format="json")
    assert first.status_code == 200 and second.status_code == 200
    assert first.json()["token"] != second.json()["token"]
    names = sorted(ApiToken.objects.values_list("name", flat=True))
    assert names[0] == "API token issued " + names[0].removeprefix("API token issued ") and "Case system" in names
    assert client_with(first.json()["token"]).get("/api/returns/").status_code == 200


def test_the_token_endpoint_accepts_a_form_encoded_body(provider):
    response = APIClient().post(reverse("api-token"), {"username": "t-provider", "password": PASSWORD})  # multipart
    assert response.status_code == 200
    response = APIClient().post(
        reverse("api-token"), f"username=t-provider&password={PASSWORD.replace(' ', '+')}",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_a_read_only_token_cannot_post_a_return(provider, portfolio):
    key = token_issue(user=provider, name="Reader", scope=ApiToken.Scope.READ).key
    client = client_with(key)
    assert client.get("/api/returns/").status_code == 200
    response = client.post("/api/returns/", return_payload(portfolio), format="json")
    assert response.status_code == 403 and response.json()["detail"] == auth.READ_ONLY
    write = client_with(token_issue(user=provider, name="Writer").key)
    assert write.post("/api/returns/", return_payload(portfolio), format="json").status_code == 201


def test_an_expired_token_is_refused(provider):
    key = token_issue(user=provider, name="Short", days=1).key
    client = client_with(key)
    assert client.get("/api/returns/").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/returns/")
    assert response.status_code == 401 and response.json()["detail"] == auth.EXPIRED


def test_last_used_is_recorded_at_most_once_a_minute(provider):
    client = client_with(token_issue(user=provider, name="Case system").key)
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/returns/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/returns/")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/returns/")
    assert ApiToken.objects.get().last_used_at > first


def test_a_password_change_revokes_every_token(provider):
    client = client_with(token_issue(user=provider, name="One").key)
    other = client_with(token_issue(user=provider, name="Two").key)
    provider.set_password("a brand new passphrase")
    provider.save()
    for c in (client, other):
        response = c.get("/api/returns/")
        assert response.status_code == 401 and response.json()["detail"] == auth.INVALID
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {REVOKED_PASSWORD_CHANGED}


def test_a_password_change_on_the_page_revokes_tokens(client, provider):
    key = token_issue(user=provider, name="One").key
    client.force_login(provider)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert client_with(key).get("/api/returns/").status_code == 401


def test_deactivation_revokes_every_token(provider):
    client = client_with(token_issue(user=provider, name="One").key)
    provider.is_active = False
    provider.save()
    assert client.get("/api/returns/").status_code == 401
    assert ApiToken.objects.get().revoked_reason == REVOKED_DEACTIVATED


def test_the_owner_revokes_on_the_tokens_page(client, provider, provider2):
    key = token_issue(user=provider, name="Case system").key
    theirs = token_issue(user=provider2, name="Theirs").token
    client.force_login(provider)
    page = client.get(reverse("account-tokens"))
    assert "Case system" in page.content.decode() and key not in page.content.decode()
    assert "Theirs" not in page.content.decode()
    assert client.post(reverse("account-token-revoke", args=[theirs.pk])).status_code == 404
    token = ApiToken.objects.get(name="Case system")
    assert client.post(reverse("account-token-revoke", args=[token.pk])).status_code == 302
    assert client_with(key).get("/api/returns/").status_code == 401
    assert "Revoked by its owner" in client.get(reverse("account-tokens")).content.decode()


def test_the_tokens_page_shows_a_new_token_once(client, provider):
    client.force_login(provider)
    response = client.post(reverse("account-tokens"), {"name": "Case system", "scope": "read", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.scope == "read" and (token.expires_at - timezone.now()).days in (29, 30)
    body = response.content.decode()
    start = body.index('id="new-token">') + len('id="new-token">')
    key = body[start : start + 40]
    assert hash_key(key) == token.key_hash
    assert key not in client.get(reverse("account-tokens")).content.decode()


def test_the_tokens_page_refuses_bad_input_with_messages(client, provider):
    client.force_login(provider)
    token_issue(user=provider, name="Case system")
    response = client.post(reverse("account-tokens"), {"name": "Case system", "scope": "write", "days": "90"})
    assert response.status_code == 400 and NAME_TAKEN in response.content.decode()
    response = client.post(reverse("account-tokens"), {"name": "", "scope": "write", "days": "9999"})
    body = response.content.decode()
    assert response.status_code == 400 and "This field is required." in body and "between 1 and 730 days" in body
    assert ApiToken.objects.count() == 1


def test_the_tokens_page_needs_a_sign_in(client):
    response = client.get(reverse("account-tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_accounts_with_two_factor_get_tokens_from_the_page_only(provider, settings):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=provider, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = APIClient().post(reverse("api-token"), {"username": "t-provider", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and response.json() == {"non_field_errors": [USE_TOKEN_PAGE]}


def test_staff_under_the_mfa_policy_get_tokens_from_the_page_only(commissioner, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MFA_REQUIRED": True}
    response = APIClient().post(reverse("api-token"), {"username": "t-commissioner", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_token_names_are_unique_per_person_among_live_tokens(provider, provider2):
    token_issue(user=provider, name="Case system")
    token_issue(user=provider2, name="Case system")
    with pytest.raises(Exception, match="already have a token"):
        token_issue(user=provider, name="Case system")


def test_migrating_drf_authtoken_keys_hashes_them_in_place(transactional_db):
    """The data migration turns authtoken_token rows into hashed tokens and drops the table."""
    import importlib

    from django.db.migrations.state import StateApps  # noqa: F401

    user = UserFactory(username="legacy")
    key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "authtoken_token" ("key" varchar(40) PRIMARY KEY, "user_id" bigint, "created" timestamp)')
        cursor.execute('INSERT INTO "authtoken_token" VALUES (%s, %s, %s)', [key, user.pk, timezone.now()])
    migration = importlib.import_module("accounts.migrations.0002_hash_authtoken_keys")
    with connection.schema_editor() as editor:
        migration.hash_in_place(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hash_key(key) and token.scope == "write"
    assert client_with(key).get("/api/returns/").status_code == 200


def test_the_account_page_links_each_job(client, provider):
    client.force_login(provider)
    body = client.get(reverse("account-home")).content.decode()
    for name in ("account_change_password", "mfa_index", "account-tokens"):
        assert f'href="{reverse(name)}"' in body
