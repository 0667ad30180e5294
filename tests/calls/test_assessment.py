"""Assessment: the conflicts register, blind scoring, moderation where assessors differ by two
or more, exclusion; the ranking's figures; award, standstill over Christmas and conclusion into
a programme whose targets and tariffs equal the bid's."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from commissioning.calls import selectors, services
from commissioning.calls.models import AssessorScore, Call, Moderation
from commissioning.calls.services.assessment import (
    ASSESSMENT_NOT_STARTED,
    NOT_LEAD,
    NOT_MODERATION_CASE,
)
from commissioning.calls.services.awards import AWAITING_MODERATION, IN_STANDSTILL
from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from grants.models import Programme, ProgrammeTarget

from .conftest import CLOSES, complete_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def bids(published, provider, provider2, org_a, org_b):
    a = services.bid_submit(user=provider, bid=complete_bid(provider, published.call, published.lot1, org_a))
    b = services.bid_submit(
        user=provider2,
        bid=complete_bid(provider2, published.call, published.lot1, org_b, price=Decimal("90000")),
    )
    return a, b


@pytest.fixture
def assessing(published, bids, commissioner, commissioner2, clock):
    call = published.call
    services.assessor_assign(user=commissioner, call=call, assessor=commissioner, is_lead=True)
    services.assessor_assign(user=commissioner, call=call, assessor=commissioner2)
    clock.set(CLOSES + timedelta(hours=1))
    return published


def declare_none(user, call, *orgs):
    for org in orgs:
        services.interest_declare(user=user, call=call, organisation=org, conflicted=False)


def score_all(user, bid, values: list[int], submit=True):
    for criterion, value in zip(bid.call.criteria.order_by("order"), values, strict=True):
        services.score_record(
            user=user, bid=bid, criterion=criterion, score=value, justification=f"Scored {value}."
        )
    if submit:
        services.assessment_submit(user=user, bid=bid)


def test_an_assessor_declares_interests_before_seeing_a_bid(assessing, bids, commissioner2, org_a):
    a, _ = bids
    with pytest.raises(NotPermitted) as exc:
        selectors.bid_get_visible(user=commissioner2, pk=a.pk)
    assert exc.value.message == (
        "Declare your interests in St Giles Trust in the conflicts register before you see or score its bid."
    )
    declare_none(commissioner2, assessing.call, org_a)
    assert selectors.bid_get_visible(user=commissioner2, pk=a.pk) == a


def test_a_conflicted_assessor_cannot_see_or_score_the_bid(assessing, bids, commissioner2, org_a, org_b):
    a, b = bids
    services.interest_declare(
        user=commissioner2,
        call=assessing.call,
        organisation=org_a,
        conflicted=True,
        description="Trustee of St Giles",
    )
    declare_none(commissioner2, assessing.call, org_b)
    with pytest.raises(NotFound):
        selectors.bid_get_visible(user=commissioner2, pk=a.pk)
    with pytest.raises(NotFound):
        score_all(commissioner2, a, [3, 3, 3], submit=False)
    assert list(selectors.bids_visible(user=commissioner2, call=assessing.call)) == [b]


def test_declaring_a_conflict_withdraws_scores_already_given(assessing, bids, commissioner2, org_a):
    a, _ = bids
    declare_none(commissioner2, assessing.call, org_a)
    score_all(commissioner2, a, [3, 3, 3], submit=False)
    services.interest_declare(
        user=commissioner2,
        call=assessing.call,
        organisation=org_a,
        conflicted=True,
        description="New trustee",
    )
    assert not AssessorScore.objects.filter(assessor=commissioner2).exists()


def test_a_conflict_needs_a_description(assessing, commissioner2, org_a):
    with pytest.raises(ValidationFailed):
        services.interest_declare(
            user=commissioner2, call=assessing.call, organisation=org_a, conflicted=True
        )


def test_scoring_starts_when_the_call_closes(assessing, bids, commissioner, org_a, clock):
    a, _ = bids
    declare_none(commissioner, assessing.call, org_a)
    clock.set(CLOSES - timedelta(seconds=1))
    with pytest.raises(Conflict) as exc:
        score_all(commissioner, a, [3, 3, 3], submit=False)
    assert exc.value.message == ASSESSMENT_NOT_STARTED


def test_scores_are_0_to_5_with_a_justification(assessing, bids, commissioner, org_a):
    a, _ = bids
    declare_none(commissioner, assessing.call, org_a)
    criterion = assessing.call.criteria.first()
    with pytest.raises(ValidationFailed) as exc:
        services.score_record(user=commissioner, bid=a, criterion=criterion, score=6, justification=" ")
    assert set(exc.value.errors) == {"score", "justification"}


def test_scoring_is_blind_until_an_assessor_submits_their_own(
    assessing, bids, commissioner, commissioner2, org_a
):
    a, _ = bids
    declare_none(commissioner, assessing.call, org_a)
    declare_none(commissioner2, assessing.call, org_a)
    score_all(commissioner, a, [4, 3, 5])
    score_all(commissioner2, a, [2, 3, 5], submit=False)
    # commissioner2 has not submitted: sees only their own.
    assert {s.assessor_id for s in selectors.scores_visible(user=commissioner2, bid=a)} == {commissioner2.pk}
    # commissioner submitted: sees both.
    assert {s.assessor_id for s in selectors.scores_visible(user=commissioner, bid=a)} == {
        commissioner.pk,
        commissioner2.pk,
    }
    with pytest.raises(Conflict):
        selectors.require_ranking_visible(user=commissioner2, call=assessing.call)
    services.assessment_submit(user=commissioner2, bid=a)
    assert len(selectors.scores_visible(user=commissioner2, bid=a)) == 6
    with pytest.raises(Conflict):  # submitted scores are fixed
        score_all(commissioner2, a, [3, 3, 5], submit=False)


def test_moderation_where_scores_differ_by_two_or_more(assessing, bids, commissioner, commissioner2, org_a):
    a, _ = bids
    declare_none(commissioner, assessing.call, org_a)
    declare_none(commissioner2, assessing.call, org_a)
    score_all(commissioner, a, [4, 3, 5])
    need, model, _ = assessing.call.criteria.order_by("order")
    with pytest.raises(Conflict):  # commissioner2 has not submitted yet
        services.moderation_record(
            user=commissioner, bid=a, criterion=need, score=3, rationale="Agreed at panel"
        )
    score_all(commissioner2, a, [2, 3, 5])
    with pytest.raises(NotPermitted) as exc:
        services.moderation_record(user=commissioner2, bid=a, criterion=need, score=3, rationale="Agreed")
    assert exc.value.message == NOT_LEAD
    with pytest.raises(Conflict) as exc:
        services.moderation_record(user=commissioner, bid=a, criterion=model, score=3, rationale="Agreed")
    assert exc.value.message == NOT_MODERATION_CASE.format(points=2)
    services.moderation_record(user=commissioner, bid=a, criterion=need, score=3, rationale="Agreed at panel")
    services.moderation_record(
        user=commissioner, bid=a, criterion=model, score=4, rationale="Lead's request", requested=True
    )
    assert Moderation.objects.filter(bid=a).count() == 2
    assert sorted(AssessorScore.objects.filter(bid=a, criterion=need).values_list("score", flat=True)) == [
        2,
        4,
    ]


def full_assessment(call, bids, commissioner, commissioner2, org_a, org_b):
    a, b = bids
    for user in (commissioner, commissioner2):
        declare_none(user, call, org_a, org_b)
    score_all(commissioner, a, [4, 3, 5])
    score_all(commissioner2, a, [2, 3, 5])
    score_all(commissioner, b, [3, 3, 3])
    score_all(commissioner2, b, [3, 3, 3])


def test_ranking_and_award_wait_for_moderation(assessing, bids, commissioner, commissioner2, org_a, org_b):
    a, b = bids
    full_assessment(assessing.call, bids, commissioner, commissioner2, org_a, org_b)
    rows = {r.bid_id: r for r in selectors.call_ranking(assessing.call)}
    need = assessing.call.criteria.get(order=0)
    assert rows[a.pk].awaiting_moderation == [need.pk]
    with pytest.raises(Conflict) as exc:
        services.award_recommend(user=commissioner, lot=assessing.lot1, bid=a, rationale="Best")
    assert exc.value.message == AWAITING_MODERATION.format(what="St Giles Trust")
    services.moderation_record(user=commissioner, bid=a, criterion=need, score=3, rationale="Agreed at panel")
    rows = selectors.call_ranking(assessing.call)
    # a: quality (60×3+40×3)/5 = 60% → 36; price 30 × 90,000/100,000 = 27; SV 10 → 73.
    # b: quality 60% → 36; price 30; SV 10 × 3/5 = 6 → 72.
    assert [(r.bid_id, r.total) for r in rows] == [(a.pk, Decimal(73)), (b.pk, Decimal(72))]


def test_exclusion_removes_a_bid_from_the_ranking(assessing, bids, commissioner, commissioner2, org_a, org_b):
    a, b = bids
    services.bid_exclude(user=commissioner, bid=b, reason="Fails the gate: not a registered charity")
    rows = {r.bid_id: r for r in selectors.call_ranking(assessing.call)}
    assert rows[b.pk].rank is None and rows[b.pk].excluded_reason.startswith("Fails the gate")
    with pytest.raises(NotPermitted):
        services.bid_exclude(
            user=commissioner2.__class__.objects.get(username="t-provider"), bid=a, reason="x"
        )


def test_award_standstill_over_christmas_then_conclude_into_the_programme(
    assessing, bids, commissioner, commissioner2, org_a, org_b, today
):
    a, _ = bids
    full_assessment(assessing.call, bids, commissioner, commissioner2, org_a, org_b)
    need = assessing.call.criteria.get(order=0)
    services.moderation_record(user=commissioner, bid=a, criterion=need, score=3, rationale="Agreed at panel")
    today.set(date(2010, 12, 17))
    award = services.award_recommend(user=commissioner, lot=assessing.lot1, bid=a, rationale="Highest total")
    assert award.standstill_ends == date(2010, 12, 31)
    today.set(date(2010, 12, 31))
    with pytest.raises(Conflict) as exc:
        services.award_conclude(user=commissioner, award=award)
    assert exc.value.message == IN_STANDSTILL.format(ends="31 Dec 2010")
    assert not Programme.objects.exists()
    today.set(date(2011, 1, 4))
    programme = services.award_conclude(user=commissioner, award=award)
    a.refresh_from_db()
    assert a.programme == programme
    assert (programme.provider, programme.award_amount, programme.service_fee) == (
        org_a,
        a.price,
        a.service_fee,
    )
    assert (programme.start_date, programme.end_date) == (date(2010, 4, 1), date(2011, 3, 31))
    assert (
        programme.commissioning_model == "pbr" and programme.funding_stream == assessing.call.funding_stream
    )
    assert list(programme.priorities.all()) == [assessing.priority]
    assert list(programme.themes.all()) == [assessing.theme]
    targets = set(
        ProgrammeTarget.objects.filter(programme=programme).values_list(
            "measure_id", "financial_year", "quarter", "target_value", "tariff"
        )
    )
    tariffs = dict(a.rate_card.values_list("measure_id", "tariff"))
    assert targets == {
        (o.measure_id, o.financial_year, o.quarter, o.volume, tariffs[o.measure_id])
        for o in a.proposed_outcomes.all()
    }
    assert len(targets) == 4
    with pytest.raises(Conflict):
        services.award_conclude(user=commissioner, award=award)
    # Lot 2 has no award yet, so the call is not concluded.
    assert Call.objects.get(pk=assessing.call.pk).status == Call.Status.OPEN


def test_concluding_respects_the_streams_budget(
    assessing, bids, commissioner, commissioner2, org_a, org_b, today
):
    a, _ = bids
    full_assessment(assessing.call, bids, commissioner, commissioner2, org_a, org_b)
    services.moderation_record(
        user=commissioner, bid=a, criterion=assessing.call.criteria.get(order=0), score=3, rationale="Agreed"
    )
    today.set(date(2010, 11, 1))
    award = services.award_recommend(user=commissioner, lot=assessing.lot1, bid=a, rationale="Highest total")
    stream = assessing.call.funding_stream
    stream.budget = Decimal("1000")
    stream.save()
    today.set(date(2010, 11, 12))
    with pytest.raises(ValidationFailed) as exc:
        services.award_conclude(user=commissioner, award=award)
    assert "would over-commit" in exc.value.errors["award_amount"][0]
    assert not Programme.objects.exists()
    award.refresh_from_db()
    assert award.concluded_at is None


def test_the_assessment_summary_pdf_reads_back_the_ranking_figures(
    api,
    client,
    assessing,
    bids,
    commissioner,
    commissioner2,
    org_a,
    org_b,
    provider,
    provider2,
    today,
):
    from tests.conftest import login
    from tests.finance.test_funding_review import pdf_text

    a, b = bids
    full_assessment(assessing.call, bids, commissioner, commissioner2, org_a, org_b)
    need = assessing.call.criteria.get(order=0)
    services.moderation_record(user=commissioner, bid=a, criterion=need, score=3, rationale="Agreed at panel")
    url = f"/calls/bids/{b.pk}/summary.pdf"
    assert login(client, provider2).get(url).status_code == 404  # no summary before the award
    today.set(date(2010, 12, 17))
    services.award_recommend(user=commissioner, lot=assessing.lot1, bid=a, rationale="Highest total")
    ranking = {r["bid"]: r for r in api(commissioner).get(f"/api/calls/{assessing.call.pk}/ranking/").json()}
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_text(response.content))
    assert "Bidder: Southwark Mediation Centre. Rank: 2 of 2." in text
    assert "Recommended bid: St Giles Trust. The standstill ends at the end of 31 Dec 2010." in text
    for figure in ("quality_pct", "quality_score", "price_score", "social_value_score", "total"):
        assert ranking[b.pk][figure] in text and ranking[a.pk][figure] in text
    assert "Moderated: Agreed at panel" not in text  # the winner's reasons are not another bidder's to read
    assert login(client, provider).get(url).status_code == 404  # another organisation's summary
