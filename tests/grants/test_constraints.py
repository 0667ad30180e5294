"""Invariants of grants held by the database: a service bug or a raw write cannot break them."""

from datetime import date
from decimal import Decimal

import pytest

from grants.models import Organisation, OutcomeReturn, ProgrammePriority, ProgrammeTarget
from tests.conftest import assert_refused
from tests.factories import (
    FundingStreamFactory,
    OrganisationFactory,
    OutcomeReturnFactory,
    PriorityFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)

pytestmark = pytest.mark.django_db


def test_award_cannot_be_negative():
    assert_refused(lambda: ProgrammeFactory(award_amount=Decimal("-0.01")))


def test_end_date_must_follow_start_date():
    assert_refused(lambda: ProgrammeFactory(start_date=date(2010, 4, 1), end_date=date(2010, 4, 1)))
    assert_refused(lambda: ProgrammeFactory(start_date=date(2010, 4, 1), end_date=date(2010, 3, 31)))


def test_service_fee_within_award():
    assert_refused(lambda: ProgrammeFactory(award_amount=Decimal("100"), service_fee=Decimal("100.01")))


def test_only_one_primary_priority():
    programme = ProgrammeFactory()
    other = PriorityFactory()
    assert_refused(
        lambda: ProgrammePriority.objects.create(programme=programme, priority=other, is_primary=True)
    )
    ProgrammePriority.objects.create(programme=programme, priority=other, is_primary=False)
    assert programme.programme_priorities.filter(is_primary=True).count() == 1


def test_priority_linked_once():
    programme = ProgrammeFactory()
    primary = programme.programme_priorities.get().priority
    assert_refused(lambda: ProgrammePriority.objects.create(programme=programme, priority=primary))


def test_one_target_per_programme_measure_and_quarter():
    target = ProgrammeTargetFactory()
    assert_refused(
        lambda: ProgrammeTarget.objects.create(
            programme=target.programme, measure=target.measure, financial_year="2009/10", quarter=1,
            target_value=Decimal("5"),
        )
    )  # fmt: skip
    ProgrammeTargetFactory(programme=target.programme, measure=target.measure, quarter=2)


@pytest.mark.parametrize(
    "fields",
    [{"quarter": 0}, {"quarter": 5}, {"financial_year": "2009"}, {"target_value": Decimal("-1")},
     {"tariff": Decimal("-5")}],
)  # fmt: skip
def test_target_fields_are_checked(fields):
    assert_refused(lambda: ProgrammeTargetFactory(**fields))


def test_one_return_per_programme_measure_and_quarter():
    existing = OutcomeReturnFactory()
    assert_refused(
        lambda: OutcomeReturnFactory(
            programme=existing.programme, measure=existing.measure, financial_year="2009/10", quarter=1
        )
    )
    assert OutcomeReturn.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [{"spend": Decimal("-1")}, {"revision": 0}, {"status": "queried", "query_reason": ""},
     {"quarter": 7}],
)  # fmt: skip
def test_return_fields_are_checked(fields):
    assert_refused(lambda: OutcomeReturnFactory(**fields))


def test_stream_budget_and_year_checked():
    assert_refused(lambda: FundingStreamFactory(budget=Decimal("-1")))
    assert_refused(lambda: FundingStreamFactory(financial_year="09/10"))


def test_org_id_must_look_like_an_org_id():
    assert_refused(lambda: OrganisationFactory(org_id="not an org id"))
    OrganisationFactory(org_id="GB-COH-01234567")
    assert Organisation.objects.filter(org_id="GB-COH-01234567").exists()
