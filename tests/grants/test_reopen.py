"""A verified return is shown read-only, and a commissioner may reopen it with a reason (issue 12,
defect 9: a verified return opened an edit form). Web and POST /api/returns/{id}/reopen/."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import OutcomeReturn
from tests.conftest import login
from tests.factories import ProgrammeTargetFactory
from tests.finance.conftest import pay, pbr_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(portfolio, provider, commissioner):
    item = services.ReturnInput(programme_id=portfolio["a"].pk, measure_id=portfolio["measure"].pk,
                                financial_year="2009/10", quarter=1, value=Decimal("12"))  # fmt: skip
    outcome_return = services.return_submit(user=provider, data=item)
    return services.return_verify(user=commissioner, outcome_return=outcome_return)


def test_a_verified_return_opens_read_only_not_as_a_form(client, provider, verified):
    login(client, provider)
    response = client.get(reverse("return-edit", args=[verified.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("return-detail", args=[verified.pk])
    assert "locked" in page and "<form" not in page[page.index("<h1") : page.index("History</h2>")]
    assert "Reopen this return" not in page  # providers cannot reopen
    # Posting an amendment to it is refused as before, and nothing changes.
    client.post(reverse("return-edit", args=[verified.pk]), {"value": "99", "spend": "", "notes": ""})
    assert OutcomeReturn.objects.get(pk=verified.pk).value == Decimal("12")


def test_a_commissioner_reopens_it_on_the_page_with_a_reason(client, commissioner, provider, verified):
    login(client, commissioner)
    page = client.get(reverse("return-detail", args=[verified.pk])).content.decode()
    assert "Reopen this return" in page
    url = reverse("return-reopen", args=[verified.pk])
    blank = client.post(url, {"reason": "  "})
    assert blank.status_code == 400 and "Say why the return is being reopened." in blank.content.decode()
    response = client.post(url, {"reason": "Evidence file was for Q2"}, follow=True)
    assert "back in the verification queue" in response.content.decode()
    reopened = OutcomeReturn.objects.get(pk=verified.pk)
    assert reopened.status == OutcomeReturn.Status.SUBMITTED
    assert reopened.query_reason == "Evidence file was for Q2"
    latest = reopened.history.first()
    assert latest.history_user == commissioner and latest.history_change_reason == "Reopened"
    # Once reopened the provider may amend it; it goes back to the queue as a new revision.
    amended = services.return_amend(user=provider, outcome_return=reopened, value=Decimal("11"))
    assert amended.revision == 2 and amended.status == OutcomeReturn.Status.SUBMITTED


def test_reopen_through_the_api(api, commissioner, provider, verified):
    url = f"/api/returns/{verified.pk}/reopen/"
    assert api(provider).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(commissioner).post(url, {}, format="json").status_code == 400
    response = api(commissioner).post(url, {"reason": "Wrong quarter"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted" and response.json()["query_reason"] == "Wrong quarter"
    again = api(commissioner).post(url, {"reason": "Wrong quarter"}, format="json")
    assert again.status_code == 409 and "Only a verified return can be reopened" in again.json()["detail"]
    history = api(commissioner).get(f"/api/returns/{verified.pk}/history/").json()
    assert history[-1]["reason"] == "Reopened" and history[-1]["changed_by"] == commissioner.username
    assert history[-1]["changes"]["status"] == {"from": "verified", "to": "submitted"}


def test_amending_a_verified_return_needs_reopening_first(api, provider, verified):
    response = api(provider).patch(f"/api/returns/{verified.pk}/", {"value": "13"}, format="json")
    assert response.status_code == 409 and "reopen" in response.json()["detail"]


def test_a_return_paid_for_cannot_be_reopened_until_the_payment_is_reversed(commissioner, finance, org_a):
    programme = pbr_programme(provider=org_a)
    target = ProgrammeTargetFactory(programme=programme, quarter=1, tariff=Decimal("500"))
    outcome_return = OutcomeReturn.objects.create(
        programme=programme, measure=target.measure, financial_year="2009/10", quarter=1, value=Decimal("4"),
        status=OutcomeReturn.Status.VERIFIED, submitted_by=commissioner, submitted_at=timezone.now(),
    )  # fmt: skip
    payment = pay(finance, programme)
    from core.errors import Conflict

    with pytest.raises(Conflict, match="£5,333.33 has been paid for 2009/10 Q1"):
        services.return_reopen(user=commissioner, outcome_return=outcome_return, reason="Check")
    services.payment_reverse(user=finance, payment=payment, reason="Paid in error")
    reopened = services.return_reopen(user=commissioner, outcome_return=outcome_return, reason="Check")
    assert reopened.status == OutcomeReturn.Status.SUBMITTED
