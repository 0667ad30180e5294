"""An impact report as people read it: the funnel, balance table, headline in plain words and
the "what you can and cannot say" box, with counts under 5 suppressed. Pure: the page, the API
and the PDF all show what this returns, so their figures are the same.

    view = present(meta, result)    # meta: ReportMeta; result: ImpactReport.result
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime

from commissioning.impact.estimates import COVARIATES_BY_NAME, MIN_MATCHED, SMD_FLAG, Estimate, OutcomeKind

SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"
SUPPRESSION_NOTE = (
    "Counts under 5 are shown as 'fewer than 5', and a rate is not shown when fewer than 5 people "
    "in a group had (or did not have) the outcome, so that no one can be identified."
)
RATES_SUPPRESSED = (
    "The rates are not shown: fewer than 5 people in the matched cohort or the comparison group "
    "had (or did not have) the outcome, and showing them could identify someone."
)
FUNNEL_LABELS = (
    ("submitted", "Submitted"),
    ("found", "Pseudonymised and found (enrolled on the programme)"),
    ("followed_up", "With a completed follow-up"),
    ("matched", "Matched"),
    ("analysed", "Analysed"),
)
WHY_MATCHING = (
    "That the difference is caused by the programme alone: people were matched only on what the "
    "data record ({covariates}); they may still differ in ways the data do not show, such as "
    "motivation."
)


@dataclass(frozen=True)
class ReportMeta:
    report_id: int
    programme_reference: str
    programme_title: str
    measure_name: str
    pool_name: str
    status: str
    created_at: datetime
    synthetic: bool


@dataclass(frozen=True)
class Count:
    label: str
    value: int | None  # None when suppressed
    text: str


@dataclass(frozen=True)
class BalanceLine:
    label: str
    before: str
    after: str
    flagged_before: bool
    flagged_after: bool


@dataclass(frozen=True)
class ReportView:
    report_id: int
    title: str
    programme_reference: str
    programme_title: str
    measure_name: str
    outcome: str
    pool_name: str
    status: str
    synthetic: bool
    method: str
    with_replacement: bool
    covariates: list[str]
    funnel: list[Count]
    balance: list[BalanceLine]
    balance_flagged: int
    has_estimate: bool
    refusal: str
    cohort_outcome: str
    comparison_outcome: str
    difference: str
    interval: str
    p_value: str
    headline: str
    can_say: list[str] = field(default_factory=list)
    cannot_say: list[str] = field(default_factory=list)
    suppression_note: str = SUPPRESSION_NOTE

    def to_dict(self) -> dict:
        return asdict(self)


def count_text(n: int) -> str:
    return SUPPRESSED if n < SUPPRESS_BELOW else f"{n:,}"


def suppressed(n: int) -> int | None:
    return None if n < SUPPRESS_BELOW else n


def _smd(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.2f}"


def present(meta: ReportMeta, result: Mapping) -> ReportView:
    estimate = Estimate.from_dict(result["estimate"])
    funnel_counts = result.get("funnel", {})
    kind = OutcomeKind(estimate.kind)
    funnel = [
        Count(label, suppressed(funnel_counts.get(key, 0)), count_text(funnel_counts.get(key, 0)))
        for key, label in FUNNEL_LABELS
    ]
    balance = [
        BalanceLine(
            row.label,
            _smd(row.smd_before),
            _smd(row.smd_after),
            row.flagged_before,
            row.flagged_after,
        )
        for row in estimate.balance
    ]
    covariate_labels = [
        COVARIATES_BY_NAME[name].label for name in estimate.covariates if name in COVARIATES_BY_NAME
    ]
    words = _Words(kind, estimate, covariate_labels)
    return ReportView(
        report_id=meta.report_id,
        title=f"Impact of {meta.programme_title} on {kind.label.lower()}",
        programme_reference=meta.programme_reference,
        programme_title=meta.programme_title,
        measure_name=meta.measure_name,
        outcome=kind.label,
        pool_name=meta.pool_name,
        status=meta.status,
        synthetic=meta.synthetic,
        method=(
            "Matched comparison: a logistic propensity score on the covariates, nearest-neighbour "
            f"matching on its logit {'with' if estimate.with_replacement else 'without'} replacement "
            "within 0.2 standard deviations"
        ),
        with_replacement=estimate.with_replacement,
        covariates=covariate_labels,
        funnel=funnel,
        balance=balance,
        balance_flagged=sum(1 for line in balance if line.flagged_after),
        has_estimate=words.shown,
        refusal=estimate.refusal,
        cohort_outcome=words.cohort,
        comparison_outcome=words.comparison,
        difference=words.difference,
        interval=words.interval,
        p_value=words.p_value,
        headline=words.headline,
        can_say=words.can_say,
        cannot_say=words.cannot_say,
    )


class _Words:
    """The headline and the can/cannot-say box, from the estimate."""

    def __init__(self, kind: OutcomeKind, estimate: Estimate, covariates: list[str]) -> None:
        self.kind, self.e = kind, estimate
        self.cohort = self.comparison = self.difference = self.interval = self.p_value = ""
        self.can_say: list[str] = []
        self.cannot_say: list[str] = []
        self.shown = False
        matching_caveat = WHY_MATCHING.format(covariates=", ".join(c.lower() for c in covariates))
        if not estimate.has_estimate:
            self.headline = estimate.refusal or f"No estimate: fewer than {MIN_MATCHED} people were matched."
            self.cannot_say = ["Anything about the programme's effect: there is no estimate."]
            return
        if kind.binary and self._rates_too_small():
            self.headline = RATES_SUPPRESSED
            self.cannot_say = [
                "Anything from these figures: they are suppressed to protect the people in them."
            ]
            return
        self.shown = True
        self.p_value = "less than 0.001" if estimate.p_value < 0.001 else f"{estimate.p_value:.3f}"
        self.p_phrase = "p < 0.001" if estimate.p_value < 0.001 else f"p = {self.p_value}"
        low, high = estimate.low, estimate.high
        if kind.binary:
            self._binary(low, high)
        else:
            self._days(low, high)
        unmatched = estimate.cohort_size - estimate.matched
        self.cannot_say += [
            "That the programme would have the same effect for other people, in other places or at "
            "other times.",
            matching_caveat,
        ]
        if unmatched > 0:
            self.cannot_say.append(
                f"Anything about the {count_text(unmatched)} people in the cohort who could not be "
                "matched to anyone similar: they are not in these figures."
            )
        flagged = [row.label for row in estimate.balance if row.flagged_after]
        if flagged:
            self.cannot_say.append(
                f"That the groups were alike on {', '.join(flagged)}: after matching the standardised "
                f"difference is {SMD_FLAG} or more, so treat the estimate with more caution."
            )

    def _rates_too_small(self) -> bool:
        m = self.e.matched
        events_t = self.e.cohort_events or 0
        events_c = round(self.e.comparison_events or 0)
        return min(events_t, m - events_t, events_c, m - events_c) < SUPPRESS_BELOW

    def _binary(self, low: float, high: float) -> None:
        e = self.e
        self.cohort, self.comparison = _percent(e.cohort_outcome), _percent(e.comparison_outcome)
        lo, hi, diff = _points(-high, -low, -e.difference)  # reductions, in points
        self.difference = f"{_signed(e.difference * 100, 1)} percentage points"
        self.interval = f"{_signed(low * 100, 1)} to {_signed(high * 100, 1)} percentage points"
        start = (
            f"{self.cohort} of the people this programme worked with reoffended within a year, "
            f"against {self.comparison} of a matched comparison group: "
        )
        if high < 0:
            self.headline = start + f"a reduction of between {lo} and {hi} percentage points."
            self.can_say = [
                "The people this programme worked with reoffended less than similar people who did not "
                f"take part: between {lo} and {hi} percentage points fewer reoffended within a year.",
                f"The difference is statistically significant ({self.p_phrase}).",
            ]
        elif low > 0:
            up_lo, up_hi, _ = _points(low, high, e.difference)
            self.headline = start + f"an increase of between {up_lo} and {up_hi} percentage points."
            self.can_say = [
                "The people this programme worked with reoffended more than a matched comparison group: "
                f"between {up_lo} and {up_hi} percentage points more reoffended within a year.",
            ]
        else:
            _, up_hi, _ = _points(0, high, 0)
            self.headline = (
                start + f"somewhere between a reduction of {hi} and an increase of {up_hi} percentage "
                "points, so no difference can be shown."
            )
            self._spans_zero("reoffending")

    def _days(self, low: float, high: float) -> None:
        e = self.e
        self.cohort, self.comparison = _days(e.cohort_outcome), _days(e.comparison_outcome)
        self.difference = f"{_signed(e.difference, 1)} days"
        self.interval = f"{_signed(low, 1)} to {_signed(high, 1)} days"
        start = (
            f"The people this programme worked with spent an average of {self.cohort} in employment "
            f"over the follow-up, against {self.comparison} for a matched comparison group: "
        )
        if low > 0:
            self.headline = start + f"between {_num(low)} and {_num(high)} more days."
            self.can_say = [
                "The people this programme worked with spent more days in employment than similar people "
                f"who did not take part: between {_num(low)} and {_num(high)} days more on average.",
                f"The difference is statistically significant ({self.p_phrase}).",
            ]
        elif high < 0:
            self.headline = start + f"between {_num(-high)} and {_num(-low)} fewer days."
            self.can_say = [
                "The people this programme worked with spent fewer days in employment than a matched "
                f"comparison group: between {_num(-high)} and {_num(-low)} days fewer on average.",
            ]
        else:
            self.headline = (
                start + f"somewhere between {_num(-low)} fewer and {_num(high)} more days, so no "
                "difference can be shown."
            )
            self._spans_zero("days in employment")

    def _spans_zero(self, outcome: str) -> None:
        self.can_say = [
            f"This analysis found no statistically significant difference in {outcome} between the "
            f"people this programme worked with and a matched comparison group ({self.p_phrase}).",
        ]
        self.cannot_say = [
            f"That the programme changed {outcome}: the interval includes no difference at all.",
            "That the programme had no effect: a larger cohort might show a difference that this one "
            "is too small to detect.",
        ]


def _percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def _days(value: float) -> str:
    return f"{value:.0f} days"


def _num(value: float) -> str:
    return f"{value:.0f}"


def _signed(value: float, places: int) -> str:
    text = f"{abs(value):.{places}f}"
    return text if float(text) == 0 else (f"-{text}" if value < 0 else f"+{text}")


def _points(low: float, high: float, centre: float) -> tuple[str, str, str]:
    """Percentage points, whole, unless a bound that is not zero would round to 0 (then one
    decimal place), so an interval that excludes zero never reads as starting at 0."""
    values = [low * 100, high * 100, centre * 100]
    places = 1 if any(v != 0 and round(abs(v)) == 0 for v in values[:2]) else 0
    return tuple(f"{v:.{places}f}" for v in values)  # type: ignore[return-value]
