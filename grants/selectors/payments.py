"""Reads of payments by results: payments a user may see, each programme's payment schedule."""

from decimal import Decimal

from django.db.models import QuerySet, Sum

from grants.ledger import ledger
from grants.models import (
    OutcomeReturn,
    Payment,
    Programme,
    ProgrammeTarget,
)
from grants.payments import QuarterDue, Schedule, VerifiedOutcome, schedule
from grants.permissions import PAYMENT_NOT_VISIBLE, Action, get_visible
from grants.selectors.programmes import programmes_visible_to


def payments_visible_to(user) -> QuerySet[Payment]:
    return Payment.objects.filter(programme__in=programmes_visible_to(user))


def payment_get_visible(*, user, pk, queryset: QuerySet[Payment] | None = None) -> Payment:
    """The payment (with its programme), if the user may see it; NotFound otherwise."""
    payments = Payment.objects.all() if queryset is None else queryset
    return get_visible(
        payments.select_related("programme"),
        user=user,
        pk=pk,
        action=Action.PAYMENT_VIEW,
        missing=PAYMENT_NOT_VISIBLE,
    )


def programme_payments(programme: Programme) -> QuerySet[Payment]:
    """A programme's payments and reversals, newest first, each with who recorded it and (for a
    reversed payment) its reversal: one query."""
    return programme.payments.select_related(
        "recorded_by", "reversal", "reversal__recorded_by", "reverses"
    ).order_by("-paid_on", "-id")


def pbr_programmes_visible_to(user) -> QuerySet[Programme]:
    return programmes_visible_to(user).filter(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS)


def payment_schedules(programmes, *, today) -> dict[int, Schedule]:
    """The payment-by-results schedule of each programme, in four queries for any number (targets,
    verified returns, the claims ledger's figures, payments)."""
    programmes = list(programmes)
    ids = [p.pk for p in programmes]
    tariffs: dict[int, dict] = {pk: {} for pk in ids}
    for pid, mid, fy, q, tariff in ProgrammeTarget.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "measure_id", "financial_year", "quarter", "tariff"
    ):
        tariffs[pid][(mid, fy, q)] = tariff
    verified: dict[int, list] = {pk: [] for pk in ids}
    per_claim, claimed = ledger().figures(ids)
    for pid, mid, name, fy, q, value in (
        OutcomeReturn.objects.filter(programme_id__in=ids, status=OutcomeReturn.Status.VERIFIED)
        .order_by()
        .values_list("programme_id", "measure_id", "measure__name", "financial_year", "quarter", "value")
    ):
        if (pid, mid) not in per_claim:  # a measure paid per claim counts its claims, not returns
            verified[pid].append(VerifiedOutcome(mid, name, fy, q, value))
    for row in claimed:
        verified[row.programme_id].append(
            VerifiedOutcome(
                row.measure_id,
                row.measure_name,
                row.financial_year,
                row.quarter,
                Decimal(row.claims),
                amount=row.amount,
            )
        )
    paid: dict[int, dict] = {pk: {} for pk in ids}
    recovered: dict[int, dict] = {pk: {} for pk in ids}  # clawbacks, as positive amounts
    for pid, fy, q, kind, total in (
        Payment.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id", "financial_year", "quarter", "kind")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "financial_year", "quarter", "kind", "total")
    ):
        paid[pid][(fy, q)] = paid[pid].get((fy, q), 0) + total
        if kind == Payment.Kind.CLAWBACK:
            recovered[pid][(fy, q)] = -total
    return {
        p.pk: schedule(
            start=p.start_date,
            end=p.end_date,
            award=p.award_amount,
            service_fee=p.service_fee,
            tariffs=tariffs[p.pk],
            verified=verified[p.pk],
            paid=paid[p.pk],
            today=today,
            recovered=recovered[p.pk],
        )
        for p in programmes
    }


def payment_schedule(programme: Programme, *, today) -> Schedule:
    return payment_schedules([programme], today=today)[programme.pk]


def next_payment_due(programme: Programme, *, today) -> QuarterDue | None:
    """The quarter of the programme's next payment: the earliest started quarter with money
    outstanding (None when everything earned so far is paid)."""
    return payment_schedule(programme, today=today).next_due
