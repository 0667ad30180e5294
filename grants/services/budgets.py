"""Funding stream budgets: awards committed against each stream, and spend returned.

The rules (docs/budgets-and-payments.md says the same for people):

- A funding stream is one year's budget (its `financial_year`). Every programme it funds commits
  its whole award against that budget, whatever years the programme runs in.
- **Awarded** is the sum of the awards of the stream's programmes that are not decommissioned;
  an award that would take it past the budget is refused (check_stream_capacity).
- **Available** is budget − awarded.
- **Spent** is the payments made to the stream's programmes, net of reversals.
- **Spend returned** is the spend returned on the stream's programmes' outcome returns, submitted
  or verified (a queried return's spend waits until it is corrected); a programme-quarter's spend
  counts once, at the largest figure on its returns, as in the value-for-money engine.
  Decommissioned programmes' spend still counts: the money was spent.
- % spent is spent ÷ budget."""

from decimal import Decimal

from django.db.models import Q, Sum

from core.errors import ValidationFailed
from core.formatting import gbp
from grants.models import FundingStream, Programme


def check_stream_capacity(programme: Programme) -> None:
    """Refuse an award that would take its stream's awards past the stream's budget.

    A change that does not add to the stream's commitment (a decommissioned programme, a lower
    award, a new title) always passes, even where a lowered budget already left the stream
    over-committed. Locks the stream row (select_for_update) so that two awards made at the same
    moment cannot both pass; call inside the transaction that saves the programme.
    """
    if not programme.counts_against_budget:
        return
    stream = FundingStream.objects.select_for_update().get(pk=programme.funding_stream_id)
    # What the stream has awarded before this save, and what the others have: one query.
    sums = _counted(stream.pk).aggregate(
        before=Sum("award_amount"), own=Sum("award_amount", filter=Q(pk=programme.pk))
    )
    before = sums["before"] or Decimal("0")
    others = before - (sums["own"] or Decimal("0"))
    after = others + programme.award_amount
    if after > stream.budget and after > before:
        available = max(stream.budget - others, Decimal("0"))
        raise ValidationFailed(
            {
                "award_amount": [
                    f"This award of {gbp(programme.award_amount)} would over-commit {stream}: its budget is "
                    f"{gbp(stream.budget)} and {gbp(others)} is already awarded, so at most "
                    f"{gbp(available)} is available."
                ]
            }
        )


def check_budget_covers_awards(stream: FundingStream, budget: Decimal) -> None:
    """Refuse a budget lower than what the stream has already awarded (locks the stream row)."""
    if stream.pk is None:
        return
    FundingStream.objects.select_for_update().filter(pk=stream.pk).first()
    awarded = _total(_counted(stream.pk))
    if budget < awarded:
        raise ValidationFailed(
            {
                "budget": [
                    f"{gbp(awarded)} is already awarded from {stream}, so its budget cannot be "
                    f"{gbp(budget)}; reduce or decommission awards first."
                ]
            }
        )


def _counted(stream_id: int):
    """The stream's programmes whose awards count against its budget (not decommissioned)."""
    return Programme.objects.filter(funding_stream_id=stream_id).exclude(
        status=Programme.Status.DECOMMISSIONED
    )


def _total(programmes) -> Decimal:
    return programmes.aggregate(total=Sum("award_amount"))["total"] or Decimal("0")
