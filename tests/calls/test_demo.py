"""The demo calls: two lots, four bids (one excluded as ineligible), both demo commissioners
assessing, a criterion awaiting moderation, lot 2's award in standstill on 15 November 2010, and
the earlier concluded call whose winning bid is the delivering programme SSP-0914."""

from datetime import date

import pytest

from commissioning.calls import selectors
from commissioning.calls.models import Award, Bid, Call
from commissioning.calls.standstill import may_conclude

pytestmark = pytest.mark.django_db


def test_the_demo_recommissioning_call(demo):
    call = Call.objects.get(reference="SSP-C-2010-01")
    assert call.source_programme.reference == "SSP-0907"
    assert call.lots.count() == 2 and call.bids.count() == 4
    assert {a.user.username for a in call.assessors.all()} == {"commissioner", "commissioner2"}
    rows = selectors.call_ranking(call)
    assert [r.bid.organisation.name for r in rows if r.excluded_reason] == ["Pecan"]
    assert sum(1 for r in rows for _ in r.awaiting_moderation) == 1
    award = Award.objects.get(lot__call=call)
    assert award.bid.organisation.name == "St Giles Trust" and award.standstill_ends == date(2010, 11, 22)
    assert not may_conclude(award.standstill_ends, date(2010, 11, 15))


def test_the_demo_concluded_call_is_the_delivering_programme(demo):
    winner = Bid.objects.get(call__reference="SSP-C-2008-03", award__isnull=False)
    programme = winner.programme
    assert programme.reference == "SSP-0914" and winner.price == programme.award_amount
    promised = set(winner.proposed_outcomes.values_list("measure_id", "financial_year", "quarter", "volume"))
    assert promised == set(
        programme.targets.values_list("measure_id", "financial_year", "quarter", "target_value")
    )
    assert Call.objects.get(reference="SSP-C-2008-03").status == Call.Status.CONCLUDED
