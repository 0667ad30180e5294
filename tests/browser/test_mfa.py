"""Two-factor sign-in in a real browser: a commissioner whose role requires it is sent to
enrolment at sign-in, scans (reads) the secret, types the authenticator app's code, keeps the
recovery codes, and next time signs in with password and a TOTP code. Codes are computed with
allauth's own TOTP functions (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from accounts.security import MFA_ENROL_MESSAGE
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STEP = 30


def authenticator_code(secret: str) -> str:
    """The code an authenticator app shows now; waits for the next step if this one ends within
    20 seconds, so that the code is still current when a slow machine's server checks it (the
    product accepts only the current step's code: allauth's MFA_TOTP_TOLERANCE 0)."""
    if STEP - time.time() % STEP < 20:
        time.sleep(STEP - time.time() % STEP + 0.5)
    return format_hotp_value(hotp_value(secret, int(time.time()) // STEP))


@pytest.fixture(autouse=True)
def patient(page, settings):
    """The shared test machine can be slow: pages get a minute, and the sign-in counts as recent
    (no second password prompt before the recovery codes) for an hour."""
    page.set_default_timeout(60000)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 3600


@pytest.fixture
def mfa_required(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MFA_REQUIRED": True}


def sign_in_with_password(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_commissioner_enrols_then_signs_in_with_a_totp_code(page, live_server, mfa_required):
    commissioner = UserFactory(username="t-commissioner", role="Commissioner")
    sign_in_with_password(page, live_server.url, "t-commissioner")
    # Held at enrolment: every other page sends the commissioner back here.
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert MFA_ENROL_MESSAGE in page.content()
    page.goto(f"{live_server.url}/programmes/")
    assert page.url.endswith("/accounts/2fa/totp/activate/")

    secret = page.get_by_label("Authenticator secret").input_value()
    assert len(secret) == 32  # 20 random bytes in base32
    assert page.get_by_role("img", name=secret).is_visible()  # the QR code to scan
    page.get_by_label("Authenticator code").fill(
        "000000" if authenticator_code(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary, .govuk-error-message").first.is_visible()
    assert not Authenticator.objects.filter(user=commissioner).exists()

    page.get_by_label("Authenticator code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Activate").click()
    # (The error above asked for the bold font: a resource, not a page, so it did not draw a new
    # secret; accounts.middleware answers it 403 instead of sending it to enrolment.)
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    # Recovery codes are shown once enrolment is done.
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    assert Authenticator.objects.filter(user=commissioner, type=Authenticator.Type.TOTP).exists()
    page.goto(f"{live_server.url}/programmes/")
    assert page.url.endswith("/programmes/")

    page.goto(f"{live_server.url}/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    sign_in_with_password(page, live_server.url, "t-commissioner")
    assert page.url.endswith("/accounts/2fa/authenticate/")  # the password alone is not enough
    page.goto(f"{live_server.url}/programmes/")
    assert "/programmes/" not in page.url  # not signed in yet: back to the code
    if not page.url.endswith("/accounts/2fa/authenticate/"):
        sign_in_with_password(page, live_server.url, "t-commissioner")
    page.get_by_label("Code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    page.goto(f"{live_server.url}/programmes/")
    assert page.url.endswith("/programmes/")


@pytest.fixture
def virtual_authenticator(page):
    """Chromium's virtual platform authenticator (a passkey store that always verifies its user),
    through the DevTools protocol: navigator.credentials works as on a laptop with a fingerprint."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
               "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}  # fmt: skip
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    yield lambda: cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]


def test_the_pages_offer_passkeys_and_one_signs_in(page, live_server, virtual_authenticator):
    finance = UserFactory(username="t-finance", role="Finance officer")
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("button", name="Use a passkey").is_visible()
    sign_in_with_password(page, live_server.url, "t-finance")
    page.goto(f"{live_server.url}/accounts/2fa/")
    assert page.get_by_role("heading", name="Security Keys").is_visible()
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert len(virtual_authenticator()) == 1  # the passkey lives in the authenticator
    key = Authenticator.objects.get(user=finance, type=Authenticator.Type.WEBAUTHN)
    assert key.data["name"] == "Work laptop"

    page.goto(f"{live_server.url}/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/")
    assert page.url.endswith("/accounts/")  # signed in, as the finance officer, with no password
    assert "t-finance" in page.content()
