"""RAG status of an indicator year: green on target, amber within tolerance, red off target,
grey where there is no baseline, target or actual yet."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Status:
    code: str  # green / amber / red / grey
    label: str


GREY_NO_BASELINE = Status("grey", "Baseline not yet established")
GREY_NO_DATA = Status("grey", "No target or actual yet")


def rag_status(
    *,
    polarity: str,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    tolerance: Decimal,
) -> Status:
    if baseline is None:
        return GREY_NO_BASELINE
    if target is None or actual is None:
        return GREY_NO_DATA
    # Positive gap means better than target, whichever direction is "better".
    gap = actual - target if polarity == "higher" else target - actual
    if gap >= 0:
        return Status("green", "On target")
    if abs(gap) <= abs(target) * tolerance:
        return Status("amber", "Within tolerance of target")
    return Status("red", "Off target")


def latest_status(indicator) -> tuple[Status, object | None]:
    """Status of the indicator's latest year with an actual (else its latest year)."""
    years = list(indicator.years.all())
    if not years:
        return GREY_NO_DATA, None
    with_actual = [y for y in years if y.actual is not None]
    year = (with_actual or years)[-1]
    status = rag_status(
        polarity=indicator.polarity,
        baseline=year.baseline,
        target=year.target,
        actual=year.actual,
        tolerance=indicator.tolerance,
    )
    return status, year
