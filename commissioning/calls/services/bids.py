"""Writes for bids: a provider's draft, edited until the closing time, submitted before it (by
server time, under the call's lock), or withdrawn before it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from core.errors import Conflict, ValidationFailed
from core.formatting import short_date
from outcomes.periods import PeriodError, Quarter

from ..models import (
    Bid,
    BidAnswer,
    BudgetLine,
    Call,
    EligibilityAnswer,
    Lot,
    ProposedOutcome,
    RateCardLine,
    SocialValueCommitment,
)
from ..permissions import Action, require
from ._common import delete, is_open_for_bids, lock_call, now, save, validate

CALL_NOT_OPEN = "This call is not open for bids: it opens {opens} and closes {closes}."
CLOSED_FOR_SUBMISSION = "The call closed at {closes}; bids can no longer be submitted."
CLOSED_FOR_CHANGE = "The call closed at {closes}; bids can no longer be changed or withdrawn."
NOT_DRAFT = "This bid has been {status}; only a draft can be changed."
ALREADY_WITHDRAWN = "This bid has already been withdrawn."
DUPLICATE_BID = "Your organisation already has a bid for this lot; change that one instead."
BID_FIELDS = {"title", "summary", "price", "service_fee", "declaration_accurate",
              "declaration_no_collusion", "declaration_safeguarding"}  # fmt: skip


def _stamp(moment) -> str:
    from django.utils import timezone

    local = timezone.localtime(moment)
    return f"{local:%H:%M:%S} on {short_date(local.date())}"


def bid_create(*, user, call: Call, lot: Lot, organisation, title: str = "") -> Bid:
    """A draft bid by one of the user's organisations for one lot of an open call."""
    require(user, Action.BID_CREATE, organisation)
    with transaction.atomic():
        locked = lock_call(call)
        if not is_open_for_bids(locked):
            raise Conflict(
                CALL_NOT_OPEN.format(opens=_stamp(locked.opens_at), closes=_stamp(locked.closes_at))
            )
        if lot.call_id != locked.pk:
            raise ValidationFailed({"lot": ["That lot belongs to another call."]})
        bid = Bid(call=locked, lot=lot, organisation=organisation, title=(title or "").strip() or lot.title,
                  created_by=user)  # fmt: skip
        try:
            with transaction.atomic():
                save(bid, user)
        except IntegrityError:
            raise Conflict(DUPLICATE_BID) from None
        return bid


def bid_update(
    *,
    user,
    bid: Bid,
    fields: dict | None = None,
    answers: dict[int, str] | None = None,
    eligibility: dict[int, tuple[bool, str]] | None = None,
    outcomes: list[tuple[int, str, int, Decimal]] | None = None,
    rate_card: dict[int, Decimal] | None = None,
    budget_lines: dict[str, Decimal] | None = None,
    social_value: list[tuple[str, Decimal, date]] | None = None,
) -> Bid:
    """Change a draft before the closing time. Each part given replaces what was there."""
    require(user, Action.BID_VIEW, bid)
    require(user, Action.BID_CHANGE, bid)
    fields = fields or {}
    if unknown := set(fields) - BID_FIELDS:
        raise ValidationFailed({name: ["This field cannot be set here."] for name in sorted(unknown)})
    with transaction.atomic():
        call = lock_call(bid.call_id)
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        if now() >= call.closes_at:
            raise Conflict(CLOSED_FOR_CHANGE.format(closes=_stamp(call.closes_at)))
        if locked.status != Bid.Status.DRAFT:
            raise Conflict(NOT_DRAFT.format(status=locked.get_status_display().lower()))
        for name, value in fields.items():
            setattr(locked, name, value)
        validate(locked)
        save(locked, user)
        errors: dict = {}
        if answers is not None:
            _replace_answers(locked, answers, user, errors)
        if eligibility is not None:
            _replace_eligibility(locked, eligibility, user, errors)
        if outcomes is not None:
            _replace_outcomes(locked, call, outcomes, user, errors)
        if rate_card is not None:
            _replace_rate_card(locked, rate_card, user, errors)
        if budget_lines is not None:
            _replace_budget(locked, budget_lines, user, errors)
        if social_value is not None:
            _replace_social_value(locked, social_value, user, errors)
        if errors:
            raise ValidationFailed(errors)
        return locked


