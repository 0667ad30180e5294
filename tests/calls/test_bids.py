"""Bids: drafts, completeness, submission refused at the closing second by server time,
withdrawal before it, one live bid per organisation and lot, provider isolation."""

from datetime import timedelta
from decimal import Decimal

import pytest

from commissioning.calls import selectors, services
from commissioning.calls.models import Bid
from commissioning.calls.services.bids import CALL_NOT_OPEN, DUPLICATE_BID
from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed

from .conftest import CLOSES, OPENS, complete_bid

pytestmark = pytest.mark.django_db


def test_a_complete_bid_submits_before_the_closing_second_and_not_at_it(published, provider, org_a, clock):
    bid = complete_bid(provider, published.call, published.lot1, org_a)
    clock.set(CLOSES)  # exactly the closing time: too late
    with pytest.raises(Conflict) as exc:
        services.bid_submit(user=provider, bid=bid)
    assert exc.value.message == "The call closed at 12:00:00 on 1 Feb 2010; bids can no longer be submitted."
    assert Bid.objects.get(pk=bid.pk).status == Bid.Status.DRAFT
    clock.set(CLOSES - timedelta(microseconds=1))
    submitted = services.bid_submit(user=provider, bid=bid)
    assert submitted.status == Bid.Status.SUBMITTED and submitted.submitted_at == CLOSES - timedelta(
        microseconds=1
    )
    assert [h.status for h in submitted.history.order_by("history_date")][-1] == "submitted"


def test_an_incomplete_bid_is_told_what_it_lacks(published, provider, org_a):
    bid = services.bid_create(user=provider, call=published.call, lot=published.lot1, organisation=org_a)
    services.bid_update(
        user=provider, bid=bid, fields={"price": Decimal("130000")}, budget_lines={"staff": Decimal("1")}
    )
    with pytest.raises(ValidationFailed) as exc:
        services.bid_submit(user=provider, bid=bid)
    errors = exc.value.errors
    assert errors["price"] == ["The price (£130,000.00) is more than the lot's budget (£120,000.00)."]
    assert errors["outcomes"] == [
        "Propose at least 20 “Young people completing treatment” outcomes over the service (you propose 0)."
    ]
    assert errors["rate_card"] == [
        "Give a tariff for “Young people completing treatment”: payment is by results."
    ]
    assert errors["budget_lines"] == [
        "The budget lines add up to £1.00; they must add up to the price, £130,000.00."
    ]
    assert set(errors) >= {"answers", "eligibility", "declarations"}


def test_proposed_outcomes_must_fall_in_the_service_and_price_the_lots_measures(published, provider, org_a):
    bid = services.bid_create(user=provider, call=published.call, lot=published.lot1, organisation=org_a)
    with pytest.raises(ValidationFailed) as exc:
        services.bid_update(
            user=provider,
            bid=bid,
            outcomes=[
                (published.measure_b.pk, "2010/11", 1, Decimal(3)),
                (published.measure_a.pk, "2011/12", 1, Decimal(3)),
            ],
        )
    assert exc.value.errors["outcomes"] == [
        f"Measure {published.measure_b.pk} is not one this lot asks bids to price.",
        "2011/12 Q1 is outside the service (1 Apr 2010 to 31 Mar 2011).",
    ]


def test_withdraw_before_closing_but_not_after(published, provider, org_a, clock):
    bid = complete_bid(provider, published.call, published.lot1, org_a)
    services.bid_submit(user=provider, bid=bid)
    withdrawn = services.bid_withdraw(user=provider, bid=bid)
    assert withdrawn.status == Bid.Status.WITHDRAWN
    again = complete_bid(provider, published.call, published.lot1, org_a)  # a withdrawn bid frees the lot
    clock.set(CLOSES)
    with pytest.raises(Conflict):
        services.bid_withdraw(user=provider, bid=again)
    with pytest.raises(Conflict):
        services.bid_update(user=provider, bid=again, fields={"title": "Late change"})


def test_a_submitted_bid_cannot_be_edited(published, provider, org_a):
    bid = services.bid_submit(
        user=provider, bid=complete_bid(provider, published.call, published.lot1, org_a)
    )
    with pytest.raises(Conflict) as exc:
        services.bid_update(user=provider, bid=bid, fields={"price": Decimal("1")})
    assert exc.value.message == "This bid has been submitted; only a draft can be changed."


def test_one_live_bid_per_organisation_and_lot(published, provider, org_a):
    services.bid_create(user=provider, call=published.call, lot=published.lot1, organisation=org_a)
    with pytest.raises(Conflict) as exc:
        services.bid_create(user=provider, call=published.call, lot=published.lot1, organisation=org_a)
    assert exc.value.message == DUPLICATE_BID
    services.bid_create(user=provider, call=published.call, lot=published.lot2, organisation=org_a)


def test_no_bids_before_opening_or_on_a_draft_call(setup, published, provider, org_a, clock):
    clock.set(OPENS - timedelta(seconds=1))
    with pytest.raises(Conflict) as exc:
        services.bid_create(user=provider, call=published.call, lot=published.lot1, organisation=org_a)
    assert exc.value.message == CALL_NOT_OPEN.format(
        opens="09:00:00 on 4 Jan 2010", closes="12:00:00 on 1 Feb 2010"
    )


def test_providers_bid_only_for_their_own_organisations(published, provider, org_b, commissioner):
    for user in (provider, commissioner):
        with pytest.raises(NotPermitted):
            services.bid_create(user=user, call=published.call, lot=published.lot1, organisation=org_b)


def test_another_organisations_bid_is_not_found(published, provider, provider2, org_a, finance, commissioner):
    bid = complete_bid(provider, published.call, published.lot1, org_a)
    assert selectors.bid_get_visible(user=provider, pk=bid.pk) == bid
    for user in (provider2, finance, commissioner):  # a commissioner does not see a draft either
        with pytest.raises(NotFound):
            selectors.bid_get_visible(user=user, pk=bid.pk)
    with pytest.raises(NotFound):
        services.bid_submit(user=provider2, bid=bid)
    assert list(selectors.bids_visible(user=provider2, call=published.call)) == []
    services.bid_submit(user=provider, bid=bid)
    assert selectors.bid_get_visible(user=commissioner, pk=bid.pk) == bid


def test_each_bid_has_its_projected_value_for_money_from_the_engine(published, provider, org_a):
    bid = complete_bid(
        provider, published.call, published.lot1, org_a, price=Decimal("100000"), volume=Decimal("10")
    )
    figures = selectors.bids_vfm([bid])[bid.pk]
    # 40 outcomes for £100,000: £2,500 each. Benefit 40 × £3,000 × (1 - deadweight 0) × attribution 1
    # × (1 - the cautious optimism bias 0.6) = £48,000: a ratio of 0.48.
    assert figures["projected_outcomes"] == Decimal("40.00")
    assert figures["projected_cost_per_outcome"] == Decimal("2500.00")
    assert figures["projected_bcr"] == Decimal("0.48")
