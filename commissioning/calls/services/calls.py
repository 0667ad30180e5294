"""Writes for calls: the call with its lots and scoring scheme, publishing, clarifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from core.errors import Conflict, ValidationFailed
from outcomes.models import OutcomeMeasure

from ..models import Call, Clarification, Criterion, EligibilityQuestion, Lot, LotMeasure
from ..permissions import Action, require
from ._common import lock_call, now, save, validate

SCHEME_FIXED = "The call is open, so its scoring scheme and lots are fixed; only a draft call's can change."
CALL_NOT_DRAFT = "Only a draft call can be published."
CLARIFICATIONS_CLOSED = "The clarification deadline has passed; no more questions can be asked."
WEIGHTS_SUM = "Quality, price and social value weights must add up to 100; they add up to {total}."
CRITERIA_SUM = "The quality criteria's weights must add up to 100; they add up to {total}."
DESCRIPTORS = "Give six descriptors for each criterion, one for each score from 0 to 5."
SOCIAL_VALUE_CRITERION = (
    "Social value: how far the bid's commitments add value to the area beyond the service."
)
DEFAULT_SOCIAL_VALUE_DESCRIPTORS = [
    "No commitment.",
    "Commitments vague and unmeasured.",
    "Some measurable commitments, weakly evidenced.",
    "Measurable commitments with dates.",
    "Strong, dated commitments relevant to the area.",
    "Exceptional, dated commitments with local evidence and monitoring.",
]

SCHEME_FIELDS = {"quality_weight", "price_weight", "social_value_weight", "quality_threshold", "price_method"}
CALL_FIELDS = SCHEME_FIELDS | {
    "reference", "title", "kind", "specification", "commissioning_model", "funding_stream",
    "opens_at", "closes_at", "clarification_deadline", "service_start", "service_end", "source_programme",
}  # fmt: skip


@dataclass
class LotInput:
    number: int
    title: str
    budget: Decimal
    measures: list[tuple[int, Decimal]]  # (measure id, minimum volume)
    description: str = ""


@dataclass
class CriterionInput:
    name: str
    weight: int
    descriptors: list[str]
    guidance: str = ""
    kind: str = Criterion.Kind.QUALITY


@dataclass
class _Scheme:
    lots: list[LotInput] | None = None
    criteria: list[CriterionInput] | None = None
    eligibility: list[str] | None = None
    errors: dict = field(default_factory=dict)


def call_create(
    *,
    user,
    fields: dict,
    lots: list[LotInput],
    criteria: list[CriterionInput],
    eligibility: list[str] = (),
    priority_ids=(),
    primary_priority_id: int | None = None,
    theme_ids=(),
    ward_ids=(),
) -> Call:
    """A draft call with its lots, scoring scheme and eligibility questions."""
    require(user, Action.CALL_MANAGE)
    _check_fields(fields)
    with transaction.atomic():
        call = Call(**fields, created_by=user)
        _check_call(call, lots, criteria)
        try:
            with transaction.atomic():
                save(call, user)
        except IntegrityError:
            raise ValidationFailed({"reference": ["A call with this reference already exists."]}) from None
        _set_links(call, priority_ids, primary_priority_id, theme_ids, ward_ids, user)
        _replace_scheme(call, lots, criteria, list(eligibility), user)
        return call


def call_update(
    *,
    user,
    call: Call,
    fields: dict,
    lots: list[LotInput] | None = None,
    criteria: list[CriterionInput] | None = None,
    eligibility: list[str] | None = None,
    priority_ids=None,
    primary_priority_id: int | None = None,
    theme_ids=None,
    ward_ids=None,
) -> Call:
    """Change a call. Its scheme (weights, threshold, price method, criteria, lots, eligibility)
    only while a draft; checked on the locked row, so it cannot open half-way through."""
    require(user, Action.CALL_MANAGE)
    _check_fields(fields)
    with transaction.atomic():
        locked = lock_call(call)
        changes_scheme = bool(SCHEME_FIELDS & set(fields)) or any(
            x is not None for x in (lots, criteria, eligibility)
        )
        if locked.status != Call.Status.DRAFT and (changes_scheme or locked.status == Call.Status.CONCLUDED):
            raise Conflict(SCHEME_FIXED)
        for name, value in fields.items():
            setattr(locked, name, value)
        _check_call(locked, lots, criteria, existing=True)
        save(locked, user)
        _set_links(locked, priority_ids, primary_priority_id, theme_ids, ward_ids, user)
        if changes_scheme:
            _replace_scheme(locked, lots, criteria, eligibility, user)
        return locked


def call_publish(*, user, call: Call) -> Call:
    """Draft → published: public from now on, open for bids between its opening and closing."""
    require(user, Action.CALL_MANAGE)
    with transaction.atomic():
        locked = lock_call(call)
        if locked.status != Call.Status.DRAFT:
            raise Conflict(CALL_NOT_DRAFT)
        errors: dict = {}
        _check_weights(locked, list(locked.criteria.all()), errors)
        if not locked.lots.exists():
            errors.setdefault("lots", []).append("A call needs at least one lot.")
        if errors:
            raise ValidationFailed(errors)
        locked.status = Call.Status.OPEN
        save(locked, user)
        return locked


def clarification_ask(*, user, call: Call, question: str) -> Clarification:
    require(user, Action.CALL_ASK, call)
    with transaction.atomic():
        locked = lock_call(call)
        if now() >= locked.clarification_deadline:
            raise Conflict(CLARIFICATIONS_CLOSED)
        if not (question or "").strip():
            raise ValidationFailed({"question": ["Write your question."]})
        clarification = Clarification(call=locked, question=question.strip(), asked_by=user)
        save(clarification, user)
        return clarification


def clarification_answer(*, user, clarification: Clarification, answer: str) -> Clarification:
    """Answer a question and publish it to every bidder (without naming who asked)."""
    require(user, Action.CALL_MANAGE)
    with transaction.atomic():
        lock_call(clarification.call_id)
        locked = Clarification.objects.select_for_update().get(pk=clarification.pk)
        if not (answer or "").strip():
            raise ValidationFailed({"answer": ["Write the answer that every bidder will see."]})
        locked.answer, locked.answered_by, locked.published_at = answer.strip(), user, now()
        save(locked, user)
        return locked


def _check_fields(fields: dict) -> None:
    if unknown := set(fields) - CALL_FIELDS:
        raise ValidationFailed({name: ["This field cannot be set here."] for name in sorted(unknown)})


def _check_call(call: Call, lots, criteria, existing: bool = False) -> None:
    errors: dict = {}
    try:
        validate(call, exclude=["created_by"])
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if lots is not None:
        _check_lots(lots, errors)
    elif not existing:
        errors.setdefault("lots", []).append("A call needs at least one lot.")
    if criteria is not None:
        _check_criteria(call, criteria, errors)
    if errors:
        raise ValidationFailed(errors)


def _check_weights(call: Call, criteria, errors: dict) -> None:
    total = (call.quality_weight or 0) + (call.price_weight or 0) + (call.social_value_weight or 0)
    if total != 100:
        errors.setdefault("weights", []).append(WEIGHTS_SUM.format(total=total))
    quality = [c.weight for c in criteria if c.kind == Criterion.Kind.QUALITY]
    if not quality:
        errors.setdefault("criteria", []).append("A call needs at least one quality criterion.")
    elif sum(quality) != 100:
        errors.setdefault("criteria", []).append(CRITERIA_SUM.format(total=sum(quality)))


def _check_criteria(call: Call, criteria: list[CriterionInput], errors: dict) -> None:
    _check_weights(call, criteria, errors)
    if len({c.name.strip() for c in criteria}) != len(criteria):
        errors.setdefault("criteria", []).append("Each criterion needs a different name.")
    for c in criteria:
        if not c.name.strip():
            errors.setdefault("criteria", []).append("Each criterion needs a name.")
        if not 1 <= c.weight <= 100:
            errors.setdefault("criteria", []).append(f"{c.name}: a weight is a percentage from 1 to 100.")
        if (
            not isinstance(c.descriptors, list)
            or len(c.descriptors) != 6
            or not all(isinstance(d, str) and d.strip() for d in c.descriptors)
        ):
            errors.setdefault("criteria", []).append(f"{c.name}: {DESCRIPTORS}")
        if c.kind not in Criterion.Kind.values:
            errors.setdefault("criteria", []).append(f"{c.name}: the kind is quality or social_value.")
    if sum(1 for c in criteria if c.kind == Criterion.Kind.SOCIAL_VALUE) > 1:
        errors.setdefault("criteria", []).append("A call has at most one social value criterion.")


def _check_lots(lots: list[LotInput], errors: dict) -> None:
    if not lots:
        errors.setdefault("lots", []).append("A call needs at least one lot.")
    if len({lot.number for lot in lots}) != len(lots):
        errors.setdefault("lots", []).append("Each lot needs a different number.")
    measure_ids = {m for lot in lots for m, _ in lot.measures}
    found = set(OutcomeMeasure.objects.filter(pk__in=measure_ids).values_list("pk", flat=True))
    for lot in lots:
        label = f"Lot {lot.number}"
        if not lot.title.strip():
            errors.setdefault("lots", []).append(f"{label}: give it a title.")
        if lot.budget is None or lot.budget < 0:
            errors.setdefault("lots", []).append(f"{label}: the budget cannot be negative.")
        if not lot.measures:
            errors.setdefault("lots", []).append(
                f"{label}: name at least one outcome measure bids must price."
            )
        if missing := sorted({m for m, _ in lot.measures} - found):
            errors.setdefault("lots", []).append(f"{label}: no outcome measure with id {missing[0]}.")
        if any(minimum is None or minimum < 0 for _, minimum in lot.measures):
            errors.setdefault("lots", []).append(f"{label}: a minimum volume cannot be negative.")


def _set_links(call: Call, priority_ids, primary_priority_id, theme_ids, ward_ids, user) -> None:
    if priority_ids is not None or primary_priority_id is not None:
        ids = list(
            dict.fromkeys([*([primary_priority_id] if primary_priority_id else []), *(priority_ids or [])])
        )
        call.priorities.set(ids)
        if primary_priority_id is not None or (ids and call.primary_priority_id not in ids):
            call.primary_priority_id = primary_priority_id or (ids[0] if ids else None)
            save(call, user)
    if theme_ids is not None:
        call.themes.set(theme_ids)
    if ward_ids is not None:
        call.wards.set(ward_ids)


def _replace_scheme(call: Call, lots, criteria, eligibility, user) -> None:
    if lots is not None:
        for old in Lot.objects.filter(call=call):
            for link in old.lot_measures.all():
                link._history_user = user
                link.delete()
            old._history_user = user
            old.delete()
        for lot_input in lots:
            lot = Lot(
                call=call,
                number=lot_input.number,
                title=lot_input.title.strip(),
                description=lot_input.description,
                budget=lot_input.budget,
            )
            save(lot, user)
            for measure_id, minimum in lot_input.measures:
                save(LotMeasure(lot=lot, measure_id=measure_id, minimum_volume=minimum), user)
    if criteria is not None:
        for old in call.criteria.all():
            old._history_user = user
            old.delete()
        criteria = list(criteria)
        if call.social_value_weight and not any(c.kind == Criterion.Kind.SOCIAL_VALUE for c in criteria):
            criteria.append(
                CriterionInput(
                    "Social value",
                    100,
                    DEFAULT_SOCIAL_VALUE_DESCRIPTORS,
                    SOCIAL_VALUE_CRITERION,
                    Criterion.Kind.SOCIAL_VALUE,
                )  # fmt: skip
            )
        for order, c in enumerate(criteria):
            weight = 100 if c.kind == Criterion.Kind.SOCIAL_VALUE else c.weight
            save(
                Criterion(
                    call=call,
                    kind=c.kind,
                    name=c.name.strip(),
                    guidance=c.guidance,
                    weight=weight,
                    descriptors=[d.strip() for d in c.descriptors],
                    order=order,
                ),  # fmt: skip
                user,
            )
    if eligibility is not None:
        for old in call.eligibility_questions.all():
            old._history_user = user
            old.delete()
        for order, text in enumerate(t.strip() for t in eligibility if t.strip()):
            save(EligibilityQuestion(call=call, text=text, order=order), user)
