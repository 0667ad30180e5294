"""Invariants of the outcome framework held by the database itself."""

from decimal import Decimal

import pytest

from outcomes.models import IndicatorYear, OutcomeMeasure, Plan, Priority
from tests.conftest import assert_refused
from tests.factories import IndicatorFactory, OutcomeMeasureFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def test_only_one_current_plan_per_partnership():
    plan = PlanFactory(is_current=True)
    assert_refused(lambda: PlanFactory(partnership=plan.partnership, is_current=True))
    PlanFactory(partnership=plan.partnership, is_current=False)
    assert Plan.objects.filter(is_current=True).count() == 1


def test_plan_years_in_order_and_well_formed():
    assert_refused(lambda: PlanFactory(first_year="2011/12", last_year="2009/10"))
    assert_refused(lambda: PlanFactory(first_year="2009-10"))


def test_priority_slug_unique_within_a_plan_only():
    priority = PriorityFactory(slug="youth")
    PriorityFactory(slug="youth")  # another plan: fine
    assert_refused(lambda: Priority.objects.create(plan=priority.plan, name="Other", slug="youth"))


def test_indicator_year_unique_and_baseline_may_be_unestablished():
    indicator = IndicatorFactory()
    IndicatorYear.objects.create(indicator=indicator, financial_year="2009/10", baseline=None)
    assert_refused(lambda: IndicatorYear.objects.create(indicator=indicator, financial_year="2009/10"))


@pytest.mark.parametrize(
    "field, value",
    [("unit_cost", Decimal("-1")), ("deadweight", Decimal("1.5")), ("attribution", Decimal("-0.1"))],
)
def test_measure_costs_and_fractions_are_bounded(field, value):
    assert_refused(lambda: OutcomeMeasureFactory(**{field: value}))


def test_measure_at_bounds_is_accepted():
    OutcomeMeasureFactory(unit_cost=Decimal("0"), deadweight=Decimal("1"), attribution=Decimal("0"))
    assert OutcomeMeasure.objects.count() == 1
