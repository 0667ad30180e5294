"""Writes for review rounds: rounds and their rubric, scores, conflicts of interest, decisions."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.models import DEFAULT_CRITERIA, ConflictOfInterest, Criterion, Decision, ReviewRound, Score
from commissioning.permissions import Action, require
from commissioning.selectors import RoundProgress, has_conflict, round_programmes, round_progress
from core.errors import Conflict, NotPermitted, ValidationFailed
from grants.models import Programme
from outcomes.models import DeflatorSeries
from outcomes.periods import PeriodError, validate_financial_year

Status = ReviewRound.Status

# Refusals a person acts on; ROUND_CLOSED and ROUND_DRAFT name what cannot happen ({verb}).
ROUND_CLOSED = "This round is closed and read-only; nothing in it can be {verb}."
ROUND_DRAFT = "This round is still a draft; open it before anything is {verb}."
REOPEN_NEEDS_REASON = "Say why the round is reopened: the reason is kept in its history."
REOPEN_REASON_MAX = 90  # history keeps 100 characters of a change reason, "Reopened: " included
REOPEN_REASON_TOO_LONG = f"Give the reason in {REOPEN_REASON_MAX} characters or fewer."
UNKNOWN_SERIES = "Choose a GDP deflator series from those loaded (no series has that id)."
CLOSE_UNCONFIRMED = "round_close_unconfirmed"  # the code of the refusal to close without confirming
RUBRIC_DRAFT_ONLY = "The rubric can only change while the round is a draft."
CONFLICTED = "You declared a conflict of interest in this programme, so you cannot score it."
CONFLICTED_DECISION = (
    "You declared a conflict of interest in this programme, so you cannot record its decision; "
    "another commissioner without a conflict must record it."
)


def round_create(
    *,
    user,
    name: str,
    first_year: str,
    last_year: str,
    description: str = "",
    include_submitted: bool = False,
    stream_ids=(),
    priority_ids=(),
    criteria: list[tuple[str, str, int]] | None = None,
    price_year: str = "",
    deflator_series: DeflatorSeries | int | None = None,
) -> ReviewRound:
    """Create a draft round with its rubric (the five default criteria unless given). Its benefits
    are shown in `price_year`'s prices (blank: its first year), uprated with `deflator_series`
    (None: the newest loaded; an id is looked up)."""
    require(user, Action.ROUND_MANAGE)
    errors = {}
    checked = (("first_year", first_year), ("last_year", last_year))
    for field, value in checked:
        try:
            validate_financial_year(value)
        except PeriodError as exc:
            errors[field] = [str(exc)]
    price_year = (price_year or "").strip()
    deflator_series = _price_basis_errors(price_year, deflator_series, errors)
    if not errors and last_year < first_year:
        errors["last_year"] = ["The last year must not be before the first year."]
    if not name.strip():
        errors["name"] = ["Give the round a name."]
    criteria = criteria if criteria is not None else DEFAULT_CRITERIA
    _check_weights([w for _, _, w in criteria], errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        review_round = ReviewRound(
            name=name.strip(),
            description=description,
            first_year=first_year,
            last_year=last_year,
            include_submitted=include_submitted,
            price_year=price_year,
            deflator_series=deflator_series,
            created_by=user,
        )
        review_round._history_user = user
        try:
            review_round.save()
        except IntegrityError:
            raise ValidationFailed({"name": ["A review round with this name already exists."]}) from None
        review_round.funding_streams.set(stream_ids)
        review_round.priorities.set(priority_ids)
        _add_criteria(review_round, criteria, user)
        return review_round


def round_set_price_basis(
    *,
    user,
    review_round: ReviewRound,
    price_year: str = "",
    deflator_series: DeflatorSeries | int | None = None,
) -> ReviewRound:
    """Change the price year (blank: the first year) and deflator series (None: the newest loaded)
    a round's benefits are shown in. Any round but a closed one: its figures are the record."""
    _require_manage(user)
    errors: dict = {}
    price_year = (price_year or "").strip()
    series = _price_basis_errors(price_year, deflator_series, errors)
    with transaction.atomic():
        locked = _lock_round(review_round)
        if locked.status == Status.CLOSED:
            raise Conflict(ROUND_CLOSED.format(verb="changed"))
        if errors:
            raise ValidationFailed(errors)
        locked.price_year = price_year
        locked.deflator_series = series
        locked._history_user = user
        locked._change_reason = "Price basis changed"
        locked.save(update_fields=["price_year", "deflator_series"])
        return locked


