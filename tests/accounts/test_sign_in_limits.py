"""Limits on password guessing (allauth's rate limits in the shared cache): the web sign-in, the
admin (which signs in through it) and the API token endpoint count against one limit per account
and one per client address."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.lockout import too_many_attempts_message
from accounts.tokens import BAD_CREDENTIALS
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
LOCKED = too_many_attempts_message()


@pytest.fixture
def user(db):
    u = UserFactory(username="guessme", email="guess.me@example.org", role="Provider")
    u.set_password(PASSWORD)
    u.save()
    return u


@pytest.fixture
def api_client():
    return APIClient()


def web_login(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_message_names_the_wait():
    assert LOCKED == (
        "Too many failed sign-ins for this account or from your network. Wait 15 minutes and try "
        "again, or reset your password."
    )


def test_web_login_locks_after_five_failures_even_with_the_right_password(client, user):
    for _ in range(5):
        response = web_login(client, "guessme", "wrong")
        assert "is not right" in response.content.decode()
    response = web_login(client, "guessme", PASSWORD)
    assert response.status_code == 200  # form shown again, not signed in
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_sign_in_by_username_or_e_mail(client, user):
    assert web_login(client, "guessme", PASSWORD).status_code == 302 and signed_in(client)
    client.logout()
    assert web_login(client, "Guess.Me@example.org", PASSWORD).status_code == 302 and signed_in(client)


def test_web_login_success_clears_the_account_count(client, user):
    for _ in range(4):
        web_login(client, "guessme", "wrong")
    assert web_login(client, "guessme", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        web_login(client, "guessme", "wrong")
    assert web_login(client, "guessme", PASSWORD).status_code == 302


def test_lockout_is_per_account_case_insensitively(client, user):
    for _ in range(5):
        web_login(client, "GuessMe", "wrong")
    assert LOCKED in web_login(client, "guessme", PASSWORD).content.decode()
    other = UserFactory(username="innocent", role="Provider")
    other.set_password(PASSWORD)
    other.save()
    assert web_login(client, "innocent", PASSWORD).status_code == 302


def test_admin_signs_in_through_the_same_page(client, user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_address_limit_stops_spraying_many_usernames(client, user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/900s/ip,5/900s/key"}
    for name in ("a1", "a2", "a3"):
        web_login(client, name, "wrong")
    response = web_login(client, "guessme", PASSWORD)
    assert LOCKED in response.content.decode() and not signed_in(client)


def test_address_count_survives_a_successful_sign_in(client, user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/900s/ip,5/900s/key"}
    web_login(client, "a1", "wrong")
    web_login(client, "a2", "wrong")
    assert web_login(client, "guessme", PASSWORD).status_code == 302
    client.logout()
    web_login(client, "a3", "wrong")
    assert LOCKED in web_login(client, "guessme", PASSWORD).content.decode()


def test_token_endpoint_locks_with_429(api_client, user):
    url = reverse("api-token")
    for _ in range(5):
        response = api_client.post(url, {"username": "guessme", "password": "nope"}, format="json")
        assert response.status_code == 400 and response.json() == {"non_field_errors": [BAD_CREDENTIALS]}
    response = api_client.post(url, {"username": "guessme", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["retry_after"] == 900
    assert response.json()["detail"] == LOCKED


def test_token_and_web_share_one_counter(client, api_client, user):
    for _ in range(3):
        web_login(client, "guessme", "wrong")
    for _ in range(2):
        api_client.post(reverse("api-token"), {"username": "guessme", "password": "x"}, format="json")
    response = api_client.post(reverse("api-token"), {"username": "guessme", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert LOCKED in web_login(client, "guessme", PASSWORD).content.decode()


def test_token_success_below_the_limit(api_client, user):
    for _ in range(4):
        api_client.post(reverse("api-token"), {"username": "guessme", "password": "x"}, format="json")
    response = api_client.post(reverse("api-token"), {"username": "guessme", "password": PASSWORD}, format="json")
    assert response.status_code == 200 and response.json()["token"]
