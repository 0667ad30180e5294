"""What a funding review says, as plain values: gathered by commissioning.reports.selectors,
laid out by commissioning.reports.pdf.document. Money is Decimal GBP (pence), ratios floats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from commissioning.calls.delivery import BidDelivery

NO_DECISION = "No decision recorded"


@dataclass(frozen=True)
class BudgetLine:
    """Budget figures for one funding stream (grants.selectors.stream_budgets, as on the budgets
    page) or one primary priority (priorities have no budget). docs/figures.md defines each."""

    name: str
    programmes: int
    awarded: Decimal
    spent: Decimal  # payments made, net of reversals
    budget: Decimal | None = None
    financial_year: str = ""

    @property
    def available(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.awarded


@dataclass(frozen=True)
class RoundLine:
    """A review round's progress (commissioning.selectors.round_progress, as on the round's page)."""

    name: str
    status: str
    programmes: int
    unscored: int
    undecided: int


@dataclass(frozen=True)
class RankedLine:
    rank: int
    reference: str
    title: str
    provider: str
    cost: Decimal | None
    cost_estimated: bool
    benefit: Decimal | None
    bcr: float | None
    bcr_band: str | None
    composite_score: float | None
    decision: str  # short label, "" when none recorded
    criteria_scored: int = 0
    criteria_total: int = 0


@dataclass(frozen=True)
class MeasureLine:
    measure: str
    polarity: str
    target: float | None
    achieved: float | None
    achievement: float | None
    cost_per_outcome: Decimal | None
    benefit: Decimal | None
    fiscal_benefit: Decimal | None = None
    net_outcomes: float | None = None
    persistence_years: int = 1
    measured: bool = False  # outcomes from a published impact report, not returns less deadweight
    effect: float | None = None
    effect_low: float | None = None
    effect_high: float | None = None
    cohort: int | None = None
    method: str | None = None
    report_id: int | None = None


@dataclass(frozen=True)
class AgencyLine:
    """Fiscal benefit to one agency (commissioning.selectors.agency_rows); transfers are part of
    it, shown apart, and not in public value."""

    agency: str
    fiscal: Decimal | None
    transfers: Decimal | None
    share: float | None


@dataclass(frozen=True)
class SensitivityLine:
    """One bar of the tornado (commissioning.selectors.sensitivity_rows)."""

    assumption: str
    label: str
    bcr_low: float | None
    bcr_high: float | None
    swing: float | None
    central: float | None


@dataclass(frozen=True)
class ScoreLine:
    criterion: str
    weight: int
    mean: float
    scorers: int


@dataclass(frozen=True)
class DecisionLine:
    outcome: str  # display label
    rationale: str
    conditions: str
    decided_by: str
    decided_at: datetime


@dataclass
class ProgrammeSection:
    programme_id: int
    reference: str
    title: str
    provider: str
    funding_stream: str
    priorities: list[str]  # primary first, marked "(primary)"
    award: Decimal
    start_date: date
    end_date: date
    model: str
    status: str
    evidence_grade: str
    spend_by_quarter: dict[tuple[str, int], Decimal]  # (financial year, quarter) -> spend returned
    spend_returned: Decimal  # in the review's period
    spent: Decimal  # payments made, net of reversals
    cost: Decimal | None
    cost_estimated: bool
    benefit: Decimal | None
    outcomes: float | None
    achievement: float | None
    bcr: float | None
    bcr_band: str | None
    rank: int
    flags: list[str]
    measures: list[MeasureLine] = field(default_factory=list)
    scores: list[ScoreLine] = field(default_factory=list)
    mean_score: float | None = None
    composite_score: float | None = None
    decision: DecisionLine | None = None
    primary_priority: str | None = None
    criteria_scored: int = 0
    criteria_total: int = 0
    against_bid: BidDelivery | None = None  # a programme created from a winning bid
    fiscal_benefit: Decimal | None = None
    economic_benefit: Decimal | None = None
    social_benefit: Decimal | None = None
    transfers: Decimal | None = None
    fiscal_return: float | None = None
    bcr_low: float | None = None
    bcr_high: float | None = None
    bcr_ci_low: float | None = None
    bcr_ci_high: float | None = None
    measured: bool = False
    agencies: list[AgencyLine] = field(default_factory=list)
    sensitivity: list[SensitivityLine] = field(default_factory=list)

    @property
    def composite_partial(self) -> bool:
        return 0 < self.criteria_scored < self.criteria_total


@dataclass(frozen=True)
class UnitCostLine:
    measure: str
    unit: str
    polarity: str
    unit_cost: Decimal
    source: str
    price_year: str
    deadweight: Decimal
    attribution: Decimal
    persistence_years: int = 1
    drop_off: Decimal = Decimal("0")
    cost_lines: tuple = ()  # the database's lines it is made of (commissioning.valuation.cost_lines_for)


@dataclass
class FundingReview:
    partnership: str
    scope_kind: str  # "round", "stream" or "year"
    scope_label: str  # e.g. "Review round: 2009/10 review of partnership-funded activity"
    period_label: str  # e.g. "2009/10" or "2009/10 to 2010/11"
    financial_years: list[str]
    generated_at: datetime
    generated_by: str
    total_awarded: Decimal
    total_spent: Decimal  # payments made to the programmes, net of reversals
    total_spend_returned: Decimal  # in the review's period
    total_cost: Decimal
    total_benefit: Decimal
    outcomes_achieved: float
    portfolio_bcr: float | None
    decisions: list[tuple[str, int]]  # (label, number of programmes), NO_DECISION last
    flag_counts: dict[str, int]
    streams: list[BudgetLine]
    priorities: list[BudgetLine]
    ranked: list[RankedLine]
    programmes: list[ProgrammeSection]
    unit_costs: list[UnitCostLine]
    evidence_grades: list[tuple[str, str, Decimal]]  # code, name, optimism bias
    default_optimism_bias: float
    criteria: list[tuple[str, int]] = field(default_factory=list)  # round only: (name, weight)
    include_submitted: bool = False
    rounds: list[RoundLine] = field(default_factory=list)  # the round, or those covering the period
    draft_reasons: list[str] = field(default_factory=list)  # why it is a DRAFT; none when final
    price_year: str = ""  # benefits are in this year's prices ...
    deflator_series: str = ""  # ... uprated with this GDP deflator series
    discount_rate: float = 0.035
    total_fiscal: Decimal = Decimal("0")
    total_transfers: Decimal = Decimal("0")
    portfolio_fiscal_return: float | None = None
    agencies: list[AgencyLine] = field(default_factory=list)  # the portfolio's, by agency
    sensitivity: list[SensitivityLine] = field(default_factory=list)  # the portfolio's tornado
    unit_cost_attribution: str = ""  # the Unit Cost Database's CC BY credit, when its lines are used

    @property
    def is_draft(self) -> bool:
        return bool(self.draft_reasons)

    @property
    def years_phrase(self) -> str:
        """ "financial year 2009/10" or "financial years 2009/10 to 2010/11"."""
        noun = "financial years" if len(self.financial_years) > 1 else "financial year"
        return f"{noun} {self.period_label}"

    @property
    def programme_count(self) -> int:
        return len(self.programmes)