def bid_submit(*, user, bid: Bid) -> Bid:
    """Submit a complete draft. Refused at or after the closing time, by the server's clock read
    under the call's lock."""
    require(user, Action.BID_VIEW, bid)
    require(user, Action.BID_CHANGE, bid)
    with transaction.atomic():
        call = lock_call(bid.call_id)
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        if now() >= call.closes_at:
            raise Conflict(CLOSED_FOR_SUBMISSION.format(closes=_stamp(call.closes_at)), code="late")
        if locked.status != Bid.Status.DRAFT:
            raise Conflict(NOT_DRAFT.format(status=locked.get_status_display().lower()))
        if errors := submission_problems(locked, call):
            raise ValidationFailed(errors)
        locked.status, locked.submitted_at = Bid.Status.SUBMITTED, now()
        save(locked, user)
        return locked


def bid_withdraw(*, user, bid: Bid) -> Bid:
    """Withdraw a draft or submitted bid before the closing time; it stays on record."""
    require(user, Action.BID_VIEW, bid)
    require(user, Action.BID_CHANGE, bid)
    with transaction.atomic():
        call = lock_call(bid.call_id)
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        if now() >= call.closes_at:
            raise Conflict(CLOSED_FOR_CHANGE.format(closes=_stamp(call.closes_at)))
        if locked.status == Bid.Status.WITHDRAWN:
            raise Conflict(ALREADY_WITHDRAWN)
        locked.status, locked.withdrawn_at = Bid.Status.WITHDRAWN, now()
        save(locked, user)
        return locked


def submission_problems(bid: Bid, call: Call) -> dict[str, list[str]]:
    """What a draft still lacks before it can be submitted (empty when complete)."""
    errors: dict[str, list[str]] = defaultdict(list)
    lot = bid.lot
    if bid.price <= 0:
        errors["price"].append("Give the bid's total price.")
    elif bid.price > lot.budget:
        errors["price"].append(
            f"The price (£{bid.price:,.2f}) is more than the lot's budget (£{lot.budget:,.2f})."
        )
    answered = set(bid.answers.exclude(text="").values_list("criterion_id", flat=True))
    for criterion in call.criteria.all():
        if criterion.pk not in answered:
            errors["answers"].append(f"Answer the criterion “{criterion.name}”.")
    given = set(bid.eligibility_answers.values_list("question_id", flat=True))
    for question in call.eligibility_questions.all():
        if question.pk not in given:
            errors["eligibility"].append(f"Answer the eligibility question “{question.text}”.")
    volumes: dict[int, Decimal] = defaultdict(Decimal)
    for measure_id, volume in bid.proposed_outcomes.values_list("measure_id", "volume"):
        volumes[measure_id] += volume
    tariffs = set(bid.rate_card.values_list("measure_id", flat=True))
    for link in lot.lot_measures.select_related("measure"):
        if volumes.get(link.measure_id, Decimal(0)) < max(link.minimum_volume, Decimal("0.01")):
            errors["outcomes"].append(
                f"Propose at least {link.minimum_volume.normalize():f} “{link.measure.name}” outcomes "
                f"over the service (you propose {volumes.get(link.measure_id, Decimal(0)).normalize():f})."
            )
        if (
            call.commissioning_model == Call.CommissioningModel.PAYMENT_BY_RESULTS
            and link.measure_id not in tariffs
        ):
            errors["rate_card"].append(f"Give a tariff for “{link.measure.name}”: payment is by results.")
    budget = sum(bid.budget_lines.values_list("amount", flat=True), Decimal(0))
    if budget != bid.price:
        errors["budget_lines"].append(
            f"The budget lines add up to £{budget:,.2f}; they must add up to the price, £{bid.price:,.2f}."
        )
    if not (bid.declaration_accurate and bid.declaration_no_collusion and bid.declaration_safeguarding):
        errors["declarations"].append("Make all three declarations before submitting.")
    return dict(errors)


def _replace(rows, user) -> None:
    for row in rows:
        delete(row, user)


