"""Reads for the dashboard. Here, for indicator tracking: indicators with their yearly status,
and the programmes that contribute to an indicator through their outcome measures, with their
results.

Indicators are partnership-wide reference data any signed-in user may read; the contributing
programmes are narrowed to those the user may see (grants.selectors.programmes_visible_to).
The role home pages read dashboard.selectors.home, the ward map dashboard.selectors.wards.
"""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from core.errors import NotFound
from grants.models import MeasureYearTotal, Programme
from grants.selectors import programmes_visible_to
from outcomes.indicator_status import ALL_CODES, latest_status
from outcomes.models import Indicator, OutcomeMeasure, Priority
from outcomes.selectors import indicators_with_years

ZERO = Decimal("0")
INDICATOR_NOT_FOUND = "There is no indicator with that id."
PRIORITY_NOT_FOUND = "There is no priority with that number."


def indicators_for_tracking() -> QuerySet[Indicator]:
    """Indicators with their years (oldest first) and priorities: three queries in all."""
    return (
        indicators_with_years()
        .order_by("sort_key", "code")  # naturally: NI 15 before NI 111
        .prefetch_related(Prefetch("priorities", queryset=Priority.objects.select_related("plan")))
    )


def indicator_get_visible(*, user, pk) -> Indicator:
    """An indicator with its years and priorities (reference data every signed-in user reads);
    NotFound if there is none."""
    indicator = indicators_for_tracking().filter(pk=pk).first()
    if indicator is None:
        raise NotFound(INDICATOR_NOT_FOUND)
    return indicator


def priority_get_visible(*, user, pk) -> Priority:
    """A priority with its plan and actions (reference data); NotFound if there is none."""
    priority = Priority.objects.select_related("plan").prefetch_related("actions").filter(pk=pk).first()
    if priority is None:
        raise NotFound(PRIORITY_NOT_FOUND)
    return priority


def indicator_rows() -> list[dict]:
    """One row per indicator with its latest status."""
    rows = []
    for indicator in indicators_for_tracking():
        current, year = latest_status(indicator)
        rows.append({"indicator": indicator, "status": current, "year": year})
    return rows


def status_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(ALL_CODES, 0)
    for row in rows:
        counts[row["status"].code] += 1
    return counts


def contributing_programmes(user, indicator: Indicator) -> list[dict]:
    """Programmes (visible to `user`) with a target or a return on a measure that contributes
    to `indicator`, one row per programme and measure, with targets and results over all years.
    A fixed number of queries however many programmes there are."""
    measures = {m.pk: m for m in OutcomeMeasure.objects.filter(indicator=indicator)}
    if not measures:
        return []
    # From the yearly totals the database keeps (grants.totals); "returned" is every return not
    # queried, i.e. verified and submitted.
    totals = (
        MeasureYearTotal.objects.filter(measure_id__in=measures, programme__in=programmes_visible_to(user))
        .values("programme_id", "measure_id")
        .annotate(
            target=Sum("target_total"), verified=Sum("verified_total"), submitted=Sum("submitted_total")
        )
        .order_by()
    )
    table: dict[tuple[int, int], dict] = {}
    for row in totals:
        verified = row["verified"] or ZERO
        table[(row["programme_id"], row["measure_id"])] = {
            "target": row["target"] or ZERO,
            "returned": verified + (row["submitted"] or ZERO),
            "verified": verified,
        }
    programmes = Programme.objects.select_related("provider").in_bulk({p for p, _ in table})
    rows = []
    for (programme_id, measure_id), figures in table.items():
        target = figures["target"]
        rows.append(
            {
                "programme": programmes[programme_id],
                "measure": measures[measure_id],
                **figures,
                "achieved": (figures["returned"] / target) if target else None,
            }
        )
    rows.sort(key=lambda r: (r["measure"].name, r["programme"].reference))
    return rows
