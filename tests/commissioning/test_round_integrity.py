"""Issue 12 defects 4 and 9 (review parts): a commissioner with a declared conflict cannot record
the programme's decision (service, page, API); providers read a round's decisions only once it is
closed; funding reviews of an empty year are valid and of an out-of-range year are a 404."""

import pytest
from django.urls import reverse

from commissioning import selectors, services
from commissioning.models import Decision, ReviewRound
from commissioning.permissions import ADMINS_REOPEN_ROUNDS
from commissioning.reports.selectors import YEAR_OUT_OF_RANGE
from commissioning.services import CONFLICTED_DECISION
from core.errors import Conflict, NotPermitted
from tests.conftest import login
from tests.factories import UserFactory
from tests.finance.test_funding_review import pdf_text

pytestmark = pytest.mark.django_db
URL = "/api/review-rounds/"


@pytest.fixture
def open_round(commissioner, portfolio):
    rnd = services.round_create(user=commissioner, name="2009/10 review", first_year="2009/10",
                                last_year="2009/10")  # fmt: skip
    return services.round_transition(user=commissioner, review_round=rnd, to="open")


@pytest.fixture
def conflicted(open_round, commissioner, portfolio):
    services.conflict_declare(user=commissioner, review_round=open_round, programme=portfolio["a"],
                              description="Trustee of the provider")  # fmt: skip
    return open_round


def test_service_refuses_a_conflicted_commissioners_decision(conflicted, commissioner, portfolio):
    with pytest.raises(NotPermitted) as refused:
        services.decision_record(user=commissioner, review_round=conflicted, programme=portfolio["a"],
                                 outcome="continue", rationale="Good")  # fmt: skip
    assert refused.value.message == CONFLICTED_DECISION
    assert not Decision.objects.exists()
    # Another commissioner, without a conflict, records it; the conflicted one is refused on the
    # other programme only if conflicted there too.
    other = UserFactory(username="t-commissioner2", role="Commissioner")
    services.decision_record(user=other, review_round=conflicted, programme=portfolio["a"],
                             outcome="continue", rationale="Good")  # fmt: skip
    services.decision_record(user=commissioner, review_round=conflicted, programme=portfolio["b"],
                             outcome="continue", rationale="Good")  # fmt: skip
    assert Decision.objects.count() == 2


def test_api_refuses_a_conflicted_commissioners_decision(api, conflicted, commissioner, portfolio):
    response = api(commissioner).post(f"{URL}{conflicted.pk}/decisions/",
                                      {"programme": portfolio["a"].pk, "outcome": "continue",
                                       "rationale": "Good"}, format="json")  # fmt: skip
    assert response.status_code == 403
    assert response.json()["detail"] == CONFLICTED_DECISION
    assert not Decision.objects.exists()


def test_page_hides_the_decision_form_and_says_why(client, conflicted, commissioner, portfolio):
    login(client, commissioner)
    url = reverse("commissioning:score", args=[conflicted.pk, portfolio["a"].pk])
    page = client.get(url).content.decode()
    assert CONFLICTED_DECISION in page
    assert reverse("commissioning:decision", args=[conflicted.pk, portfolio["a"].pk]) not in page
    posted = client.post(reverse("commissioning:decision", args=[conflicted.pk, portfolio["a"].pk]),
                         {"outcome": "continue", "rationale": "Good"}, follow=True)  # fmt: skip
    assert CONFLICTED_DECISION in posted.content.decode()
    assert not Decision.objects.exists()
    # Without the conflict, the form is there.
    other = client.get(reverse("commissioning:score", args=[conflicted.pk, portfolio["b"].pk])).content
    assert reverse("commissioning:decision", args=[conflicted.pk, portfolio["b"].pk]) in other.decode()


def test_providers_read_decisions_only_once_the_round_closes(api, client, open_round, commissioner, provider,
                                                             portfolio):  # fmt: skip
    services.decision_record(user=commissioner, review_round=open_round, programme=portfolio["a"],
                             outcome="recommission", rationale="Secret rationale")  # fmt: skip
    url = f"{URL}{open_round.pk}/decisions/"
    assert api(provider).get(url).json() == []
    assert len(api(commissioner).get(url).json()) == 1
    login(client, provider)
    page = client.get(reverse("programme-detail", args=[portfolio["a"].pk])).content.decode()
    assert "Secret rationale" not in page and "once the round closes" in page
    services.round_transition(
        user=commissioner, review_round=open_round, to=ReviewRound.Status.CLOSED, confirmed=True
    )
    assert [d["rationale"] for d in api(provider).get(url).json()] == ["Secret rationale"]
    page = client.get(reverse("programme-detail", args=[portfolio["a"].pk])).content.decode()
    assert "Secret rationale" in page


