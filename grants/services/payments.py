"""Writes for payments by results: record a payment, reverse one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from core import clock
from core.errors import Conflict, ValidationFailed
from core.formatting import gbp
from grants.ledger import ledger
from grants.models import Payment, Programme
from grants.permissions import Action, require
from grants.selectors import payment_schedule
from grants.services._common import check_within_dates, parse_quarter, save_with_history, validate


def payment_record(
    *,
    user,
    programme: Programme,
    financial_year: str,
    quarter: int,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
    today: date | None = None,
) -> Payment:
    """Record money paid to a payment-by-results programme for one of its quarters (finance
    officers). The quarter must be the programme's and have started; the payment may not take
    what is paid for the quarter past what is due for it (grants.payments has the rules). The
    programme row is locked while checking, so two payments at once cannot both pass."""
    with transaction.atomic():
        payment = payment_prepare(
            user=user,
            programme=programme,
            financial_year=financial_year,
            quarter=quarter,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            today=today,
        )
        save_with_history(payment, user)
        row = payment_schedule(payment.programme, today=today or clock.today()).find(
            payment.financial_year, payment.quarter
        )
        ledger().payment_recorded(payment, schedule_row=row)
        return payment


def payment_prepare(
    *,
    user,
    programme: Programme,
    financial_year: str,
    quarter: int,
    amount: Decimal,
    paid_on: date,
    reference: str = "",
    today: date | None = None,
) -> Payment:
    """Check a payment and return it unsaved, with the programme row locked until the caller's
    transaction ends (payment_record saves it; the admin's add form uses it to validate)."""
    require(user, Action.PROGRAMME_VIEW, programme, field="programme")
    require(user, Action.PAYMENT_RECORD, programme)
    today = today or clock.today()
    reference = (reference or "").strip()
    if programme.commissioning_model != Programme.Model.PAYMENT_BY_RESULTS:
        raise ValidationFailed(
            {
                "programme": [
                    f"{programme.reference} is a {programme.get_commissioning_model_display().lower()}, "
                    "not payment by results, so it has no payments schedule."
                ]
            }
        )
    if amount <= 0:
        raise ValidationFailed({"amount": ["A payment must be more than £0."]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed({"amount": ["Give the amount in pounds and pence."]})
    period = parse_quarter(financial_year, quarter)
    check_within_dates(period, programme)
    if period.start > today:
        raise ValidationFailed(
            {"quarter": [f"{period} has not started yet (it starts on {period.start:%d %B %Y})."]}
        )
    if paid_on > today:
        raise ValidationFailed({"paid_on": ["The payment date cannot be in the future."]})
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    # A reversed payment's reference may be used again by the payment that corrects it.
    taken = Payment.objects.filter(
        programme=locked, reference=reference, kind=Payment.Kind.PAYMENT, reversal__isnull=True
    )
    if reference and taken.exists():
        raise Conflict(
            f'A payment with reference "{reference}" is already recorded for {locked.reference}.',
            field="reference",
        )
    row = payment_schedule(locked, today=today).find(period.financial_year.label, period.number)
    if amount > row.outstanding:
        raise ValidationFailed(
            {
                "amount": [
                    f"This payment of {gbp(amount, pence=True)} would overpay {period}: "
                    f"{gbp(row.due, pence=True)} is due for it and {gbp(row.paid, pence=True)} is "
                    f"already paid, so at most {gbp(max(row.outstanding, Decimal('0')), pence=True)} "
                    "can be paid now."
                ]
            }
        )
    payment = Payment(
        programme=locked,
        financial_year=period.financial_year.label,
        quarter=period.number,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=user,
    )
    validate(payment)
    return payment


REVERSAL_REASON_MAX = 1000


def payment_reverse(*, user, payment: Payment, reason: str, today: date | None = None) -> Payment:
    """Reverse a payment recorded in error (finance officers and admins): records a new, linked
    reversal for the same programme and quarter with the original's amount negated and the
    reason, dated today. The original is kept unchanged; both count in SUM(amount), so the pair
    nets to nothing and the quarter is payable again. A payment is reversed at most once and a
    reversal is never reversed (record a new payment instead). The programme row is locked, as
    for payment_record, so two reversals at once cannot both pass."""
    require(user, Action.PAYMENT_VIEW, payment)
    require(user, Action.PAYMENT_RECORD, payment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say why this payment is being reversed."]})
    if len(reason) > REVERSAL_REASON_MAX:
        raise ValidationFailed({"reason": [f"Keep the reason to {REVERSAL_REASON_MAX} characters."]})
    today = today or clock.today()
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=payment.programme_id)
        original = Payment.objects.select_related("programme").get(pk=payment.pk)
        if original.kind == Payment.Kind.REVERSAL:
            raise Conflict(
                f"This is a reversal (of payment {original.reverses_id}); a reversal cannot be reversed. "
                "If the payment is due after all, record it again as a new payment.",
                existing_id=original.reverses_id,
            )
        if original.kind == Payment.Kind.CLAWBACK:
            raise Conflict(
                "This is a clawback; it cannot be reversed. If too much was clawed back, record a "
                "payment for the difference."
            )
        existing = Payment.objects.filter(reverses=original).values_list("pk", flat=True).first()
        if existing is not None:
            raise Conflict(
                f"Payment {original.pk} ({original}) has already been reversed (reversal {existing}).",
                existing_id=existing,
            )
        reversal = Payment(
            programme=original.programme,
            kind=Payment.Kind.REVERSAL,
            financial_year=original.financial_year,
            quarter=original.quarter,
            amount=-original.amount,
            paid_on=today,
            reverses=original,
            reason=reason,
            recorded_by=user,
        )
        # History's change-reason column holds 100 characters; the full reason is on the row.
        reversal._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
        try:
            with transaction.atomic():
                save_with_history(reversal, user)
        except IntegrityError:
            raise Conflict(f"Payment {original.pk} has already been reversed.") from None
        ledger().payment_reversed(original, reversal)
        return reversal


def payment_clawback(
    *,
    user,
    programme: Programme,
    financial_year: str,
    quarter: int,
    amount: Decimal,
    reason: str,
    today: date | None = None,
) -> Payment:
    """Recover money from a payment-by-results programme for one of its quarters (finance
    officers and admins), e.g. what an audit of its claims found was paid in error: the
    reversal mechanism's negative entry, for `amount` (a positive sum to take back), with the
    reason, dated today and linked to no one payment. It comes off both what was paid and what
    is due for the quarter (grants.payments), so the quarter is not made payable again. The
    programme row is locked, as for recording a payment."""
    require(user, Action.PROGRAMME_VIEW, programme, field="programme")
    require(user, Action.PAYMENT_RECORD, programme)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say why this money is being clawed back."]})
    if len(reason) > REVERSAL_REASON_MAX:
        raise ValidationFailed({"reason": [f"Keep the reason to {REVERSAL_REASON_MAX} characters."]})
    if amount <= 0:
        raise ValidationFailed({"amount": ["A clawback must be more than £0."]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed({"amount": ["Give the amount in pounds and pence."]})
    today = today or clock.today()
    period = parse_quarter(financial_year, quarter)
    check_within_dates(period, programme)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if locked.commissioning_model != Programme.Model.PAYMENT_BY_RESULTS:
            raise ValidationFailed(
                {
                    "programme": [
                        f"{locked.reference} is not payment by results, so nothing can be clawed back."
                    ]
                }
            )
        clawback = Payment(
            programme=locked,
            kind=Payment.Kind.CLAWBACK,
            financial_year=period.financial_year.label,
            quarter=period.number,
            amount=-amount,
            paid_on=today,
            reason=reason,
            recorded_by=user,
        )
        clawback._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"
        validate(clawback)
        save_with_history(clawback, user)
        return clawback
