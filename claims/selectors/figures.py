"""The ledger's figures for the value-for-money engine: outcomes counted from claims."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet

from claims.models import Claim, PayableOutcome

EARNED = (Claim.Status.VERIFIED, Claim.Status.PAID)


def claim_outcome_counts(
    programmes: QuerySet, *, start: date, end: date, include_submitted: bool = False
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], int]]:
    """For the programmes' measures paid per claim: the (programme, measure) pairs, and how many
    verified or paid claims (and submitted ones too, if asked) were achieved from start to end."""
    ids = programmes.order_by().values("id")
    pairs = set(PayableOutcome.objects.filter(programme_id__in=ids).values_list("programme_id", "measure_id"))
    if not pairs:
        return pairs, {}
    statuses = [*EARNED, Claim.Status.SUBMITTED] if include_submitted else list(EARNED)
    rows = (
        Claim.objects.filter(
            programme_id__in=ids, status__in=statuses, achieved_on__gte=start, achieved_on__lte=end
        )
        .order_by()
        .values_list("programme_id", "measure_id")
        .annotate(n=Count("id"))
    )
    return pairs, {(p, m): n for p, m, n in rows}