def test_funding_review_of_a_year_with_no_programmes_says_so(api, client, finance):
    response = api(finance).get("/api/financial-years/9998-99/funding-review.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_text(response.content))
    assert "Financial year 9998/99" in text and "Financial years" not in text
    assert "nothing to review" in text
    login(client, finance)
    assert client.get("/funding-reviews/years/9998-99/").status_code == 200


@pytest.mark.parametrize("year", ["0001-02", "1899-00"])
def test_funding_review_of_an_out_of_range_year_is_a_404(api, client, finance, year):
    response = api(finance).get(f"/api/financial-years/{year}/funding-review.pdf")
    assert response.status_code == 404
    assert response.json()["detail"] == YEAR_OUT_OF_RANGE.format(year=year.replace("-", "/"))
    login(client, finance)
    page = client.get(f"/funding-reviews/years/{year}/")
    assert page.status_code == 404 and "reviews cover financial years 1900/01" in page.content.decode()


# Defect 5: closing asks first, with the counts; an admin can reopen, with a reason kept in history.


def test_closing_with_work_left_needs_confirming_with_the_counts(commissioner, open_round, portfolio):
    services.decision_record(user=commissioner, review_round=open_round, programme=portfolio["a"],
                             outcome="continue", rationale="Good")  # fmt: skip
    with pytest.raises(Conflict) as refused:
        services.round_transition(user=commissioner, review_round=open_round, to="closed")
    assert refused.value.code == services.CLOSE_UNCONFIRMED
    assert refused.value.message == (
        "2 of 2 programmes are unscored and 1 has no decision; once closed, nothing in the round can be changed."
    )
    assert refused.value.extra == {"programmes": 2, "unscored": 2, "undecided": 1}
    open_round.refresh_from_db()
    assert open_round.status == "open"
    closed = services.round_transition(
        user=commissioner, review_round=open_round, to="closed", confirmed=True
    )
    assert closed.status == "closed"


def test_api_close_answers_409_with_counts_then_closes_when_confirmed(api, commissioner, open_round):
    url = f"{URL}{open_round.pk}/"
    refused = api(commissioner).patch(url, {"status": "closed"}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert (body["programmes"], body["unscored"], body["undecided"]) == (2, 2, 2)
    assert body["detail"].startswith("2 of 2 programmes are unscored and 2 have no decision")
    assert body["detail"].endswith('send "confirm": true with the status to close it anyway.')
    closed = api(commissioner).patch(url, {"status": "closed", "confirm": True}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_close_page_asks_with_the_counts(client, commissioner, open_round):
    login(client, commissioner)
    overview = client.get(reverse("commissioning:round", args=[open_round.pk])).content.decode()
    assert reverse("commissioning:close", args=[open_round.pk]) in overview
    assert "2 programmes: 2 unscored, 2 without a decision." in overview
    page = client.get(reverse("commissioning:close", args=[open_round.pk]))
    assert page.context["progress"] == selectors.RoundProgress(programmes=2, unscored=2, undecided=2)
    assert "2 of 2 programmes are unscored and 2 have no decision" in page.content.decode()
    transition = reverse("commissioning:transition", args=[open_round.pk])
    # Without the confirmation (an old form, or the counts changed): back to the question.
    unconfirmed = client.post(transition, {"to": "closed"})
    assert unconfirmed.url == reverse("commissioning:close", args=[open_round.pk])
    open_round.refresh_from_db()
    assert open_round.status == "open"
    client.post(transition, {"to": "closed", "confirmed": "yes"})
    open_round.refresh_from_db()
    assert open_round.status == "closed"


def test_only_an_admin_reopens_with_a_reason_kept_in_history(
    api, client, commissioner, admin_user, open_round
):
    services.round_transition(user=commissioner, review_round=open_round, to="closed", confirmed=True)
    url = f"{URL}{open_round.pk}/"
    refused = api(commissioner).patch(url, {"status": "open", "reason": "Late evidence"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == ADMINS_REOPEN_ROUNDS
    no_reason = api(admin_user).patch(url, {"status": "open"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json() == {"reason": [services.REOPEN_NEEDS_REASON]}
    too_long = api(admin_user).patch(url, {"status": "open", "reason": "x" * 91}, format="json")
    assert too_long.status_code == 400
    reopened = api(admin_user).patch(url, {"status": "open", "reason": "Late evidence from SSP-0901"},
                                     format="json")  # fmt: skip
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    latest = open_round.history.latest("history_date")
    assert latest.history_user == admin_user and latest.history_change_reason == (
        "Reopened: Late evidence from SSP-0901"
    )
    history = selectors.round_status_history(open_round)
    assert [(e["status"], e["reopened"]) for e in history] == [
        ("Draft", False),
        ("Open for scoring", False),
        ("Closed", False),
        ("Open for scoring", True),
    ]
    login(client, commissioner)
    page = client.get(reverse("commissioning:round", args=[open_round.pk])).content.decode()
    assert "reopened (Late evidence from SSP-0901)" in page


def test_reopen_form_is_shown_to_admins_only(client, commissioner, admin_user, open_round):
    services.round_transition(user=commissioner, review_round=open_round, to="closed", confirmed=True)
    url = reverse("commissioning:round", args=[open_round.pk])
    assert "Reopen the round" not in login(client, commissioner).get(url).content.decode()
    client.logout()
    page = login(client, admin_user).get(url).content.decode()
    assert "Reopen the round" in page
    client.post(reverse("commissioning:transition", args=[open_round.pk]), {"to": "open", "reason": "Appeal"})
    open_round.refresh_from_db()
    assert open_round.status == "open"
