"""Reads for the Green Book parts of value for money (commissioning.greenbook): what one outcome
of each measure is worth in a price year, part by part (its unit cost lines, uprated with a GDP
deflator series), and the measured impacts that replace assumed deadweight.

A fixed number of queries whatever the portfolio's size: the series and its years, the measures'
cost lines, the measures without any, the measured impacts and the evidence grades' methods."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from commissioning import greenbook
from commissioning.impact.models import ImpactReport
from commissioning.impact.selectors import measured_impacts
from outcomes.models import (
    DeflatorSeries,
    DeflatorYear,
    EvidenceGrade,
    MeasureCostLine,
    OutcomeMeasure,
    UnitCostLine,
)
from outcomes.prices import PriceYearError, uprating_factor

UCD_ATTRIBUTION = "Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0"
NO_SERIES = "No GDP deflator series is loaded"


@dataclass(frozen=True)
class PriceBasis:
    """The price year values are shown in and the series that uprated them (both named on every
    output)."""

    price_year: str
    series_name: str
    index: dict[str, float]
    series_source: str = ""

    def factor(self, from_year: str) -> float | None:
        """The uprating factor from `from_year`, or None when the series cannot say."""
        try:
            return uprating_factor(self.index, from_year, self.price_year, name=self.series_name)
        except PriceYearError:
            return None


def price_basis(price_year: str, series: DeflatorSeries | None = None) -> PriceBasis:
    """The basis for a price year: the given series, else the newest loaded (one query)."""
    chosen = (
        series.pk
        if series is not None
        else DeflatorSeries.objects.order_by("-loaded_at", "-id").values("id")[:1]
    )
    rows = list(
        DeflatorYear.objects.filter(series_id=chosen).values_list(
            "financial_year", "index", "series__name", "series__source"
        )
    )
    if not rows:
        return PriceBasis(price_year=price_year, series_name=NO_SERIES, index={})
    index = {year: float(value) for year, value, _, _ in rows}
    return PriceBasis(price_year=price_year, series_name=rows[0][2], index=index, series_source=rows[0][3])


def measure_values(basis: PriceBasis, measure_ids=None) -> pd.DataFrame:
    """What one outcome is worth in the basis's price year, part by part (greenbook.VALUE_COLUMNS):
    a measure's cost lines (each value × quantity, uprated from its own price year, by agency and
    kind), or its typed unit cost as one part where it has none. One query."""
    measures = OutcomeMeasure.objects.order_by()
    if measure_ids is not None:
        measures = measures.filter(id__in=measure_ids)
    line = "cost_lines__cost_line__"
    fields = ["id", "unit_cost", "unit_cost_price_year", "cost_lines__kind", "cost_lines__quantity"]
    fields += [f"{line}agency", f"{line}is_transfer"]
    fields += [
        f"{line}{kind}_{part}"
        for kind in ("fiscal", "economic", "social")
        for part in ("value", "price_year")
    ]
    rows = []
    for m in measures.values(*fields):
        kind = m["cost_lines__kind"]
        if kind is None:  # no cost lines: the typed unit cost, not broken down
            factor = basis.factor(m["unit_cost_price_year"])
            value, agency, transfer = float(m["unit_cost"]), greenbook.NOT_BROKEN_DOWN, False
            kind = greenbook.COMBINED
        else:
            amount = m[f"{line}{kind}_value"]
            if amount is None:
                continue  # the line has no value of that kind
            factor = basis.factor(m[f"{line}{kind}_price_year"])
            value = float(amount) * float(m["cost_lines__quantity"])
            agency = m[f"{line}agency"] or "Not recorded"
            transfer = kind == "fiscal" and bool(m[f"{line}is_transfer"])
        rows.append((m["id"], agency, kind, transfer, value * (factor or 1.0), factor is not None))
    frame = pd.DataFrame.from_records(rows, columns=greenbook.VALUE_COLUMNS)
    return frame.astype({"value": float, "transfer": bool, "uprated": bool})


def impact_frame(programme_ids: list[int], biases: dict[str, float] | None = None) -> pd.DataFrame:
    """Published impact estimates for these programmes (greenbook.IMPACT_COLUMNS), each with the
    optimism bias of the evidence grade that stands for its method (NaN where none does);
    `biases`: method_biases(), if already at hand."""
    reported = published_programmes(programme_ids) if programme_ids else []
    found = measured_impacts(reported) if reported else {}
    kinds = report_kinds([m.report_id for m in found.values()]) if found else {}
    return impacts_as_frame(found, method_biases() if biases is None and found else biases or {}, kinds)


# An employment-days effect (extra days in work per person) counts in years in work: the unit of
# the Unit Cost Database's E&E1.0 values (a claimant in work for one year).
DAYS_A_YEAR = 365
IN_YEARS = "; effect in years in work (days ÷ 365)"


def report_kinds(report_ids: list[int]) -> dict[int, str]:
    """Each report's outcome kind ("reoffence", "employment_days")."""
    return dict(ImpactReport.objects.filter(pk__in=report_ids).values_list("id", "outcome_kind"))


