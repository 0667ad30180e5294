"""Sampling audits of claims: draw a sample (random with a recorded seed, or risk-based), mark
each sampled claim valid or invalid, conclude (the error rate by value with its confidence
interval, the invalid claims rejected one by one), and post the extrapolated recovery as a
clawback through grants' payment reversal mechanism. The method is in claims.audit_stats and
docs/claims.md."""

from __future__ import annotations

import math
import random
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from claims import audit_stats
from claims.models import AuditedClaim, Claim, ClaimAudit, ClaimTerms, Enrolment, PayableOutcome
from claims.permissions import AUDIT_NOT_VISIBLE, Action, get_visible, require
from claims.selectors.audits import audit_population
from core.db.writes import save_with_history, validate
from core.errors import Conflict, ValidationFailed
from core.formatting import gbp
from grants.models import Programme
from grants.selectors import programme_get_visible
from grants.services import payment_clawback
from outcomes.periods import PeriodError, Quarter

MAX_SEED = 2**63 - 1
MIN_RANDOM_SAMPLE = 2
LIVE = (Claim.Status.SUBMITTED, Claim.Status.VERIFIED, Claim.Status.PAID)
REASON_MAX = 2000


@dataclass(frozen=True)
class AuditRequest:
    """An audit sample as asked for: exactly one of `size` (n) or `percent`."""

    programme_id: int
    financial_year: str
    quarter: int
    method: str  # ClaimAudit.Method
    size: int | None = None
    percent: Decimal | None = None
    seed: int | None = None
    risk: str = ""  # ClaimAudit.Risk, for a risk-based sample


def audit_draw(*, user, data: AuditRequest) -> ClaimAudit:
    """Draw a sample of a programme's verified or paid claims for a quarter (commissioners).
    The same programme, quarter, method, size and seed over the same claims draw the same
    sample. One audit per programme and quarter may be open at a time."""
    programme = programme_get_visible(user=user, pk=data.programme_id)
    require(user, Action.AUDIT_MANAGE)
    period = _period(data)
    _check_request(data)
    with transaction.atomic():
        # The programme's row orders concurrent draws, so the population counted is the one sampled.
        Programme.objects.select_for_update().get(pk=programme.pk)
        population = list(
            audit_population(programme_id=programme.pk, period=period)
            .order_by("pk")
            .values_list("pk", "participant_id", "payable_outcome_id", "achieved_on", "price", "submitted_at")
        )
        if not population:
            raise ValidationFailed(
                {"quarter": [f"{programme.reference} has no verified or paid claims for {period} to audit."]}
            )
        size = _sample_size(data, len(population))
        seed = data.seed if data.seed is not None else secrets.randbelow(2**31)
        if data.method == ClaimAudit.Method.RANDOM:
            chosen = _random_sample(population, size, seed)
        else:
            chosen = _risk_sample(programme, population, size, seed, data.risk)
        audit = ClaimAudit(
            programme=programme,
            financial_year=period.financial_year.label,
            quarter=period.number,
            method=data.method,
            risk=data.risk if data.method == ClaimAudit.Method.RISK else "",
            requested_size=data.size,
            requested_percent=data.percent,
            seed=seed,
            population_count=len(population),
            population_value=sum((row[4] for row in population), Decimal("0")),
            drawn_by=user,
        )
        validate(audit, exclude=["programme", "drawn_by"])
        try:
            with transaction.atomic():
                save_with_history(audit, user)
        except IntegrityError:
            raise Conflict(
                f"{programme.reference} already has an audit open for {period}; conclude it first."
            ) from None
        prices = {row[0]: row[4] for row in population}
        items = [
            AuditedClaim(audit=audit, claim_id=pk, value=prices[pk], risk_note=note) for pk, note in chosen
        ]
        AuditedClaim.objects.bulk_create(items)
    return audit


def audit_claim_mark(*, user, audit: ClaimAudit, item_id: int, valid: bool, reason: str = "") -> AuditedClaim:
    """Record one sampled claim's check: valid, or invalid with the reason (commissioners; the
    audit must be open). A claim can be marked again until the audit is concluded."""
    reason = (reason or "").strip()
    if not valid and not reason:
        raise ValidationFailed({"reason": ["Say why the claim is invalid; the provider sees it."]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [f"Keep the reason to {REASON_MAX:,} characters."]})
    with transaction.atomic():
        locked = _lock(user, audit)
        require(user, Action.AUDIT_MANAGE)
        if locked.status != ClaimAudit.Status.OPEN:
            raise Conflict("This audit is concluded; its sample can no longer be marked.")
        item = locked.items.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise ValidationFailed({"item": [f"Claim {item_id} is not in this audit's sample."]})
        item.result = AuditedClaim.Result.VALID if valid else AuditedClaim.Result.INVALID
        item.reason = reason
        item.checked_by, item.checked_at = user, timezone.now()
        save_with_history(item, user)
        return item


