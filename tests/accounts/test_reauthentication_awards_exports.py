"""Re-authentication before concluding an award and before exporting participant-level data
(accounts.security): the web page asks for the password and replays the POST; the API asks a
browser session (403 naming the page) and never a token, which has no password to re-enter."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.security import REAUTHENTICATE_API_MESSAGE
from commissioning.calls import services
from commissioning.calls.models import Award
from grants.models import Programme
from tests.calls.conftest import CLOSES, clock, commissioner2, complete_bid, published, setup, today  # noqa: F401
from tests.factories import PASSWORD, ProgrammeFactory

pytestmark = pytest.mark.django_db

ASKED = REAUTHENTICATE_API_MESSAGE.format(url="/accounts/reauthenticate/")


@pytest.fixture
def reauthenticate(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "REAUTHENTICATE_SENSITIVE": True}


def sign_in(client, username: str):
    response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return client


def age_sign_in(client, seconds: int) -> None:
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


@pytest.fixture
def awarded(published, provider, org_a, commissioner, commissioner2, clock, today):  # noqa: F811
    """Lot 1 awarded on 17 December 2010; the standstill is over on 4 January 2011."""
    call = published.call
    bid = services.bid_submit(user=provider, bid=complete_bid(provider, call, published.lot1, org_a))
    services.assessor_assign(user=commissioner, call=call, assessor=commissioner, is_lead=True)
    clock.set(CLOSES + timedelta(hours=1))
    services.interest_declare(user=commissioner, call=call, organisation=org_a, conflicted=False)
    for criterion in call.criteria.all():
        services.score_record(user=commissioner, bid=bid, criterion=criterion, score=3, justification="Sound")
    services.assessment_submit(user=commissioner, bid=bid)
    today.set(date(2010, 12, 17))
    award = services.award_recommend(user=commissioner, lot=published.lot1, bid=bid, rationale="Top")
    today.set(date(2011, 1, 4))
    return award


def test_concluding_an_award_after_an_old_sign_in_asks_for_the_password(client, awarded, reauthenticate):
    sign_in(client, "t-commissioner")
    age_sign_in(client, 600)
    url = reverse("calls:conclude", args=[awarded.lot.call_id])
    response = client.post(url, {"lot": awarded.lot_id})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert Award.objects.get(pk=awarded.pk).concluded_at is None
    assert not Programme.objects.filter(winning_bid=awarded.bid).exists()
    wrong = client.post(response["Location"], {"password": "not it"})
    assert wrong.status_code == 200 and Award.objects.get(pk=awarded.pk).concluded_at is None
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    client.get(done["Location"])  # the suspended POST is replayed
    assert Award.objects.get(pk=awarded.pk).concluded_at is not None
    assert Programme.objects.filter(winning_bid=awarded.bid).exists()


def test_a_fresh_sign_in_concludes_without_asking(client, awarded, reauthenticate):
    sign_in(client, "t-commissioner")
    response = client.post(reverse("calls:conclude", args=[awarded.lot.call_id]), {"lot": awarded.lot_id})
    assert response.status_code == 302 and response["Location"] == reverse(
        "calls:assessment", args=[awarded.lot.call_id]
    )
    assert Award.objects.get(pk=awarded.pk).concluded_at is not None


def test_the_api_asks_a_browser_session_before_concluding(client, awarded, reauthenticate):
    sign_in(client, "t-commissioner")
    age_sign_in(client, 600)
    url = f"/api/calls/{awarded.lot.call_id}/conclude/"
    refused = client.post(url, {"lot": awarded.lot_id}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"] == ASKED
    assert Award.objects.get(pk=awarded.pk).concluded_at is None
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    done = client.post(url, {"lot": awarded.lot_id}, content_type="application/json")
    assert done.status_code == 200, done.json()
    assert Award.objects.get(pk=awarded.pk).concluded_at is not None


def test_a_token_concludes_without_being_asked(api, awarded, commissioner, reauthenticate):
    response = api(commissioner).post(
        f"/api/calls/{awarded.lot.call_id}/conclude/", {"lot": awarded.lot_id}, format="json"
    )
    assert response.status_code == 200, response.json()


@pytest.fixture
def programme(org_a):
    return ProgrammeFactory(provider=org_a)


@pytest.mark.parametrize("who", ["t-provider", "t-commissioner"])
def test_participant_level_lists_ask_a_browser_session(
    client, programme, commissioner, provider, reauthenticate, who
):
    sign_in(client, who)
    urls = ["/api/claims/", f"/api/programmes/{programme.pk}/participants/"]
    for url in urls:
        assert client.get(url).status_code == 200, url  # a sign-in a moment ago counts
    age_sign_in(client, 600)
    for url in urls:
        refused = client.get(url)
        assert refused.status_code == 403 and refused.json()["detail"] == ASKED, url
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_participant_level_lists_are_not_asked_of_a_token(api, programme, provider, reauthenticate):
    client = api(provider)
    assert client.get("/api/claims/").status_code == 200
    assert client.get(f"/api/programmes/{programme.pk}/participants/").status_code == 200


def test_with_the_setting_off_nothing_is_asked(client, programme, provider):
    sign_in(client, "t-provider")
    age_sign_in(client, 600)
    assert client.get("/api/claims/").status_code == 200


def test_recording_a_payment_through_the_api_asks_a_browser_session(
    client, finance, programme, reauthenticate
):
    sign_in(client, "t-finance")
    age_sign_in(client, 600)
    body = {"programme": programme.pk, "financial_year": "2009/10", "quarter": 1, "amount": "10.00",
            "paid_on": "2009-08-01", "reference": "REM-9"}  # fmt: skip
    refused = client.post("/api/payments/", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"] == ASKED
    # Other reads of the payments are not asked.
    assert client.get("/api/payments/").status_code == 200