def _replace_answers(bid: Bid, answers: dict[int, str], user, errors: dict) -> None:
    valid = set(bid.call.criteria.values_list("pk", flat=True))
    if bad := [str(c) for c in answers if c not in valid]:
        errors.setdefault("answers", []).append(f"No criterion of this call with id {', '.join(bad)}.")
        return
    _replace(bid.answers.all(), user)
    for criterion_id, text in answers.items():
        if (text or "").strip():
            save(BidAnswer(bid=bid, criterion_id=criterion_id, text=text.strip()), user)


def _replace_eligibility(bid: Bid, eligibility: dict[int, tuple[bool, str]], user, errors: dict) -> None:
    valid = set(bid.call.eligibility_questions.values_list("pk", flat=True))
    if bad := [str(q) for q in eligibility if q not in valid]:
        errors.setdefault("eligibility", []).append(
            f"No eligibility question of this call with id {', '.join(bad)}."
        )
        return
    _replace(bid.eligibility_answers.all(), user)
    for question_id, (meets, note) in eligibility.items():
        save(EligibilityAnswer(bid=bid, question_id=question_id, meets=bool(meets), note=note or ""), user)


def _replace_outcomes(bid: Bid, call: Call, outcomes, user, errors: dict) -> None:
    measures = set(bid.lot.lot_measures.values_list("measure_id", flat=True))
    seen = set()
    problems = []
    for measure_id, fy, quarter, volume in outcomes:
        try:
            period = Quarter.of(fy, quarter)
        except PeriodError as exc:
            problems.append(str(exc))
            continue
        if measure_id not in measures:
            problems.append(f"Measure {measure_id} is not one this lot asks bids to price.")
        if not period.overlaps(call.service_start, call.service_end):
            problems.append(
                f"{period} is outside the service "
                f"({short_date(call.service_start)} to {short_date(call.service_end)})."
            )
        if volume is None or volume < 0:
            problems.append(f"{period}: a volume cannot be negative.")
        if (measure_id, fy, quarter) in seen:
            problems.append(f"{period}: measure {measure_id} is given twice.")
        seen.add((measure_id, fy, quarter))
    if problems:
        errors.setdefault("outcomes", []).extend(problems)
        return
    _replace(bid.proposed_outcomes.all(), user)
    for measure_id, fy, quarter, volume in outcomes:
        save(
            ProposedOutcome(
                bid=bid, measure_id=measure_id, financial_year=fy, quarter=quarter, volume=volume
            ),
            user,
        )


def _replace_rate_card(bid: Bid, rate_card: dict[int, Decimal], user, errors: dict) -> None:
    measures = set(bid.lot.lot_measures.values_list("measure_id", flat=True))
    problems = [
        f"Measure {m} is not one this lot asks bids to price." for m in rate_card if m not in measures
    ]
    problems += [
        f"Measure {m}: a tariff cannot be negative." for m, t in rate_card.items() if t is None or t < 0
    ]
    if problems:
        errors.setdefault("rate_card", []).extend(problems)
        return
    _replace(bid.rate_card.all(), user)
    for measure_id, tariff in rate_card.items():
        save(RateCardLine(bid=bid, measure_id=measure_id, tariff=tariff), user)


def _replace_budget(bid: Bid, lines: dict[str, Decimal], user, errors: dict) -> None:
    problems = [f"“{c}” is not a budget category." for c in lines if c not in BudgetLine.Category.values]
    problems += [f"{c}: an amount cannot be negative." for c, a in lines.items() if a is None or a < 0]
    if problems:
        errors.setdefault("budget_lines", []).extend(problems)
        return
    _replace(bid.budget_lines.all(), user)
    for category, amount in lines.items():
        save(BudgetLine(bid=bid, category=category, amount=amount), user)


def _replace_social_value(bid: Bid, commitments, user, errors: dict) -> None:
    problems = []
    for measure, quantity, by_when in commitments:
        if not (measure or "").strip():
            problems.append("Say what each social value commitment is.")
        if quantity is None or quantity <= 0:
            problems.append(f"{measure}: the quantity must be more than 0.")
        if not isinstance(by_when, date):
            problems.append(f"{measure}: give the date it will be met by.")
    if problems:
        errors.setdefault("social_value", []).extend(problems)
        return
    _replace(bid.social_value.all(), user)
    for measure, quantity, by_when in commitments:
        save(
            SocialValueCommitment(bid=bid, measure=measure.strip(), quantity=quantity, by_when=by_when), user
        )