def audit_conclude(*, user, audit: ClaimAudit) -> ClaimAudit:
    """Conclude an audit whose every sampled claim is marked (commissioners): work out the error
    rate by value, its 95% confidence interval and the recovery (claims.audit_stats), and reject
    each invalid sampled claim with the audit's reason. A risk-based sample is not extrapolated."""
    with transaction.atomic():
        locked = _lock(user, audit)
        require(user, Action.AUDIT_MANAGE)
        if locked.status != ClaimAudit.Status.OPEN:
            raise Conflict("This audit is already concluded.")
        items = list(locked.items.select_related("claim").order_by("id"))
        pending = sum(1 for i in items if i.result == AuditedClaim.Result.PENDING)
        if pending:
            raise ValidationFailed(
                f"{pending} of the {len(items)} sampled claims are not checked yet; "
                "mark each valid or invalid."
            )
        try:
            figures = audit_stats.estimate(
                population_count=locked.population_count,
                population_value=locked.population_value,
                sample=[
                    audit_stats.SampledClaim(
                        i.value,
                        i.result == AuditedClaim.Result.INVALID,
                        paid=i.claim.status == Claim.Status.PAID,
                    )
                    for i in items
                ],
                extrapolate=locked.method == ClaimAudit.Method.RANDOM,
            )
        except audit_stats.AuditStatsError as exc:
            raise ValidationFailed(str(exc)) from None
        now = timezone.now()
        invalid = [i for i in items if i.result == AuditedClaim.Result.INVALID]
        claims = Claim.objects.select_for_update().filter(pk__in=[i.claim_id for i in invalid]).order_by("pk")
        reasons = {i.claim_id: i.reason for i in invalid}
        for claim in claims:
            if claim.status in (Claim.Status.VERIFIED, Claim.Status.PAID):
                claim.status = Claim.Status.REJECTED
                claim.reason = f"Found invalid by audit {locked.pk}: {reasons[claim.pk]}"
                claim.reviewed_by, claim.reviewed_at = user, now
                save_with_history(claim, user)
        locked.status = ClaimAudit.Status.CONCLUDED
        locked.concluded_by, locked.concluded_at = user, now
        locked.error_rate, locked.ci_low, locked.ci_high = figures.error_rate, figures.ci_low, figures.ci_high
        locked.recovery = figures.recovery
        locked.recovery_low, locked.recovery_high = figures.recovery_low, figures.recovery_high
        locked.invalid_value = figures.invalid_value
        locked.clawback_amount = figures.clawback
        save_with_history(locked, user)
        return locked


def audit_post_clawback(*, user, audit: ClaimAudit):
    """Post a concluded audit's clawback (finance officers and admins): a negative entry in the
    programme's payments for the audited quarter, with the audit as its reason, through
    grants.services.payment_clawback. Once per audit."""
    with transaction.atomic():
        locked = _lock(user, audit)
        if locked.status != ClaimAudit.Status.CONCLUDED:
            raise Conflict("Conclude the audit before posting its clawback.")
        if locked.clawback_id is not None:
            raise Conflict(f"This audit's clawback is already posted (payment {locked.clawback_id}).")
        if not locked.clawback_amount or locked.clawback_amount <= 0:
            raise ValidationFailed(
                "This audit found nothing to claw back beyond the claims it rejected."
                if locked.method == ClaimAudit.Method.RANDOM
                else "A risk-based sample is not extrapolated: its invalid claims were rejected, "
                "and there is nothing further to claw back."
            )
        interval = (
            f" (95% CI {locked.ci_low * 100:.2f}% to {locked.ci_high * 100:.2f}%)"
            if locked.ci_low is not None
            else " in a risk-based sample, not extrapolated"
        )
        by_rejection = locked.recovery - locked.clawback_amount
        reason = (
            f"Audit {locked.pk} of {locked.programme.reference} claims for {locked.financial_year} "
            f"Q{locked.quarter}: error rate {locked.error_rate * 100:.2f}% by value{interval} over "
            f"{gbp(locked.population_value, pence=True)}; recovery {gbp(locked.recovery, pence=True)}, "
            f"of which {gbp(by_rejection, pence=True)} by rejecting unpaid invalid sampled claims."
        )
        payment = payment_clawback(
            user=user,
            programme=locked.programme,
            financial_year=locked.financial_year,
            quarter=locked.quarter,
            amount=locked.clawback_amount,
            reason=reason,
        )
        locked.clawback = payment
        save_with_history(locked, user)
        return payment


def _lock(user, audit: ClaimAudit) -> ClaimAudit:
    queryset = ClaimAudit.objects.select_related("programme").select_for_update(of=("self",))
    return get_visible(queryset, user=user, pk=audit.pk, action=Action.AUDIT_VIEW, missing=AUDIT_NOT_VISIBLE)


def _period(data: AuditRequest) -> Quarter:
    try:
        return Quarter.of(data.financial_year, data.quarter)
    except PeriodError as exc:
        field = "quarter" if "Quarter" in str(exc) else "financial_year"
        raise ValidationFailed({field: [str(exc)]}) from None


