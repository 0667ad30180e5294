"""The claims ledger as grants reads it (grants.ledger): which measures a programme pays per
claim, its verified claims by quarter, and verified claims marked paid when their quarter's
payment is recorded (and verified again if that payment is reversed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from claims.models import Claim, PayableOutcome
from grants.ledger import LedgerQuarter
from outcomes.periods import Quarter

EARNED = (Claim.Status.VERIFIED, Claim.Status.PAID)


class ClaimsLedger:
    def figures(self, programme_ids: Iterable[int]) -> tuple[set[tuple[int, int]], list[LedgerQuarter]]:
        """Each payable outcome of the programmes with its verified and paid claims grouped by the
        day achieved (folded into quarters here): one query, however many programmes."""
        # A claim rejected after it was paid (an audit found it invalid) stays in what was earned:
        # money paid is taken back only by a negative entry (the audit's clawback), never by
        # quietly lowering what was due, which would count the recovery twice.
        paid_then_rejected = Q(claims__status=Claim.Status.REJECTED, claims__payment__isnull=False)
        earned = Q(claims__status__in=EARNED) | paid_then_rejected
        rows = (
            PayableOutcome.objects.filter(programme_id__in=list(programme_ids))
            .order_by()
            .values_list("programme_id", "measure_id", "measure__name", "claims__achieved_on")
            .annotate(n=Count("claims", filter=earned), amount=Sum("claims__price", filter=earned))
        )
        pairs: set[tuple[int, int]] = set()
        totals: dict[tuple[int, int, str, str, int], list] = defaultdict(lambda: [0, Decimal("0")])
        for programme_id, measure_id, name, achieved_on, n, amount in rows:
            pairs.add((programme_id, measure_id))
            if not n:
                continue
            quarter = Quarter.containing(achieved_on)
            key = (programme_id, measure_id, name, quarter.financial_year.label, quarter.number)
            totals[key][0] += n
            totals[key][1] += amount
        quarters = [
            LedgerQuarter(*key, claims=n, amount=amount) for key, (n, amount) in sorted(totals.items())
        ]
        return pairs, quarters

    def payment_recorded(self, payment, *, schedule_row) -> None:
        """Once the quarter is paid in full, its verified claims are paid, by this payment."""
        if schedule_row is None or schedule_row.outstanding > 0:
            return
        quarter = Quarter.of(payment.financial_year, payment.quarter)
        claims = Claim.objects.select_for_update().filter(
            programme_id=payment.programme_id,
            status=Claim.Status.VERIFIED,
            achieved_on__gte=quarter.start,
            achieved_on__lte=quarter.end,
        )
        reason = f"Paid by payment {payment.pk}"
        _change(list(claims), Claim.Status.PAID, payment, payment.recorded_by, reason)

    def payment_reversed(self, original, reversal) -> None:
        """The claims a reversed payment paid are verified and unpaid again, payable once more."""
        claims = Claim.objects.select_for_update().filter(payment=original, status=Claim.Status.PAID)
        reason = f"Payment {original.pk} reversed"
        _change(list(claims), Claim.Status.VERIFIED, None, reversal.recorded_by, reason)


def _change(claims: list[Claim], status: str, payment, user, reason: str) -> None:
    if not claims:
        return
    now = timezone.now()
    for claim in claims:
        claim.status, claim.payment = status, payment
        claim._history_user = user
        claim._change_reason = reason
        claim._history_date = now
        claim.save(update_fields=["status", "payment"])
