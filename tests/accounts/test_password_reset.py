"""Password reset by e-mail, and the sign-in and sign-out pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW = "a brand new passphrase"


@pytest.fixture
def person(db):
    return UserFactory(username="resetme", email="reset.me@example.org", role="Provider")


def test_password_reset_by_e_mail(client, person):
    response = client.post(reverse("account_reset_password"), {"email": "Reset.Me@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reset.me@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # allauth moves the key into the session first
    response = client.post(form_url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW) and not person.check_password(PASSWORD)
    assert client.post(reverse("account_login"), {"login": "resetme", "password": NEW}).status_code == 302


def test_a_reset_link_works_once(client, person):
    client.post(reverse("account_reset_password"), {"email": "reset.me@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW, "password2": NEW})
    client.logout()
    again = client.get(link, follow=True)
    assert "bad token" in again.content.decode().lower() or "invalid" in again.content.decode().lower()


def test_an_unknown_address_sends_nothing_and_says_nothing(client, person):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same answer as for a known address
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_a_message(client, person):
    client.force_login(person)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200 and "too short" in response.content.decode()


def test_sign_in_page_is_in_the_product_layout(client):
    body = client.get(reverse("account_login")).content.decode()
    assert "Username or e-mail address" in body and "Forgotten your password?" in body
    assert "sign up" not in body.lower()  # nobody registers themselves


def test_nobody_signs_up_themselves(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "walkin", "email": "walkin@example.org", "password1": NEW, "password2": NEW},
    )
    assert "walkin" not in {u.username for u in UserFactory._meta.model.objects.all()}
    assert response.status_code in (200, 403)


def test_sign_out(client, person):
    client.force_login(person)
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session
