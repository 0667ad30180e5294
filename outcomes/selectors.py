"""Reads over the outcome framework."""

from django.db.models import Prefetch, QuerySet

from outcomes.models import Indicator, IndicatorYear, Plan, Priority


def current_plan() -> Plan | None:
    """The plan marked current (the 2009 revision in the demo), else the newest."""
    plans = Plan.objects.select_related("partnership")
    return plans.filter(is_current=True).first() or plans.first()


def indicators_with_years() -> QuerySet[Indicator]:
    return Indicator.objects.prefetch_related(
        Prefetch("years", queryset=IndicatorYear.objects.order_by("financial_year"))
    )


def plan_priorities(plan: Plan) -> QuerySet[Priority]:
    return plan.priorities.prefetch_related(
        Prefetch("indicators", queryset=indicators_with_years()), "actions"
    )
