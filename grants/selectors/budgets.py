"""Reads of funding stream budgets: each stream's budget, awarded, available, spent and spend
returned, with its programmes. One selector per figure, used by the budgets pages, the API and
the PDF funding review alike; docs/figures.md defines each."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from core.errors import NotFound
from grants.models import (
    FundingStream,
    Payment,
    Programme,
    ProgrammeYearSpend,
)
from grants.payments import pence

STREAM_NOT_FOUND = "There is no funding stream with that number."


@dataclass(frozen=True)
class BudgetLine:
    """One funding stream's figures, in pounds (docs/figures.md):

    budget          the stream's budget for its financial year
    awarded         awards of its programmes that are not decommissioned
    available       budget − awarded (negative when over-committed)
    spent           payments made to its programmes, net of reversals
    spend_returned  spend its providers returned on outcome returns (submitted or verified; a
                    programme-quarter counts once), which value for money reads as cost
    """

    budget: Decimal
    awarded: Decimal
    spent: Decimal
    spend_returned: Decimal

    @property
    def available(self) -> Decimal:
        return self.budget - self.awarded

    @property
    def over_committed(self) -> bool:
        return self.awarded > self.budget

    @property
    def percent_spent(self) -> Decimal | None:
        return _percent(self.spent, self.budget)

    @property
    def percent_awarded(self) -> Decimal | None:
        return _percent(self.awarded, self.budget)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spend_by_programme(programme_ids) -> dict[int, Decimal]:
    """Spend returned per programme (all years), from the yearly totals the database keeps (grants.totals:
    each quarter once at its largest figure, queried returns left out): one query."""
    rows = (
        ProgrammeYearSpend.objects.filter(programme_id__in=programme_ids, counted_spend__isnull=False)
        .order_by()
        .values("programme_id")
        .annotate(total=Sum("counted_spend"))
        .values_list("programme_id", "total")
    )
    return {pk: pence(Decimal(total)) for pk, total in rows}


def paid_by_programme(programme_ids) -> dict[int, Decimal]:
    """Spent per programme: the payments made, net (docs/figures.md): a reversal's amount is
    negative, so SUM(amount) leaves out reversed payments (here and in payment_schedules)."""
    rows = (
        Payment.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values("programme_id")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "total")
    )
    return {pk: pence(Decimal(total)) for pk, total in rows}


def stream_budgets(streams) -> dict[int, BudgetLine]:
    """Each stream's budget line (budget, awarded, available, spent, spend returned), in three
    queries for any number of streams."""
    streams = list(streams)
    programmes = Programme.objects.filter(funding_stream__in=[s.pk for s in streams]).only(
        "pk", "funding_stream_id", "award_amount", "status"
    )
    by_stream: dict[int, list[dict]] = {s.pk: [] for s in streams}
    for row in _with_figures(list(programmes.order_by())):
        by_stream[row["programme"].funding_stream_id].append(row)
    return {s.pk: _budget_line(s.budget, by_stream[s.pk]) for s in streams}


def stream_programmes(stream) -> list[dict]:
    """A stream's programmes with their award, spend and payments: three queries."""
    return _with_figures(list(stream.programmes.select_related("provider").order_by("reference")))


def stream_budget(stream) -> tuple[BudgetLine, list[dict]]:
    """One stream's budget line and its programmes (stream_programmes), both from the same three
    queries: the line adds up the rows instead of asking stream_budgets for the same figures again."""
    rows = stream_programmes(stream)
    return _budget_line(stream.budget, rows), rows


def _with_figures(programmes: list[Programme]) -> list[dict]:
    ids = [p.pk for p in programmes]
    returned, paid = spend_by_programme(ids), paid_by_programme(ids)
    return [
        {
            "programme": p,
            "counted": p.counts_against_budget,
            "spent": paid.get(p.pk, Decimal("0")),
            "spend_returned": returned.get(p.pk, Decimal("0")),
        }
        for p in programmes
    ]


def _budget_line(budget: Decimal, rows: list[dict]) -> BudgetLine:
    return BudgetLine(
        budget=budget,
        awarded=sum((r["programme"].award_amount for r in rows if r["counted"]), Decimal("0")),
        spent=sum((r["spent"] for r in rows), Decimal("0")),
        spend_returned=sum((r["spend_returned"] for r in rows), Decimal("0")),
    )


def stream_get_visible(*, user, pk) -> FundingStream:
    """A funding stream with its funder (reference data every signed-in user may read); NotFound if
    there is none. Its budget figures are for partnership staff (grants.permissions BUDGET_VIEW)."""
    stream = FundingStream.objects.select_related("funder").filter(pk=pk).first()
    if stream is None:
        raise NotFound(STREAM_NOT_FOUND)
    return stream
