"""The calls pages: the public list and call page, a provider's bid form, blind scoring,
moderation, the ranking, award and conclusion, and 404 for another organisation's bid."""

from datetime import date, timedelta

import pytest

from commissioning.calls.models import Bid
from grants.models import Programme
from tests.conftest import login

from .conftest import CLOSES, QUARTERS

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_open_calls_without_sign_in(client, published, setup, clock):
    page = client.get("/calls/")
    assert page.status_code == 200
    assert "Young people&#x27;s substance misuse treatment" in page.content.decode()
    detail = client.get(f"/calls/{published.call.pk}/").content.decode()
    assert "Understanding of need (quality, 60%)" in detail and "Sign in</a> as a provider to bid" in detail


def test_a_draft_call_page_is_404_except_for_commissioners(client, setup, provider, commissioner):
    url = f"/calls/{setup.call.pk}/"
    assert client.get(url).status_code == 404
    assert login(client, provider).get(url).status_code == 404
    assert login(client, commissioner).get(url).status_code == 200
    assert "Publish call" in client.get(url).content.decode()


def bid_form(call, lot, measure, price="100000"):
    data = {
        "title": "Young people's recovery", "summary": "Our model", "price": price, "service_fee": "20000",
        "budget-staff": "60000", "budget-delivery": "40000", "sv-measure": "Apprentices", "sv-quantity": "2",
        "sv-by": "2011-03-31", "declaration_accurate": "on", "declaration_no_collusion": "on",
        "declaration_safeguarding": "on", f"tariff-{measure.pk}": "3000", "action": "submit",
    }  # fmt: skip
    data |= {f"answer-{c.pk}": f"On {c.name}" for c in call.criteria.all()}
    data |= {f"eligible-{q.pk}": "yes" for q in call.eligibility_questions.all()}
    data |= {f"volume-{measure.pk}-{fy}-{q}": "6" for fy, q in QUARTERS}
    return data


def test_a_provider_bids_through_the_pages_and_others_get_404(client, published, provider, provider2, org_a):
    call = published.call
    login(client, provider)
    started = client.post(f"/calls/{call.pk}/bids/new/", {"lot": published.lot1.pk, "organisation": org_a.pk})
    bid = Bid.objects.get()
    assert started.url == f"/calls/bids/{bid.pk}/"
    incomplete = client.post(
        started.url, {**bid_form(call, published.lot1, published.measure_a), "price": "130000"}
    )
    assert incomplete.status_code == 200
    assert (
        "The price (£130,000.00) is more than the lot&#x27;s budget (£120,000.00)."
        in incomplete.content.decode()
    )
    assert Bid.objects.get().status == "draft"
    done = client.post(started.url, bid_form(call, published.lot1, published.measure_a), follow=True)
    assert "Bid submitted" in done.content.decode()
    assert Bid.objects.get().status == "submitted"
    assert login(client, provider2).get(started.url).status_code == 404