def _price_basis_errors(
    price_year: str, series: DeflatorSeries | int | None, errors: dict
) -> DeflatorSeries | None:
    """Check a round's price year (a financial year the series has an index for) and look up its
    series by id; problems go into `errors`. Returns the series (None: the newest loaded)."""
    if series is not None and not isinstance(series, DeflatorSeries):
        found = DeflatorSeries.objects.filter(pk=series).first() if 0 < series < 2**31 else None
        if found is None:
            errors["deflator_series"] = [UNKNOWN_SERIES]
        series = found
    if not price_year:
        return series
    try:
        validate_financial_year(price_year)
    except PeriodError as exc:
        errors["price_year"] = [f"Price year: {exc}"]
        return series
    if "deflator_series" in errors:
        return series
    chosen = series or DeflatorSeries.objects.order_by("-loaded_at", "-id").first()
    if chosen is None:
        return series
    years = sorted(chosen.years.values_list("financial_year", flat=True))
    if years and price_year not in years:
        errors["price_year"] = [
            f'The deflator series "{chosen}" has no index for {price_year}: '
            f"choose a price year from {years[0]} to {years[-1]}."
        ]
    return series


def round_set_criteria(*, user, review_round: ReviewRound, criteria: list[tuple[str, str, int]]) -> None:
    """Replace the rubric of a draft round (scores are tied to criteria, so only before opening).
    The round row is locked while its status is checked, so it cannot open half-way through."""
    _require_manage(user)
    errors: dict = {}
    _check_weights([w for _, _, w in criteria], errors)
    if len({c[0] for c in criteria}) != len(criteria):
        errors.setdefault("criteria", []).append("Each criterion needs a different name.")
    with transaction.atomic():
        locked = _lock_round(review_round)
        if locked.status != Status.DRAFT:
            raise Conflict(RUBRIC_DRAFT_ONLY)
        if errors:
            raise ValidationFailed(errors)
        for old in locked.criteria.all():
            old._history_user = user
            old.delete()
        _add_criteria(locked, criteria, user)


def round_transition(
    *, user, review_round: ReviewRound, to: str, confirmed: bool = False, reason: str = ""
) -> ReviewRound:
    """draft → open → closed; a closed round is read-only, unless an admin reopens it (closed →
    open) with a reason, which its history keeps. Closing a round with programmes still unscored
    or without a decision needs `confirmed`: the refusal carries the counts (checked under the
    round's lock, which scoring and deciding take too, so the counts are the ones that hold)."""
    reopening = to == Status.OPEN and review_round.status == Status.CLOSED
    require(user, Action.ROUND_REOPEN if reopening else Action.ROUND_MANAGE)
    allowed = {Status.DRAFT: {Status.OPEN}, Status.OPEN: {Status.CLOSED}, Status.CLOSED: {Status.OPEN}}
    with transaction.atomic():
        locked = _lock_round(review_round)
        if to not in allowed.get(locked.status, set()):
            raise Conflict(f"A {locked.get_status_display().lower()} round cannot move to {to}.")
        if locked.status == Status.CLOSED:
            require(user, Action.ROUND_REOPEN)  # it may have closed since the caller read it
            reason = (reason or "").strip()
            if not reason:
                raise ValidationFailed({"reason": [REOPEN_NEEDS_REASON]})
            if len(reason) > REOPEN_REASON_MAX:
                raise ValidationFailed({"reason": [REOPEN_REASON_TOO_LONG]})
            locked._change_reason = f"Reopened: {reason}"
        if to == Status.OPEN and locked.status == Status.DRAFT:
            errors: dict = {}
            _check_weights(list(locked.criteria.values_list("weight", flat=True)), errors)
            if errors:
                raise ValidationFailed(errors)
        if to == Status.CLOSED:
            progress = round_progress(locked)
            if not progress.complete and not confirmed:
                raise Conflict(
                    close_warning(progress),
                    code=CLOSE_UNCONFIRMED,
                    programmes=progress.programmes,
                    unscored=progress.unscored,
                    undecided=progress.undecided,
                )
        locked.status = to
        locked._history_user = user
        locked.save()
        return locked


def close_warning(progress: RoundProgress) -> str:
    """What closing would leave undone, e.g. "17 of 25 programmes are unscored and 21 have no
    decision; once closed, nothing in the round can be changed." """
    parts = []
    if progress.unscored:
        verb = "is" if progress.unscored == 1 else "are"
        parts.append(f"{progress.unscored} of {progress.programmes} programmes {verb} unscored")
    if progress.undecided:
        verb = "has" if progress.undecided == 1 else "have"
        of = "" if progress.unscored else f" of {progress.programmes} programmes"
        parts.append(f"{progress.undecided}{of} {verb} no decision")
    if not parts:
        return "Every programme is scored and decided; once closed, nothing in the round can be changed."
    return f"{' and '.join(parts)}; once closed, nothing in the round can be changed."


