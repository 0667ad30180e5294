"""RAG status of an indicator year: green on target, amber within tolerance, red off target,
grey where there is no baseline, target or actual yet.

Pure computation: knows nothing of HTTP or of the other apps. The tolerance is the indicator's
own `Indicator.tolerance` (a share of the target, 0 to 1, 5% by default, checked by the
database): a value that misses its target by no more than `tolerance * |target|` is amber.

Rules, in order:
1. no baseline for the year (not yet established) -> grey
2. no target or no actual for the year -> grey
3. on or better than target (per the indicator's polarity) -> green
4. short of target by at most the tolerance band (the edge itself included) -> amber
5. otherwise -> red
"""

from dataclasses import dataclass
from decimal import Decimal

HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True)
class Status:
    code: str  # green / amber / red / grey
    label: str


GREY_NO_BASELINE = Status("grey", "Baseline not yet established")
GREY_NO_TARGET = Status("grey", "No target set")
GREY_NO_ACTUAL = Status("grey", "No actual yet")
GREY_NO_DATA = Status("grey", "No target or actual yet")
GREEN = Status("green", "On target")
AMBER = Status("amber", "Within tolerance of target")
RED = Status("red", "Off target")

ALL_CODES = ("green", "amber", "red", "grey")


def gap_to_target(*, polarity: str, target: Decimal, actual: Decimal) -> Decimal:
    """How far the actual is better (positive) or worse (negative) than the target."""
    if polarity == HIGHER:
        return actual - target
    if polarity == LOWER:
        return target - actual
    raise ValueError(f"Unknown polarity {polarity!r}: expected 'higher' or 'lower'.")


def tolerance_band(*, target: Decimal, tolerance: Decimal) -> Decimal:
    """The largest shortfall that is still amber."""
    return abs(target) * tolerance


def rag_status(
    *,
    polarity: str,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    tolerance: Decimal,
) -> Status:
    if polarity not in (HIGHER, LOWER):
        raise ValueError(f"Unknown polarity {polarity!r}: expected 'higher' or 'lower'.")
    if tolerance is None or not Decimal("0") <= tolerance <= Decimal("1"):
        raise ValueError(f"Tolerance must be between 0 and 1, not {tolerance!r}.")
    if baseline is None:
        return GREY_NO_BASELINE
    if target is None and actual is None:
        return GREY_NO_DATA
    if target is None:
        return GREY_NO_TARGET
    if actual is None:
        return GREY_NO_ACTUAL
    gap = gap_to_target(polarity=polarity, target=target, actual=actual)
    if gap >= 0:
        return GREEN
    if -gap <= tolerance_band(target=target, tolerance=tolerance):
        return AMBER
    return RED


@dataclass(frozen=True)
class YearStatus:
    year: object  # an IndicatorYear
    status: Status
    gap: Decimal | None  # better (+) or worse (-) than target; None where not comparable

    @property
    def distance(self) -> Decimal | None:
        return None if self.gap is None else abs(self.gap)


def year_status(indicator, year) -> YearStatus:
    status = rag_status(
        polarity=indicator.polarity,
        baseline=year.baseline,
        target=year.target,
        actual=year.actual,
        tolerance=indicator.tolerance,
    )
    gap = None
    if year.target is not None and year.actual is not None:
        gap = gap_to_target(polarity=indicator.polarity, target=year.target, actual=year.actual)
    return YearStatus(year=year, status=status, gap=gap)


def year_statuses(indicator) -> list[YearStatus]:
    """Every year of the indicator, oldest first, with its status (uses prefetched years)."""
    years = sorted(indicator.years.all(), key=lambda y: y.financial_year)
    return [year_status(indicator, year) for year in years]


def latest_status(indicator) -> tuple[Status, object | None]:
    """Status of the indicator's latest year with an actual (else its latest year)."""
    years = sorted(indicator.years.all(), key=lambda y: y.financial_year)
    if not years:
        return GREY_NO_DATA, None
    with_actual = [y for y in years if y.actual is not None]
    year = (with_actual or years)[-1]
    return year_status(indicator, year).status, year


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trend_series(indicator, rows: list[YearStatus] | None = None) -> dict:
    """The chart's data: one point per year for baseline, target and actual (None = gap);
    `rows` are the indicator's year_statuses, if already at hand."""
    rows = year_statuses(indicator) if rows is None else rows
    return {
        "code": indicator.code,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "labels": [r.year.financial_year for r in rows],
        "baseline": [_number(r.year.baseline) for r in rows],
        "target": [_number(r.year.target) for r in rows],
        "actual": [_number(r.year.actual) for r in rows],
        "status": [r.status.code for r in rows],
    }
