"""Two-factor sign-in (allauth.mfa): required of commissioners, finance officers and admins when
the policy is on, with enrolment forced at sign-in; sign-in with a TOTP code or a recovery code."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from accounts.security import MFA_ENROL_MESSAGE, SESSION_LAST_SEEN
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(secret: str) -> str:
    """The authenticator app's code now (RFC 6238, 30-second steps, 6 digits)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


@pytest.fixture
def mfa_required(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MFA_REQUIRED": True}


def test_a_commissioner_without_mfa_reaches_only_enrolment(client, commissioner, mfa_required):
    assert sign_in(client, "t-commissioner").status_code == 302
    for url in ("/", reverse("programme-list"), reverse("account-tokens"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), url
    response = client.get("/api/programmes/")
    assert response.status_code == 403 and response.json()["detail"] == MFA_ENROL_MESSAGE
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and MFA_ENROL_MESSAGE in page.content.decode()
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.parametrize("role_user", ["finance", "admin_user"])
def test_finance_officers_and_admins_are_held_too(client, role_user, request, mfa_required):
    user = request.getfixturevalue(role_user)
    sign_in(client, user.username)
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_enrolling_with_a_totp_code_opens_every_page(client, commissioner, mfa_required):
    sign_in(client, "t-commissioner")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=commissioner, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=commissioner, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/").status_code == 200


def test_a_wrong_enrolment_code_is_refused(client, commissioner, mfa_required):
    sign_in(client, "t-commissioner")
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    assert not Authenticator.objects.filter(user=commissioner).exists()


def test_providers_whose_programmes_hold_no_participants_are_not_forced(client, provider, mfa_required):
    sign_in(client, "t-provider")
    assert client.get("/").status_code == 200


def test_providers_who_can_see_participants_are_held(client, provider, org_a, mfa_required):
    from claims.models import PayableOutcome
    from tests.factories import OutcomeMeasureFactory, ProgrammeFactory

    programme = ProgrammeFactory(provider=org_a)
    PayableOutcome.objects.create(programme=programme, measure=OutcomeMeasureFactory(), tariff="100.00")
    sign_in(client, "t-provider")
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_with_the_policy_off_mfa_is_offered_not_forced(client, commissioner):
    sign_in(client, "t-commissioner")
    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_signing_in_with_a_totp_code(client, commissioner, mfa_required):
    secret = generate_totp_secret()
    TOTP.activate(commissioner, secret)
    response = sign_in(client, "t-commissioner")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    response = client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(commissioner.pk)
    assert client.get("/").status_code == 200


def test_a_wrong_totp_code_does_not_sign_in(client, commissioner):
    TOTP.activate(commissioner, generate_totp_secret())
    sign_in(client, "t-commissioner")
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, commissioner):
    TOTP.activate(commissioner, generate_totp_secret())
    codes = RecoveryCodes.activate(commissioner).get_unused_codes()
    sign_in(client, "t-commissioner")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.session["_auth_user_id"] == str(commissioner.pk)
    client.logout()
    sign_in(client, "t-commissioner")
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_staff_are_signed_out_when_idle(client, commissioner, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "IDLE_TIMEOUT_SECONDS": 1800}
    sign_in(client, "t-commissioner")
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 1801
    session.save()
    response = client.get(reverse("programme-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not used Yardstick for 30 minutes." in page


def test_providers_are_not_signed_out_when_idle(client, provider):
    sign_in(client, "t-provider")
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 10 * 3600
    session.save()
    assert client.get("/").status_code == 200


def test_staff_within_the_idle_limit_stay_signed_in(client, commissioner):
    sign_in(client, "t-commissioner")
    session = client.session
    session[SESSION_LAST_SEEN] = int(time.time()) - 1700
    session.save()
    assert client.get("/").status_code == 200


def test_a_resource_request_while_enrolling_keeps_the_secret(client, commissioner, mfa_required):
    """A font or image the enrolment page asks for is refused, not sent to enrolment: a second
    visit to the enrolment page draws a new secret, and the scanned QR code would stop working."""
    sign_in(client, "t-commissioner")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    font = client.get("/assets/fonts/bold-b542beb274-v2.woff2", headers={"Sec-Fetch-Mode": "cors"})
    assert font.status_code == 403 and font.content.decode() == MFA_ENROL_MESSAGE
    assert client.session["mfa.totp.secret"] == secret
    page = client.get("/programmes/", headers={"Sec-Fetch-Mode": "navigate"})
    assert page.status_code == 302 and page["Location"] == reverse("mfa_activate_totp")
    response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302 and Authenticator.objects.filter(user=commissioner).exists()