def score_record(
    *, user, review_round: ReviewRound, programme: Programme, criterion: Criterion, score: int, rationale: str
) -> Score:
    """Record (or change) this commissioner's score of a programme on a criterion. The round row
    is locked while it is checked as open and for a conflict of interest: closing the round and
    declaring a conflict lock it too, so neither can slip in between the check and the save."""
    require(user, Action.ROUND_SCORE, review_round)
    with transaction.atomic():
        locked = _lock_round(review_round)
        _require_open(locked, "scored")
        rationale = (rationale or "").strip()
        errors = {}
        if not isinstance(score, int) or not 0 <= score <= 5:
            errors["score"] = ["A score is a whole number from 0 to 5."]
        if not rationale:
            errors["rationale"] = ["Give the reason for this score: it is what the decision rests on."]
        if criterion.review_round_id != locked.pk:
            errors["criterion"] = ["That criterion belongs to another round."]
        if not round_programmes(locked).filter(pk=programme.pk).exists():
            errors["programme"] = ["That programme is not part of this round."]
        if errors:
            raise ValidationFailed(errors)
        if has_conflict(locked, programme, user):
            raise NotPermitted(CONFLICTED)
        existing = (
            Score.objects.select_for_update()
            .filter(review_round=locked, programme=programme, criterion=criterion, commissioner=user)
            .first()
        )
        record = existing or Score(
            review_round=locked, programme=programme, criterion=criterion, commissioner=user
        )
        record.score, record.rationale = score, rationale
        record._history_user = user
        record.save()
        return record


def conflict_declare(
    *, user, review_round: ReviewRound, programme: Programme, description: str
) -> ConflictOfInterest:
    """Declare a conflict of interest; the commissioner's scores of that programme are withdrawn.
    Under the round's lock, as score_record checks for conflicts under it."""
    require(user, Action.ROUND_SCORE, review_round)
    with transaction.atomic():
        locked = _lock_round(review_round)
        _require_open(locked, "changed", allow_draft=True)
        if not (description or "").strip():
            raise ValidationFailed(
                {"description": ["Say what the conflict is (e.g. a trustee of the provider)."]}
            )
        conflict = ConflictOfInterest.objects.filter(
            review_round=locked, programme=programme, commissioner=user
        ).first()
        if conflict is None:  # the round's lock makes a second declaration wait and find this one
            conflict = ConflictOfInterest(
                review_round=locked, programme=programme, commissioner=user, description=description.strip()
            )
            conflict._history_user = user
            conflict.save()
        for withdrawn in Score.objects.filter(review_round=locked, programme=programme, commissioner=user):
            withdrawn._history_user = user
            withdrawn.delete()
        return conflict


def decision_record(
    *,
    user,
    review_round: ReviewRound,
    programme: Programme,
    outcome: str,
    rationale: str,
    conditions: str = "",
) -> Decision:
    """Record (or revise) the round's decision on a programme. Checked under the round's lock: the
    round is open and the commissioner has declared no conflict of interest in the programme."""
    _require_manage(user)
    with transaction.atomic():
        locked = _lock_round(review_round)
        _require_open(locked, "decided")
        errors = {}
        if outcome not in Decision.Outcome.values:
            errors["outcome"] = [f"Choose one of: {', '.join(Decision.Outcome.values)}."]
        if not (rationale or "").strip():
            errors["rationale"] = ["Give the rationale for the decision."]
        if outcome == Decision.Outcome.CONDITIONS and not (conditions or "").strip():
            errors["conditions"] = ["State the conditions the programme must meet."]
        if not round_programmes(locked).filter(pk=programme.pk).exists():
            errors["programme"] = ["That programme is not part of this round."]
        if errors:
            raise ValidationFailed(errors)
        if has_conflict(locked, programme, user):  # under the round's lock, as conflict_declare takes it
            raise NotPermitted(CONFLICTED_DECISION)
        decision = (
            Decision.objects.select_for_update().filter(review_round=locked, programme=programme).first()
        )
        decision = decision or Decision(review_round=locked, programme=programme)
        decision.outcome, decision.rationale, decision.conditions = (
            outcome,
            rationale.strip(),
            conditions.strip(),
        )
        decision.decided_by, decision.decided_at = user, timezone.now()
        decision._history_user = user
        decision.save()
        return decision


def _add_criteria(review_round: ReviewRound, criteria: list[tuple[str, str, int]], user) -> None:
    for order, (name, description, weight) in enumerate(criteria):
        criterion = Criterion(
            review_round=review_round, name=name, description=description, weight=weight, order=order
        )
        criterion._history_user = user
        criterion.save()


def _check_weights(weights: list[int], errors: dict) -> None:
    if not weights:
        errors.setdefault("criteria", []).append("A rubric needs at least one criterion.")
    elif any(w < 0 or w > 100 for w in weights):
        errors.setdefault("criteria", []).append("Each weight is a percentage from 0 to 100.")
    elif sum(weights) != 100:
        errors.setdefault("criteria", []).append(
            f"The weights must add up to 100; they add up to {sum(weights)}."
        )


def _require_manage(user) -> None:
    require(user, Action.ROUND_MANAGE)


def _lock_round(review_round: ReviewRound) -> ReviewRound:
    """The round's row, locked until the transaction ends: status checks are made on this."""
    return ReviewRound.objects.select_for_update().get(pk=review_round.pk)


def _require_open(review_round: ReviewRound, verb: str, allow_draft: bool = False) -> None:
    if review_round.status == Status.CLOSED:
        raise Conflict(ROUND_CLOSED.format(verb=verb))
    if review_round.status == Status.DRAFT and not allow_draft:
        raise Conflict(ROUND_DRAFT.format(verb=verb))
