"""Payment by results: what a programme has earned each quarter. Pure computation on plain
values (no database, no HTTP); grants.selectors feeds it and grants.services checks payments
against it. Every amount is a Decimal in pounds, rounded to the penny.

The rules (docs/budgets-and-payments.md says the same for people):

- A programme's quarters are every financial quarter its dates touch (start to end inclusive).
- Service fee: the fixed fee over the whole programme is spread evenly over those quarters in
  whole pence; the pence left over by the division are paid in the final quarter, so the shares
  add up to the fee exactly.
- Outcome payments: for each measure, the quarter's **verified** return value × the tariff set on
  the programme's target for that measure and quarter. A measure the programme pays per
  participant claim (grants.ledger) counts its verified claims instead, each at the price fixed
  when it was claimed: the value is the number of claims, the amount the sum of their prices.
  Submitted or queried returns earn nothing until verified. A negative value earns nothing (no
  claw-back). A verified value with no tariff for its quarter earns nothing and is shown as
  unpriced.
- The award is the ceiling (it is what the funding stream committed). The service fee is fixed,
  so the cap falls on outcome payments: taking quarters in order, a quarter's outcome payments
  are cut so that the outcome payments so far never exceed award − service fee. The amount cut
  is shown as `capped`.
- A quarter's payment can be made once the quarter has started; "due to date" adds up the
  quarters that have started. Outstanding = due − paid.
- "Paid" is net of reversals: a payment recorded in error is reversed by a linked entry of minus
  its amount (grants.services.payment_reverse), so the pair adds up to nothing and the quarter is
  payable again.
- A clawback (grants.services.payment_clawback, posted by an audit of claims) is a negative
  entry too, so it comes off "paid"; it is money the provider did not earn, so it also comes off
  "due" as `recovered`, and the quarter's outstanding is what it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from outcomes.periods import Quarter, quarters_between

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


def pence(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class VerifiedOutcome:
    """One verified return (measure, quarter and value), or a quarter's verified claims for a
    measure paid per claim: their number as the value and `amount`, the sum of their prices."""

    measure_id: int
    measure_name: str
    financial_year: str
    quarter: int
    value: Decimal
    amount: Decimal | None = None


@dataclass(frozen=True)
class OutcomeLine:
    measure_id: int
    measure_name: str
    verified_value: Decimal
    tariff: Decimal | None
    amount: Decimal

    @property
    def unpriced(self) -> bool:
        return self.tariff is None


@dataclass
class QuarterDue:
    quarter: Quarter
    fee_share: Decimal
    outcome_payment: Decimal
    capped: Decimal
    paid: Decimal
    started: bool
    lines: list[OutcomeLine] = field(default_factory=list)
    recovered: Decimal = ZERO  # clawed back after an audit of claims: not earned after all

    @property
    def due(self) -> Decimal:
        return self.fee_share + self.outcome_payment - self.capped - self.recovered

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid

    @property
    def financial_year(self) -> str:
        return self.quarter.financial_year.label

    @property
    def number(self) -> int:
        return self.quarter.number


@dataclass
class Schedule:
    award: Decimal
    service_fee: Decimal
    quarters: list[QuarterDue]

    def find(self, financial_year: str, quarter: int) -> QuarterDue | None:
        for row in self.quarters:
            if row.financial_year == financial_year and row.number == quarter:
                return row
        return None

    @property
    def total_due(self) -> Decimal:
        """Everything the programme has earned so far, including quarters not yet started."""
        return sum((q.due for q in self.quarters), ZERO)

    @property
    def due_to_date(self) -> Decimal:
        return sum((q.due for q in self.quarters if q.started), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((q.paid for q in self.quarters), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.due_to_date - self.paid

    @property
    def total_outstanding(self) -> Decimal:
        """The schedule table's total: every quarter's outstanding, started or not (total due
        less paid); `outstanding` is what is owed to date."""
        return sum((q.outstanding for q in self.quarters), ZERO)

    @property
    def capped(self) -> Decimal:
        return sum((q.capped for q in self.quarters), ZERO)

    @property
    def next_due(self) -> QuarterDue | None:
        """The earliest started quarter with money outstanding: the next payment to make."""
        return next((q for q in self.quarters if q.started and q.outstanding > 0), None)


def fee_shares(service_fee: Decimal, count: int) -> list[Decimal]:
    """The fee spread evenly over `count` quarters in whole pence, the remainder in the last."""
    if count <= 0:
        return []
    fee = pence(service_fee)
    share = (fee / count).quantize(PENNY, rounding=ROUND_DOWN)
    return [share] * (count - 1) + [fee - share * (count - 1)]


def schedule(
    *,
    start: date,
    end: date,
    award: Decimal,
    service_fee: Decimal,
    tariffs: dict[tuple[int, str, int], Decimal | None],
    verified: Iterable[VerifiedOutcome],
    paid: dict[tuple[str, int], Decimal],
    today: date,
    recovered: dict[tuple[str, int], Decimal] | None = None,
) -> Schedule:
    """The payment schedule of one payment-by-results programme.

    `tariffs` maps (measure id, financial year, quarter) to the target's tariff; `paid` maps
    (financial year, quarter) to the total already paid for that quarter, net of reversals and
    clawbacks; `recovered` maps it to what clawbacks took back (a positive amount), which is
    also taken off what is due, so a clawback leaves the quarter's outstanding as it was.
    """
    recovered = recovered or {}
    quarters = list(quarters_between(start, end))
    shares = fee_shares(service_fee, len(quarters))
    lines: dict[tuple[str, int], list[OutcomeLine]] = {}
    for outcome in sorted(verified, key=lambda o: (o.measure_name, o.measure_id)):
        key = (outcome.financial_year, outcome.quarter)
        if outcome.amount is not None:  # claims, each at its own price: the mean price is shown
            amount = pence(outcome.amount)
            tariff = pence(amount / outcome.value) if outcome.value else None
        else:
            tariff = tariffs.get((outcome.measure_id, outcome.financial_year, outcome.quarter))
            amount = ZERO if tariff is None else pence(max(outcome.value, Decimal("0")) * tariff)
        lines.setdefault(key, []).append(
            OutcomeLine(outcome.measure_id, outcome.measure_name, outcome.value, tariff, amount)
        )
    rows, paid_out, ceiling = [], ZERO, max(pence(award) - pence(service_fee), ZERO)
    for quarter, share in zip(quarters, shares, strict=True):
        key = (quarter.financial_year.label, quarter.number)
        quarter_lines = lines.get(key, [])
        outcome_payment = sum((line.amount for line in quarter_lines), ZERO)
        capped = max(outcome_payment - max(ceiling - paid_out, ZERO), ZERO)
        paid_out += outcome_payment - capped
        rows.append(
            QuarterDue(
                quarter=quarter,
                fee_share=share,
                outcome_payment=outcome_payment,
                capped=capped,
                paid=pence(paid.get(key, ZERO)),
                started=quarter.start <= today,
                lines=quarter_lines,
                recovered=pence(recovered.get(key, ZERO)),
            )
        )
    return Schedule(award=pence(award), service_fee=pence(service_fee), quarters=rows)