def _check_request(data: AuditRequest) -> None:
    if data.method not in ClaimAudit.Method.values:
        raise ValidationFailed({"method": ['Choose "random" or "risk".']})
    if data.method == ClaimAudit.Method.RISK and data.risk not in ClaimAudit.Risk.values:
        choices = ", ".join(f'"{v}"' for v in ClaimAudit.Risk.values)
        raise ValidationFailed({"risk": [f"Choose the risk the sample looks for: {choices}."]})
    if data.method == ClaimAudit.Method.RANDOM and data.risk:
        raise ValidationFailed({"risk": ["A random sample has no risk; choose a risk-based sample instead."]})
    if (data.size is None) == (data.percent is None):
        raise ValidationFailed(
            {"size": ["Give the sample's size either as a number of claims or as a percentage."]}
        )
    if data.size is not None and data.size < 1:
        raise ValidationFailed({"size": ["The sample needs at least one claim."]})
    if data.percent is not None and not Decimal("0") < data.percent <= Decimal("100"):
        raise ValidationFailed({"percent": ["Give a percentage more than 0 and at most 100."]})
    if data.seed is not None and not 0 <= data.seed <= MAX_SEED:
        raise ValidationFailed({"seed": [f"The seed is a whole number from 0 to {MAX_SEED}."]})


def _sample_size(data: AuditRequest, population: int) -> int:
    if data.percent is not None:
        size = math.ceil(population * data.percent / 100)
    else:
        size = data.size
    if size > population:
        raise ValidationFailed(
            {"size": [f"The sample ({size}) cannot be larger than the {population} claims to audit."]}
        )
    if data.method == ClaimAudit.Method.RANDOM and size < min(MIN_RANDOM_SAMPLE, population):
        raise ValidationFailed(
            {
                "size": [
                    f"A random sample needs at least {MIN_RANDOM_SAMPLE} claims for a confidence interval."
                ]
            }
        )
    return size


def _random_sample(population: list[tuple], size: int, seed: int) -> list[tuple[int, str]]:
    """A simple random sample without replacement: Python's Mersenne Twister seeded with `seed`
    choosing from the claims in id order (statistical sampling, not security)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling is the point
    ids = [row[0] for row in population]
    return [(pk, "") for pk in sorted(rng.sample(ids, size))]


def _risk_sample(
    programme, population: list[tuple], size: int, seed: int, risk: str
) -> list[tuple[int, str]]:
    """The `size` claims most at risk by one measure, ties broken by the seeded generator."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible tie-break
    tiebreak = {row[0]: rng.random() for row in population}
    if risk == ClaimAudit.Risk.NEAR_EARLIEST:
        scored = _near_earliest(programme, population)
    elif risk == ClaimAudit.Risk.NEAR_CAP:
        scored = _near_cap(programme, population)
    else:
        scored = _volume(population)
    scored.sort(key=lambda s: (-s[1], tiebreak[s[0]]))
    return sorted((pk, note) for pk, _, note in scored[:size])


def _near_earliest(programme, population: list[tuple]) -> list[tuple[int, float, str]]:
    """Riskier the closer the outcome was achieved to the earliest date it could count."""
    starts = dict(
        Enrolment.objects.filter(
            programme=programme, participant_id__in={row[1] for row in population}
        ).values_list("participant_id", "start_date")
    )
    earliest_days = dict(
        PayableOutcome.objects.filter(programme=programme).values_list("pk", "earliest_claim_days")
    )
    scored = []
    for pk, participant_id, outcome_id, achieved_on, _, _ in population:
        earliest = starts[participant_id] + timedelta(days=earliest_days[outcome_id])
        gap = (achieved_on - earliest).days
        scored.append((pk, -gap, f"Achieved {gap} day{'s' if gap != 1 else ''} after the earliest date"))
    return scored


def _near_cap(programme, population: list[tuple]) -> list[tuple[int, float, str]]:
    """Riskier the nearer the participant's claims on the programme are to its cap."""
    cap = ClaimTerms.objects.filter(programme=programme).values_list("cap_per_participant", flat=True).first()
    if not cap:
        raise ValidationFailed(
            {"risk": [f"{programme.reference} has no cap per participant, so none is near it."]}
        )
    totals = dict(
        Claim.objects.filter(
            programme=programme, status__in=LIVE, participant_id__in={row[1] for row in population}
        )
        .values("participant_id")
        .annotate(total=Sum("price"))
        .values_list("participant_id", "total")
    )
    scored = []
    for pk, participant_id, *_ in population:
        share = float(totals.get(participant_id, 0) / cap)
        scored.append(
            (
                pk,
                share,
                f"Participant at {gbp(totals.get(participant_id, 0))} of the {gbp(cap)} cap ({share:.0%})",
            )
        )
    return scored


def _volume(population: list[tuple]) -> list[tuple[int, float, str]]:
    """Riskier the more claims the provider submitted on the same day: bursts of claims are
    where bulk errors hide."""
    days = [timezone.localtime(row[5]).date() for row in population]
    per_day = Counter(days)
    ordinary = sorted(per_day.values())[len(per_day) // 2]  # the median day's count
    scored = []
    for row, day in zip(population, days, strict=True):
        count = per_day[day]
        note = f"One of {count} claims submitted on {day:%d %b %Y} (a usual day: {ordinary})"
        scored.append((row[0], float(count) / ordinary, note))
    return scored
