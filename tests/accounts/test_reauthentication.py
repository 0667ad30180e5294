"""Re-authentication before sensitive actions (accounts.security.reauthentication_required):
recording or reversing a payment asks for the password again once the last sign-in or
re-authentication is older than ACCOUNT_REAUTHENTICATION_TIMEOUT; the POST then goes through."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Payment
from tests.factories import PASSWORD, OutcomeReturnFactory, ProgrammeTargetFactory
from tests.finance.conftest import pbr_programme

pytestmark = pytest.mark.django_db

FORM = {"financial_year": "2009/10", "quarter": 1, "amount": "5333.33", "paid_on": "2009-08-01", "reference": "REM-1"}


@pytest.fixture
def pbr(org_a):
    """Payment by results, 4 verified outcomes at £500 in 2009/10 Q1: £5,333.33 due."""
    from grants.models import OutcomeReturn

    programme = pbr_programme(reference="SSP-PBR1", title="Job coaching", provider=org_a)
    target = ProgrammeTargetFactory(programme=programme, quarter=1, tariff=Decimal("500"))
    OutcomeReturnFactory(programme=programme, measure=target.measure, quarter=1, value=Decimal("4"),
                         status=OutcomeReturn.Status.VERIFIED, spend=Decimal("12000"))  # fmt: skip
    return programme


@pytest.fixture
def reauthenticate(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "REAUTHENTICATE_SENSITIVE": True}


def sign_in(client, username):
    assert client.post(reverse("account_login"), {"login": username, "password": PASSWORD}).status_code == 302


def age_sign_in(client, seconds: int) -> None:
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


def test_a_fresh_sign_in_records_a_payment_without_asking_again(client, finance, pbr, reauthenticate):
    sign_in(client, "t-finance")
    url = reverse("finance-programme-payments", args=[pbr.pk])
    assert client.post(url, {"programme": pbr.pk, **FORM}).status_code == 302
    assert Payment.objects.get().amount == Decimal("5333.33")


def test_an_old_sign_in_is_asked_for_the_password_before_a_payment(client, finance, pbr, reauthenticate):
    sign_in(client, "t-finance")
    age_sign_in(client, 600)
    url = reverse("finance-programme-payments", args=[pbr.pk])
    assert client.get(url).status_code == 200  # looking needs no password
    response = client.post(url, {"programme": pbr.pk, **FORM})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Payment.objects.exists()
    wrong = client.post(response["Location"], {"password": "not it"})
    assert wrong.status_code == 200 and not Payment.objects.exists()
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    # the suspended POST is replayed after re-authenticating
    client.get(done["Location"])
    assert Payment.objects.get().reference == "REM-1"


def test_reversing_a_payment_asks_too(client, finance, pbr, reauthenticate):
    sign_in(client, "t-finance")
    client.post(reverse("finance-programme-payments", args=[pbr.pk]), {"programme": pbr.pk, **FORM})
    payment = Payment.objects.get()
    age_sign_in(client, 600)
    response = client.post(reverse("finance-payment-reverse", args=[payment.pk]), {"reason": "Recorded twice"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Payment.objects.count() == 1
