"""Funding stream budgets: awards committed against each stream, and spend returned."""

from decimal import Decimal

from django.db.models import Sum

from grants.models import FundingStream, Programme
from outcomes.errors import ValidationFailed
from outcomes.money import gbp


def check_stream_capacity(programme: Programme) -> None:
    """Refuse an award that would take its stream's awards past the stream's budget.

    Locks the stream row (select_for_update) so that two awards made at the same moment cannot
    both pass; call inside the transaction that saves the programme.
    """
    stream = FundingStream.objects.select_for_update().get(pk=programme.funding_stream_id)
    others = Programme.objects.filter(funding_stream=stream).exclude(pk=programme.pk).exclude(
        status=Programme.Status.DECOMMISSIONED
    ).aggregate(total=Sum("award_amount"))["total"] or Decimal("0")
    if others + programme.award_amount > stream.budget:
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