def published_programmes(programme_ids: list[int]) -> list[int]:
    """Which of these programmes have a published estimate: one small query (a portfolio of
    10,000 programmes asks measured_impacts about the few with reports, not all 10,000)."""
    published = ImpactReport.objects.filter(status=ImpactReport.Status.PUBLISHED, effect__isnull=False)
    with_reports = set(published.order_by().values_list("programme_id", flat=True).distinct())
    return sorted(with_reports.intersection(programme_ids))


def impacts_as_frame(
    found: dict, biases: dict[str, float], kinds: dict[int, str] | None = None
) -> pd.DataFrame:
    rows = []
    for (programme_id, measure_id), m in found.items():
        days = (kinds or {}).get(m.report_id) == "employment_days"
        scale = 1 / DAYS_A_YEAR if days else 1.0
        rows.append(
            (
                programme_id,
                measure_id,
                float(m.effect) * scale,
                float(m.low) * scale,
                float(m.high) * scale,
                int(m.cohort),
                m.method + (IN_YEARS if days else ""),
                m.report_id,
                biases.get(method_key(m.method), float("nan")),
            )
        )
    return pd.DataFrame.from_records(rows, columns=greenbook.IMPACT_COLUMNS)


def method_biases() -> dict[str, float]:
    return {
        method: float(bias)
        for method, bias in EvidenceGrade.objects.exclude(method="").values_list("method", "optimism_bias")
    }


def method_key(method: str) -> str:
    """ "matched comparison" → "matched_comparison" (EvidenceGrade.Method)."""
    return method.strip().lower().replace(" ", "_").replace("-", "_")


def grade_for_method(method: str) -> EvidenceGrade | None:
    return EvidenceGrade.objects.filter(method=method_key(method)).first()


def cost_lines_for(measure_ids) -> dict[int, list[dict]]:
    """Each measure's cost lines as shown beside its value (code, description, agency, kind,
    value and price year, RAG), for pages that cite the database."""
    out: dict[int, list[dict]] = {}
    for link in MeasureCostLine.objects.filter(measure_id__in=measure_ids).select_related("cost_line"):
        line: UnitCostLine = link.cost_line
        value, year = line.value(link.kind)
        out.setdefault(link.measure_id, []).append(
            {
                "code": line.code,
                "description": line.description.splitlines()[0] if line.description else "",
                "agency": line.agency,
                "kind": link.get_kind_display(),
                "value": value,
                "price_year": year,
                "quantity": link.quantity,
                "transfer": line.is_transfer and link.kind == "fiscal",
                "rag": line.get_rag_display(),
                "source": line.source,
            }
        )
    return out


def attribution_for(measure_ids) -> str:
    """The Unit Cost Database's CC BY credit when any of these measures takes values from it."""
    used = MeasureCostLine.objects.filter(
        measure_id__in=list(measure_ids), cost_line__database__startswith="Unit Cost Database"
    )
    return UCD_ATTRIBUTION if used.exists() else ""