def test_commissioners_score_blind_moderate_award_and_conclude(
    client, published, provider, provider2, org_a, org_b, commissioner, commissioner2, clock, today
):
    call = published.call
    for user, org in ((provider, org_a), (provider2, org_b)):
        login(client, user)
        client.post(f"/calls/{call.pk}/bids/new/", {"lot": published.lot1.pk, "organisation": org.pk})
        bid = Bid.objects.get(organisation=org)
        client.post(f"/calls/bids/{bid.pk}/", bid_form(call, published.lot1, published.measure_a))
    a, b = Bid.objects.get(organisation=org_a), Bid.objects.get(organisation=org_b)
    assert {a.status, b.status} == {"submitted"}
    login(client, commissioner)
    client.post(f"/calls/{call.pk}/assessment/assessors/", {"user": commissioner.pk, "is_lead": "on"})
    client.post(f"/calls/{call.pk}/assessment/assessors/", {"user": commissioner2.pk})
    clock.set(CLOSES + timedelta(hours=1))
    criteria = list(call.criteria.order_by("order"))
    for user, values in (
        (commissioner, {a: [4, 3, 3], b: [3, 3, 3]}),
        (commissioner2, {a: [2, 3, 3], b: [3, 3, 3]}),
    ):
        login(client, user)
        assert client.get(f"/calls/bids/{a.pk}/").status_code == 403  # interests first
        for org in (org_a, org_b):
            client.post(
                f"/calls/{call.pk}/assessment/interests/", {"organisation": org.pk, "conflicted": "no"}
            )
        for bid, scores in values.items():
            form = {f"score-{c.pk}": str(v) for c, v in zip(criteria, scores, strict=True)}
            form |= {f"justification-{c.pk}": "Against the descriptors" for c in criteria}
            if user == commissioner2 and bid == a:
                page = client.get(f"/calls/bids/{a.pk}/").content.decode()
                assert "t-commissioner: 4" not in page  # blind before submitting
            client.post(f"/calls/bids/{bid.pk}/scores/", {**form, "action": "submit"})
    assert "t-commissioner: 4" in client.get(f"/calls/bids/{a.pk}/").content.decode()
    login(client, commissioner)
    assert "Needs moderation" in client.get(f"/calls/{call.pk}/assessment/").content.decode()
    client.post(
        f"/calls/bids/{a.pk}/moderation/", {"criterion": criteria[0].pk, "score": "3", "rationale": "Panel"}
    )
    today.set(date(2010, 12, 17))
    client.post(
        f"/calls/{call.pk}/award/", {"lot": published.lot1.pk, "bid": a.pk, "rationale": "Highest total"}
    )
    page = client.get(f"/calls/{call.pk}/assessment/").content.decode()
    assert "The standstill ends at the end of Friday 31 December 2010" in page
    refused = client.post(
        f"/calls/{call.pk}/conclude/", {"lot": published.lot1.pk}, follow=True
    ).content.decode()
    assert "The standstill runs until the end of 31 Dec 2010" in refused
    today.set(date(2011, 1, 4))
    client.post(f"/calls/{call.pk}/conclude/", {"lot": published.lot1.pk})
    programme = Programme.objects.get(winning_bid=a)
    assert programme.targets.count() == 4
    assert programme.reference in client.get(f"/calls/{call.pk}/assessment/").content.decode()


def test_open_a_call_prefilled_from_a_programme_to_recommission(client, commissioner, provider, clock):
    from decimal import Decimal

    from tests.factories import ProgrammeTargetFactory

    target = ProgrammeTargetFactory(target_value=Decimal("12"))
    programme = target.programme
    assert login(client, provider).get(f"/calls/new/?programme={programme.pk}").status_code == 403
    login(client, commissioner)
    page = client.get(f"/calls/new/?programme={programme.pk}").content.decode()
    assert f"Recommissioning: {programme.title}" in page and f'value="{target.measure_id}" checked' in page
    form = {
        "source_programme": programme.pk, "reference": "SSP-C-2010-09", "title": "Recommissioning",
        "specification": "Outcomes", "kind": "grant", "commissioning_model": "grant",
        "funding_stream": programme.funding_stream_id, "opens_at": "2010-01-04 09:00",
        "clarification_deadline": "2010-01-25 12:00", "closes_at": "2010-02-01 12:00",
        "service_start": "2010-04-01", "service_end": "2011-03-31", "quality_weight": "60", "price_weight": "30",
        "social_value_weight": "20", "quality_threshold": "50", "price_method": "relative",
        "budget": "100000", "measures": [target.measure_id],
    }  # fmt: skip
    refused = client.post("/calls/new/", form).content.decode()
    assert "they add up to 110" in refused
    created = client.post("/calls/new/", {**form, "social_value_weight": "10"})
    from commissioning.calls.models import Call

    call = Call.objects.get(reference="SSP-C-2010-09")
    assert created.url == f"/calls/{call.pk}/"
    assert call.source_programme == programme and call.status == "draft"
    assert list(call.priorities.all()) == list(programme.priorities.all())
    assert call.lots.get().lot_measures.get().measure_id == target.measure_id


def test_a_blank_call_form_renders_without_a_programme(client, commissioner):
    page = login(client, commissioner).get("/calls/new/")
    assert page.status_code == 200
    assert 'id="title"' in page.content.decode()
