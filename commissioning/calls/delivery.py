"""Delivery against the bid, as every channel shows it: the figures (from
commissioning.calls.selectors.delivery_against_bids) and their lines of text, formatted once here
so the programme page, the VfM table and the funding review (HTML and PDF) read the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.formatting import gbp, number

PROMISED = "Promised in the bid"
ACHIEVED = "Achieved"


@dataclass(frozen=True)
class MeasureDelivery:
    measure: str
    promised: Decimal
    achieved: Decimal


@dataclass(frozen=True)
class BidDelivery:
    programme_id: int
    bid_id: int
    call_id: int
    call_reference: str
    period: str  # the call's service period, "2010/11 to 2011/12"
    promised_price: Decimal
    promised_outcomes: Decimal
    projected_cost_per_outcome: Decimal | None
    projected_bcr: Decimal | None
    achieved_outcomes: Decimal
    actual_cost: Decimal | None
    cost_estimated: bool
    actual_cost_per_outcome: Decimal | None
    actual_bcr: Decimal | None
    measures: list[MeasureDelivery] = field(default_factory=list)

    def lines(self) -> list[tuple[str, str, str]]:
        """(figure, promised in the bid, achieved), as text."""
        cost = gbp(self.actual_cost) + (" (estimated)" if self.cost_estimated else "")
        return [
            ("Price and cost", gbp(self.promised_price), cost),
            ("Outcomes", number(self.promised_outcomes, 2), number(self.achieved_outcomes, 2)),
            (
                "Cost per outcome",
                gbp(self.projected_cost_per_outcome, pence=True),
                gbp(self.actual_cost_per_outcome, pence=True),
            ),
            ("Benefit-cost ratio", number(self.projected_bcr, 2), number(self.actual_bcr, 2)),
        ]

    def measure_lines(self) -> list[tuple[str, str, str]]:
        """(outcome measure, volume promised, volume achieved), as text."""
        return [(m.measure, number(m.promised, 2), number(m.achieved, 2)) for m in self.measures]

    @property
    def projected_cost_per_outcome_text(self) -> str:
        return gbp(self.projected_cost_per_outcome, pence=True)

    @property
    def actual_cost_per_outcome_text(self) -> str:
        return gbp(self.actual_cost_per_outcome, pence=True)
