"""Reads for indicator tracking: indicators with their yearly status, and the programmes that
contribute to an indicator through their outcome measures, with their results.

Indicators are partnership-wide reference data any signed-in user may read; the contributing
programmes are narrowed to those the user may see (grants.selectors.programmes_visible_to).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from grants.models import OutcomeReturn, Programme, ProgrammeTarget
from grants.selectors import programmes_visible_to
from outcomes.indicator_status import ALL_CODES, latest_status
from outcomes.models import Indicator, IndicatorYear, OutcomeMeasure, Priority

ZERO = Decimal("0")


def indicators_for_tracking() -> QuerySet[Indicator]:
    """Indicators with their years (oldest first) and priorities: three queries in all."""
    return Indicator.objects.order_by("code").prefetch_related(
        Prefetch("years", queryset=IndicatorYear.objects.order_by("financial_year")),
        Prefetch("priorities", queryset=Priority.objects.select_related("plan")),
    )


def indicator_rows(status: str | None = None) -> list[dict]:
    """One row per indicator with its latest status; `status` keeps only that RAG code."""
    rows = []
    for indicator in indicators_for_tracking():
        current, year = latest_status(indicator)
        rows.append({"indicator": indicator, "status": current, "year": year})
    if status in ALL_CODES:
        rows = [r for r in rows if r["status"].code == status]
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
    visible = programmes_visible_to(user)
    targets = (
        ProgrammeTarget.objects.filter(measure_id__in=measures, programme__in=visible)
        .values("programme_id", "measure_id")
        .annotate(total=Sum("target_value"))
    )
    returns = (
        OutcomeReturn.objects.filter(measure_id__in=measures, programme__in=visible)
        .values("programme_id", "measure_id")
        .annotate(
            returned=Sum("value", filter=~Q(status=OutcomeReturn.Status.QUERIED)),
            verified=Sum("value", filter=Q(status=OutcomeReturn.Status.VERIFIED)),
        )
    )
    table: dict[tuple[int, int], dict] = defaultdict(
        lambda: {"target": ZERO, "returned": ZERO, "verified": ZERO}
    )
    for row in targets:
        table[(row["programme_id"], row["measure_id"])]["target"] = row["total"] or ZERO
    for row in returns:
        entry = table[(row["programme_id"], row["measure_id"])]
        entry["returned"] = row["returned"] or ZERO
        entry["verified"] = row["verified"] or ZERO
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
