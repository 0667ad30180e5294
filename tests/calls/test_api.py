"""The calls API: the public feed without sign-in, the whole cycle through the endpoints, provider
isolation (another organisation's bid is 404 on every bid endpoint), 409 for late submission and
concluding in standstill, and query counts constant in the number of bids."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.calls import services
from commissioning.calls.models import Bid, Call
from grants.models import Programme
from tests.factories import OrganisationFactory, UserFactory

from .conftest import CLOSES, DESCRIPTORS, OPENS, QUARTERS, complete_bid

pytestmark = pytest.mark.django_db


def test_open_calls_are_public_without_sign_in(api, published, setup, commissioner, clock):
    response = api().get("/api/public/calls/")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == ["SSP-C-2010-01"]
    assert response.json()["results"][0]["lots"][0] == {
        "number": 1,
        "title": "Treatment",
        "budget": "120000.00",
    }
    clock.set(CLOSES)
    assert api().get("/api/public/calls/").json()["results"] == []


def test_a_draft_call_is_only_for_commissioners(api, setup, provider, finance, commissioner):
    url = f"/api/calls/{setup.call.pk}/"
    assert api(commissioner).get(url).status_code == 200
    for user in (provider, finance):
        assert api(user).get(url).status_code == 404
    assert api(provider).get("/api/calls/").json()["results"] == []
    assert api().get(url).status_code == 401


def test_a_commissioner_creates_and_publishes_a_call_through_the_api(
    api, commissioner, setup, provider, clock
):
    body = {
        "reference": "SSP-C-2010-02", "title": "Assertive drugs outreach", "kind": "contract",
        "specification": "Reach people not in treatment.", "commissioning_model": "grant",
        "funding_stream": setup.call.funding_stream_id, "priorities": [setup.priority.pk],
        "opens_at": OPENS.isoformat(), "closes_at": CLOSES.isoformat(),
        "clarification_deadline": (CLOSES - timedelta(days=7)).isoformat(),
        "service_start": "2010-04-01", "service_end": "2011-03-31",
        "quality_weight": 70, "price_weight": 30, "social_value_weight": 0, "quality_threshold": "40.00",
        "price_method": "cost_per_outcome",
        "lots": [{"number": 1, "title": "Outreach", "budget": "50000.00",
                  "measures": [{"measure": setup.measure_b.pk, "minimum_volume": "10"}]}],
        "criteria": [{"name": "Approach", "weight": 100, "descriptors": DESCRIPTORS}],
        "eligibility_questions": ["Registered charity"],
    }  # fmt: skip
    response = api(commissioner).post("/api/calls/", body, format="json")
    assert response.status_code == 201, response.json()
    call_id = response.json()["id"]
    assert response.json()["lots"][0]["measures"][0]["minimum_volume"] == "10.00"
    assert (
        api(provider).post(f"/api/calls/{call_id}/publish/").status_code == 404
    )  # a draft is not theirs to see
    assert api(commissioner).post(f"/api/calls/{call_id}/publish/").json()["status"] == "open"
    changed = api(commissioner).patch(
        f"/api/calls/{call_id}/", {"price_weight": 20, "quality_weight": 80}, format="json"
    )
    assert changed.status_code == 409
    bad = api(commissioner).post("/api/calls/", {**body, "reference": "X", "price_weight": 40}, format="json")
    assert bad.status_code == 400
    assert bad.json()["weights"] == [
        "Quality, price and social value weights must add up to 100; they add up to 110."
    ]


def test_a_provider_bids_through_the_api_and_late_submission_is_409(api, published, provider, org_a, clock):
    call, lot = published.call, published.lot1
    client = api(provider)
    created = client.post(
        f"/api/calls/{call.pk}/bids/", {"lot": lot.pk, "organisation": org_a.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    bid_id = created.json()["id"]
    body = {
        "price": "100000.00", "service_fee": "20000.00", "summary": "Our model",
        "declaration_accurate": True, "declaration_no_collusion": True, "declaration_safeguarding": True,
        "answers": [{"criterion": c.pk, "text": "Answer"} for c in call.criteria.all()],
        "eligibility": [{"question": q.pk, "meets": True} for q in call.eligibility_questions.all()],
        "proposed_outcomes": [{"measure": published.measure_a.pk, "financial_year": fy, "quarter": q, "volume": "6"}
                              for fy, q in QUARTERS],
        "rate_card": [{"measure": published.measure_a.pk, "tariff": "3000.00"}],
        "budget_lines": [{"category": "staff", "amount": "70000.00"}, {"category": "delivery", "amount": "30000.00"}],
        "social_value": [{"measure": "Apprentices", "quantity": "2", "by_when": "2011-03-31"}],
    }  # fmt: skip
    patched = client.patch(f"/api/bids/{bid_id}/", body, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["projected"]["projected_cost_per_outcome"] == "4166.67"  # £100,000 ÷ 24
    clock.set(CLOSES)
    late = client.post(f"/api/bids/{bid_id}/submit/")
    assert late.status_code == 409
    assert (
        late.json()["detail"] == "The call closed at 12:00:00 on 1 Feb 2010; bids can no longer be submitted."
    )
    clock.set(CLOSES - timedelta(seconds=1))
    assert client.post(f"/api/bids/{bid_id}/submit/").json()["status"] == "submitted"
    assert client.patch(f"/api/bids/{bid_id}/", {"price": "1.00"}, format="json").status_code == 409


@pytest.fixture
def their_bid(published, provider, org_a):
    return services.bid_submit(
        user=provider, bid=complete_bid(provider, published.call, published.lot1, org_a)
    )


BID_ENDPOINTS = [
    ("get", "/api/bids/{id}/", None),
    ("patch", "/api/bids/{id}/", {"title": "Mine now"}),
    ("post", "/api/bids/{id}/submit/", None),
    ("post", "/api/bids/{id}/withdraw/", None),
    ("post", "/api/bids/{id}/exclude/", {"reason": "x"}),
    ("get", "/api/bids/{id}/scores/", None),
    ("post", "/api/bids/{id}/scores/", {"criterion": 1, "score": 3, "justification": "x"}),
    ("post", "/api/bids/{id}/scores/submit/", None),
    ("get", "/api/bids/{id}/moderation/", None),
    ("post", "/api/bids/{id}/moderation/", {"criterion": 1, "score": 3, "rationale": "x"}),
]


@pytest.mark.parametrize(("method", "path", "body"), BID_ENDPOINTS)
def test_another_organisations_bid_is_404_on_every_bid_endpoint(
    api, their_bid, provider2, finance, method, path, body
):
    url = path.format(id=their_bid.pk)
    for user in (provider2, finance):
        response = getattr(api(user), method)(url, body, format="json")
        assert response.status_code == 404, (user.username, response.content)
        assert response.json()["detail"] == "No bid with that id is visible to you."
    assert getattr(api(), method)(url, body, format="json").status_code == 401
    assert Bid.objects.get(pk=their_bid.pk).status == Bid.Status.SUBMITTED


CALL_ENDPOINTS = [
    ("get", "/api/calls/{id}/bids/", None, 200),
    ("post", "/api/calls/{id}/bids/", {"lot": 0, "organisation": 0}, 400),
    ("get", "/api/calls/{id}/questions/", None, 200),
    ("get", "/api/calls/{id}/interests/", None, 403),
    ("post", "/api/calls/{id}/interests/", {"organisation": 1, "conflicted": False}, 403),
    ("get", "/api/calls/{id}/ranking/", None, 403),
    ("get", "/api/calls/{id}/assessors/", None, 403),
    ("post", "/api/calls/{id}/award/", {"lot": 1, "bid": 1, "rationale": "x"}, 403),
    ("post", "/api/calls/{id}/conclude/", {"lot": 1}, 403),
]


@pytest.mark.parametrize(("method", "path", "body", "expected"), CALL_ENDPOINTS)
def test_providers_see_only_their_own_through_call_endpoints(
    api, their_bid, provider2, method, path, body, expected
):
    response = getattr(api(provider2), method)(path.format(id=their_bid.call_id), body, format="json")
    assert response.status_code == expected, response.content
    if method == "get" and expected == 200:
        assert response.json() in ([], {"count": 0, "next": None, "previous": None, "results": []})


def test_the_bid_list_is_each_providers_own(
    api, their_bid, published, provider, provider2, org_b, commissioner
):
    services.bid_create(user=provider2, call=published.call, lot=published.lot1, organisation=org_b)
    url = f"/api/calls/{published.call.pk}/bids/"
    assert [b["id"] for b in api(provider).get(url).json()["results"]] == [their_bid.pk]
    assert [b["organisation"] for b in api(provider2).get(url).json()["results"]] == [org_b.pk]
    assert [b["id"] for b in api(commissioner).get(url).json()["results"]] == [
        their_bid.pk
    ]  # drafts are private


def add_bids(published, count: int):
    """`count` more submitted bids in lot 1, each from a new organisation."""
    call = published.call
    for n in range(count):
        org = OrganisationFactory()
        user = UserFactory(role="Provider", organisations=[org])
        services.bid_submit(
            user=user, bid=complete_bid(user, call, published.lot1, org, price=Decimal(90000 + n))
        )


def test_ranking_and_bid_list_queries_do_not_grow_with_bids(
    api, published, commissioner, commissioner2, clock
):
    call = published.call
    services.assessor_assign(user=commissioner, call=call, assessor=commissioner, is_lead=True)
    services.assessor_assign(user=commissioner, call=call, assessor=commissioner2)
    counts = []
    for _ in range(2):
        clock.set(OPENS + timedelta(days=1))
        add_bids(published, 2)
        _rescore(call, [commissioner, commissioner2], clock)
        client = api(commissioner)
        with CaptureQueriesContext(connection) as ranking:
            response = client.get(f"/api/calls/{call.pk}/ranking/")
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert client.get(f"/api/calls/{call.pk}/bids/").status_code == 200
        counts.append((len(ranking), len(listing), len(response.json())))
    assert counts[1][2] == 2 * counts[0][2] == 4
    assert counts[0][:2] == counts[1][:2]


def _rescore(call, assessors, clock):
    clock.set(CLOSES + timedelta(hours=1))
    for user in assessors:
        for bid in Bid.objects.filter(call=call).exclude(assessments__assessor=user):
            services.interest_declare(user=user, call=call, organisation=bid.organisation, conflicted=False)
            for criterion in call.criteria.all():
                services.score_record(user=user, bid=bid, criterion=criterion, score=3, justification="Sound")
            services.assessment_submit(user=user, bid=bid)


def test_award_in_standstill_is_409_then_concludes_into_a_programme(
    api, published, their_bid, provider2, org_b, commissioner, commissioner2, clock, today
):
    call = published.call
    services.bid_submit(
        user=provider2, bid=complete_bid(provider2, call, published.lot1, org_b, price=Decimal(110000))
    )
    client = api(commissioner)
    client.post(f"/api/calls/{call.pk}/assessors/", {"user": commissioner.pk, "is_lead": True}, format="json")
    assert (
        client.post(f"/api/calls/{call.pk}/assessors/", {"user": commissioner2.pk}, format="json").status_code
        == 201
    )
    _rescore(call, [commissioner, commissioner2], clock)
    ranking = client.get(f"/api/calls/{call.pk}/ranking/").json()
    assert [r["bid"] for r in ranking] == [their_bid.pk, Bid.objects.get(organisation=org_b).pk]
    # Every score 3: quality 60% → 36; the lowest price → 30; social value 10 × 3/5 = 6: 72. The other
    # bid's price score is 30 × 100,000 ÷ 110,000 = 27.27.
    assert [(r["total"], r["price_score"]) for r in ranking] == [("72.00", "30.00"), ("69.27", "27.27")]
    today.set(date(2010, 12, 17))
    award = client.post(
        f"/api/calls/{call.pk}/award/",
        {"lot": published.lot1.pk, "bid": their_bid.pk, "rationale": "Top"},
        format="json",
    )
    assert award.status_code == 201, award.json()
    assert award.json()["standstill_ends"] == "2010-12-31"
    today.set(date(2010, 12, 31))
    refused = client.post(f"/api/calls/{call.pk}/conclude/", {"lot": published.lot1.pk}, format="json")
    assert refused.status_code == 409
    assert (
        refused.json()["detail"]
        == "The standstill runs until the end of 31 Dec 2010; the award can be concluded from the next day."
    )
    today.set(date(2011, 1, 4))
    concluded = client.post(f"/api/calls/{call.pk}/conclude/", {"lot": published.lot1.pk}, format="json")
    assert concluded.status_code == 200, concluded.json()
    programme = Programme.objects.get(pk=concluded.json()["programme"])
    assert programme.reference == "SSP-C-2010-01-L1" and programme.targets.count() == 4
    assert Call.objects.get(pk=call.pk).status == Call.Status.OPEN  # lot 2 is still to award
