"""Lockout against password guessing: web sign-in, admin sign-in and the API token endpoint."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(db):
    u = UserFactory(username="guessme", role="Provider")
    u.set_password(PASSWORD)
    u.save()
    return u


@pytest.fixture
def api_client():
    return APIClient()


def web_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_web_login_locks_after_five_failures_even_with_the_right_password(client, user):
    for _ in range(5):
        response = web_login(client, "guessme", "wrong")
        assert "did not match" in response.content.decode() or "correct username" in response.content.decode()
    response = web_login(client, "guessme", PASSWORD)
    assert response.status_code == 200  # form shown again, not signed in
    assert "Too many failed sign-ins for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_web_login_success_clears_the_count(client, user):
    for _ in range(4):
        web_login(client, "guessme", "wrong")
    assert web_login(client, "guessme", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        web_login(client, "guessme", "wrong")
    assert web_login(client, "guessme", PASSWORD).status_code == 302


def test_lockout_is_per_username_case_insensitively(client, user):
    for _ in range(5):
        web_login(client, "GuessMe", "wrong")
    assert "Too many failed" in web_login(client, "guessme", PASSWORD).content.decode()
    other = UserFactory(username="innocent", role="Provider")
    other.set_password(PASSWORD)
    other.save()
    assert web_login(client, "innocent", PASSWORD).status_code == 302


def test_admin_login_shares_the_lockout(client, user):
    for _ in range(5):
        web_login(client, "guessme", "wrong")
    response = client.post("/admin/login/", {"username": "guessme", "password": PASSWORD})
    assert "Too many failed sign-ins" in response.content.decode()


def test_address_lockout_stops_spraying_many_usernames(client, user, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "LOGIN_MAX_FAILURES_PER_ADDRESS": 3}
    for name in ("a1", "a2", "a3"):
        web_login(client, name, "wrong")
    response = web_login(client, "guessme", PASSWORD)
    assert "Too many failed sign-ins from your network" in response.content.decode()


def test_token_endpoint_locks_with_429(api_client, user):
    url = reverse("api-token")
    for _ in range(5):
        response = api_client.post(url, {"username": "guessme", "password": "nope"}, format="json")
        assert response.status_code == 400
    response = api_client.post(url, {"username": "guessme", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["retry_after"] == 900
    assert "Too many failed sign-ins" in response.json()["detail"]


def test_token_and_web_share_one_counter(client, api_client, user):
    for _ in range(3):
        web_login(client, "guessme", "wrong")
    for _ in range(2):
        api_client.post(reverse("api-token"), {"username": "guessme", "password": "x"}, format="json")
    response = api_client.post(
        reverse("api-token"), {"username": "guessme", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429


def test_token_success_below_the_limit(api_client, user):
    for _ in range(4):
        api_client.post(reverse("api-token"), {"username": "guessme", "password": "x"}, format="json")
    response = api_client.post(
        reverse("api-token"), {"username": "guessme", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]
