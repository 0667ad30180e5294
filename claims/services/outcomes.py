"""A programme's payable outcomes and claim terms: the rules claims are checked against, set by
commissioners (the web screen and the admin both call these). A tariff set here prices claims
made from now on; claims already made keep the price they fixed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from claims.models import ClaimTerms, EvidenceType, PayableOutcome
from claims.permissions import Action, require
from core.db.writes import save_with_history
from core.errors import Conflict, ValidationFailed
from grants.models import Programme
from grants.selectors import programme_get_visible
from outcomes.models import OutcomeMeasure

NOT_PBR = "{reference} is not payment by results, so it cannot pay per claim."


@dataclass(frozen=True)
class PayableOutcomeInput:
    measure_id: int
    tariff: Decimal
    evidence_types: list[str]
    sustainment_weeks: int = 0
    earliest_claim_days: int = 0
    max_claims_per_participant: int = 1
    exclusivity_group: str = ""


def payable_outcome_set(*, user, programme_id: int, data: PayableOutcomeInput) -> PayableOutcome:
    """Add the outcome to what the programme pays per claim, or change its tariff and rules."""
    programme = _programme(user, programme_id)
    _check(data)
    measure = OutcomeMeasure.objects.filter(pk=data.measure_id).first()
    if measure is None:
        raise ValidationFailed({"measure": ["No outcome measure with that id."]})
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        outcome = PayableOutcome.objects.filter(programme=programme, measure=measure).first()
        outcome = outcome or PayableOutcome(programme=programme, measure=measure)
        outcome.tariff = data.tariff
        outcome.evidence_types = list(dict.fromkeys(data.evidence_types))
        outcome.sustainment_weeks = data.sustainment_weeks
        outcome.earliest_claim_days = data.earliest_claim_days
        outcome.max_claims_per_participant = data.max_claims_per_participant
        outcome.exclusivity_group = data.exclusivity_group.strip()
        try:
            with transaction.atomic():
                save_with_history(outcome, user)
        except IntegrityError:
            raise Conflict("This programme already pays for this outcome; change it instead.") from None
    return outcome


def payable_outcome_remove(*, user, outcome: PayableOutcome) -> None:
    """Stop paying per claim for an outcome nobody has claimed yet (claimed ones are kept)."""
    _programme(user, outcome.programme_id)
    with transaction.atomic():
        locked = PayableOutcome.objects.select_for_update().get(pk=outcome.pk)
        if locked.claims.exists():
            raise Conflict("This outcome has claims, so it is kept; set its tariff or rules instead.")
        locked._history_user = user
        locked.delete()


def claim_terms_set(*, user, programme_id: int, cap_per_participant: Decimal | None) -> ClaimTerms:
    programme = _programme(user, programme_id)
    if cap_per_participant is not None and cap_per_participant < 0:
        raise ValidationFailed({"cap_per_participant": ["The cap cannot be negative."]})
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        terms, _ = ClaimTerms.objects.get_or_create(programme=programme)
        terms.cap_per_participant = cap_per_participant
        save_with_history(terms, user)
    return terms


def _programme(user, programme_id: int) -> Programme:
    programme = programme_get_visible(user=user, pk=programme_id)
    require(user, Action.OUTCOMES_MANAGE, programme)
    if programme.commissioning_model != Programme.Model.PAYMENT_BY_RESULTS:
        raise ValidationFailed({"programme": [NOT_PBR.format(reference=programme.reference)]})
    return programme


def _check(data: PayableOutcomeInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.tariff is None or data.tariff < 0:
        errors["tariff"] = ["Give the tariff in pounds, £0 or more."]
    elif data.tariff != data.tariff.quantize(Decimal("0.01")):
        errors["tariff"] = ["Give the tariff in pounds and pence."]
    if not data.evidence_types:
        errors["evidence_types"] = ["Choose at least one kind of evidence a claim may rest on."]
    elif unknown := [t for t in data.evidence_types if t not in EvidenceType.values]:
        errors["evidence_types"] = [f"Unknown evidence type: {', '.join(unknown)}."]
    if data.max_claims_per_participant < 1:
        errors["max_claims_per_participant"] = ["At least one claim per participant must be allowed."]
    if data.sustainment_weeks < 0 or data.earliest_claim_days < 0:
        errors["sustainment_weeks"] = ["Weeks and days cannot be negative."]
    if errors:
        raise ValidationFailed(errors)
