"""Writes for outcome returns: submit (one or many), amend, verify, query; their history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Sum, Value
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import clock
from core.db.compiled import CompiledQuery, instance
from core.db.history import insert_with_history
from core.errors import Conflict, DomainError, NotFound, NotPermitted, ValidationFailed
from core.formatting import gbp
from grants.models import OutcomeReturn, Payment, Programme, ProgrammeTarget
from grants.permissions import PROGRAMME_NOT_VISIBLE, Action, has_permission, require
from grants.selectors import programmes_visible_to
from grants.services._common import check_within_dates, parse_quarter, save_with_history
from outcomes.models import OutcomeMeasure
from outcomes.periods import Quarter

MAX_BULK_RETURNS = 5000

# A second return for the same slot. The message names no channel: the API adds "amend it with
# PATCH /api/returns/{id}/ instead", the web form a link to the return's edit page (by the code).
RETURN_EXISTS = "return_exists"
RETURN_EXISTS_MESSAGE = "A return for this programme, measure and quarter already exists (id {existing_id})."

# A value far above the quarter's target (the measure's high value factor) is refused unless the
# provider confirms it: the web form's "confirm high value" box, the API's `confirm_high_value`,
# the upload's "Confirm high value" column. The message names no channel.
HIGH_VALUE = "high_value"
HIGH_VALUE_MESSAGE = (
    '{value} is more than {factor}× this quarter\'s target of {target} for "{measure}". '
    "Check the figure; if it is right, confirm the high value and send it again."
)
WHOLE_NUMBER_MESSAGE = '"{measure}" is a count of {unit}: give a whole number, not {value}.'


Status = OutcomeReturn.Status


@dataclass(frozen=True)
class ReturnInput:
    """One return as submitted: already parsed into the right types by a form or serializer."""

    programme_id: int
    measure_id: int
    financial_year: str
    quarter: int
    value: Decimal
    spend: Decimal | None = None
    notes: str = ""
    confirm_high_value: bool = False


def return_submit(*, user, data: ReturnInput, today: date | None = None) -> OutcomeReturn:
    """Submit one return. 404 if the programme is not visible, 409 if one already exists."""
    [created] = returns_bulk_submit(user=user, items=[data], today=today, single=True)
    return created


def returns_bulk_submit(
    *,
    user,
    items: list[ReturnInput | None],
    input_errors: dict[int, dict[str, list[str]]] | None = None,
    today: date | None = None,
    single: bool = False,
) -> list[OutcomeReturn]:
    """Submit many returns, all or nothing. Errors are reported per item index (400), unless
    `single`, where the one item's error is raised as it is (404, 403, 409 or 400).

    `input_errors` carries items that could not even be parsed (their place in `items` is None),
    so that the provider gets every error of the batch in one answer. The refusal's `errors`
    maps each index to those field errors or to the item's own domain error, which the caller
    words for its channel (core.errors.field_errors for the plain message)."""
    if len(items) > MAX_BULK_RETURNS:
        raise ValidationFailed(
            f"Send at most {MAX_BULK_RETURNS:,} returns at once; this request had {len(items):,}."
        )
    if not items:
        raise ValidationFailed("Send at least one return.")
    today = today or clock.today()
    parsed = [item for item in items if item is not None]
    context = (single and _ReturnContext.load_one(user, parsed[0])) or _ReturnContext.load(
        user, parsed, check_existing=not single
    )
    errors: dict[int, dict[str, list[str]] | DomainError] = dict(input_errors or {})
    seen: dict[tuple, int] = {}
    for index, item in enumerate(items):
        if item is None:
            continue
        try:
            _check_return(user, item, context, today)
            key = _key(item)
            if key in seen:
                raise ValidationFailed(
                    {
                        "non_field_errors": [
                            f"Duplicates item {seen[key]} (same programme, measure and quarter)."
                        ]
                    }
                )
            seen[key] = index
        except (ValidationFailed, Conflict, NotFound, NotPermitted) as exc:
            if single:
                raise
            errors[index] = exc  # each channel words it (core.errors.field_errors, the API's hints)
    if errors:
        raise ValidationFailed(
            {"non_field_errors": [f"{len(errors)} of {len(items)} returns have errors; nothing was saved."]},
            errors={str(i): e for i, e in sorted(errors.items())},
        )
    now = timezone.now()
    window = timedelta(days=settings.YARDSTICK["RETURN_WINDOW_DAYS"])
    rows = [
        OutcomeReturn(
            programme_id=item.programme_id,
            measure_id=item.measure_id,
            financial_year=item.financial_year,
            quarter=item.quarter,
            value=item.value,
            spend=item.spend,
            notes=item.notes,
            status=Status.SUBMITTED,
            revision=1,
            submitted_by=user,
            submitted_at=now,
            is_late=today > Quarter.of(item.financial_year, item.quarter).end + window,
            high_value_confirmed=context.measures[item.measure_id].is_far_above(
                item.value, context.targets.get(_key(item))
            ),
        )
        for item in parsed
    ]
    for row in rows:  # what the far-above-target flag reads, known already: no query to show it
        row.measure = context.measures[row.measure_id]
        row.quarter_target = context.targets.get(
            (row.programme_id, row.measure_id, row.financial_year, row.quarter)
        )
    try:
        if single:
            insert_with_history(rows[0], user=user)  # one statement, atomic by itself
            return rows
        with transaction.atomic():
            return bulk_create_with_history(rows, OutcomeReturn, default_user=user, batch_size=1000)
    except IntegrityError:
        # Lost a race with an identical submission: report it exactly as a duplicate.
        existing = _existing_returns([_key(i) for i in parsed])
        if existing:
            key, pk = next(iter(existing.items()))
            raise _duplicate(pk) from None
        raise


def return_amend(
    *,
    user,
    outcome_return: OutcomeReturn,
    value: Decimal | None = None,
    spend: Decimal | None = None,
    notes: str | None = None,
    clear_spend: bool = False,
    confirm_high_value: bool = False,
) -> OutcomeReturn:
    """Amend a submitted or queried return: a new revision; a verified return is locked (409)."""
    with transaction.atomic():
        locked = _lock(user, outcome_return)
        require(user, Action.RETURN_SUBMIT, locked.programme)
        if locked.status == Status.VERIFIED:
            raise Conflict(
                f"This return was verified on {timezone.localtime(locked.reviewed_at):%d %B %Y} and is "
                "locked. Ask the commissioner to reopen it if the figure is wrong.",
                id=locked.pk,
            )
        changes = {
            "value": locked.value if value is None else value,
            "spend": None if clear_spend else (locked.spend if spend is None else spend),
        }
        _check_amounts(changes["value"], changes["spend"], locked.measure)
        target = _quarter_target(locked)
        if changes["value"] != locked.value:
            _check_high_value(changes["value"], target, locked.measure, confirmed=confirm_high_value)
            locked.high_value_confirmed = locked.measure.is_far_above(changes["value"], target)
        locked.value, locked.spend = changes["value"], changes["spend"]
        if notes is not None:
            locked.notes = notes
        locked.revision += 1
        locked.status = Status.SUBMITTED
        locked.submitted_by, locked.submitted_at = user, timezone.now()
        save_with_history(locked, user)
        return locked


def return_verify(*, user, outcome_return: OutcomeReturn) -> OutcomeReturn:
    """A commissioner accepts a submitted return; it is then locked."""
    with transaction.atomic():
        locked = _lock(user, outcome_return)
        require(user, Action.RETURN_REVIEW, locked)
        if locked.status != Status.SUBMITTED:
            raise Conflict(
                f"Only a submitted return can be verified; this one is {locked.status}.", id=locked.pk
            )
        locked.status = Status.VERIFIED
        locked.reviewed_by, locked.reviewed_at, locked.query_reason = user, timezone.now(), ""
        save_with_history(locked, user)
        return locked


def return_query(*, user, outcome_return: OutcomeReturn, reason: str) -> OutcomeReturn:
    """A commissioner sends a submitted return back to the provider with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say what the provider needs to check or correct."]})
    with transaction.atomic():
        locked = _lock(user, outcome_return)
        require(user, Action.RETURN_REVIEW, locked)
        if locked.status != Status.SUBMITTED:
            raise Conflict(
                f"Only a submitted return can be queried; this one is {locked.status}.", id=locked.pk
            )
        locked.status = Status.QUERIED
        locked.reviewed_by, locked.reviewed_at, locked.query_reason = user, timezone.now(), reason
        save_with_history(locked, user)
        return locked


REOPEN_REASON_MAX = 2000
REOPENED = "Reopened"  # the history record's change reason; the reason itself is the query reason


def return_reopen(*, user, outcome_return: OutcomeReturn, reason: str) -> OutcomeReturn:
    """A commissioner reopens a verified return, with a reason: it is then submitted again (back
    in the verification queue) and the provider may amend it. The history record says
    "Reopened", by whom and when; the reason is kept as the return's query reason (also in history)
    until it is verified again.

    Refused while money paid for its quarter rests on it (a payment-by-results programme with
    payments for that quarter): reverse those first. Checked under the programme's lock, which
    recording a payment takes too."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say why the return is being reopened."]})
    if len(reason) > REOPEN_REASON_MAX:
        raise ValidationFailed({"reason": [f"Keep the reason to {REOPEN_REASON_MAX:,} characters."]})
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=outcome_return.programme_id).first()
        locked = _lock(user, outcome_return)
        require(user, Action.RETURN_REVIEW, locked)
        if locked.status != Status.VERIFIED:
            raise Conflict(
                f"Only a verified return can be reopened; this one is {locked.status}.", id=locked.pk
            )
        paid = _paid_for_quarter(locked)
        if paid > 0:
            raise Conflict(
                f"{gbp(paid, pence=True)} has been paid for {locked.financial_year} Q{locked.quarter} on "
                "the strength of its verified returns; reverse the payment first, then reopen the return.",
                id=locked.pk,
            )
        locked.status = Status.SUBMITTED
        locked.reviewed_by, locked.reviewed_at, locked.query_reason = user, timezone.now(), reason
        locked._change_reason = REOPENED
        save_with_history(locked, user)
        return locked


def _paid_for_quarter(outcome_return: OutcomeReturn) -> Decimal:
    if outcome_return.programme.commissioning_model != Programme.Model.PAYMENT_BY_RESULTS:
        return Decimal("0")
    total = Payment.objects.filter(
        programme_id=outcome_return.programme_id,
        financial_year=outcome_return.financial_year,
        quarter=outcome_return.quarter,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def return_history(outcome_return: OutcomeReturn) -> list[dict]:
    """Every recorded revision, oldest first, with who, when and what changed."""
    fields = ["value", "spend", "notes", "status", "revision", "query_reason", "is_late"]
    records = list(
        outcome_return.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries, previous = [], None
    for record in records:
        changes = {
            f: {"from": _plain(getattr(previous, f, None)), "to": _plain(getattr(record, f))}
            for f in fields
            if previous is None or getattr(previous, f) != getattr(record, f)
        }
        entries.append(
            {
                "revision": record.revision,
                "status": record.status,
                "value": _plain(record.value),
                "spend": _plain(record.spend),
                "changed_by": record.history_user.get_username() if record.history_user else None,
                "changed_at": record.history_date,
                "action": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = record
    return entries


@dataclass
class _ReturnContext:
    """Everything the checks need, loaded with one query per table whatever the batch size."""

    programmes: dict[int, Programme]
    measures: dict[int, OutcomeMeasure]
    targeted: set[tuple[int, int]]
    existing: dict[tuple, int]
    targets: dict[tuple, Decimal]  # (programme, measure, year, quarter) -> that quarter's target

    @classmethod
    def load(cls, user, items: list[ReturnInput], *, check_existing: bool = True) -> _ReturnContext:
        programme_ids = {i.programme_id for i in items}
        measure_ids = {i.measure_id for i in items}
        programmes = {p.pk: p for p in programmes_visible_to(user).filter(pk__in=programme_ids)}
        measures = {m.pk: m for m in OutcomeMeasure.objects.filter(pk__in=measure_ids)}
        rows = (
            ProgrammeTarget.objects.filter(programme_id__in=programmes, measure_id__in=measure_ids)
            .order_by()
            .values_list("programme_id", "measure_id", "financial_year", "quarter", "target_value")
        )
        targets = {row[:4]: row[4] for row in rows}
        targeted = {key[:2] for key in targets}
        # A single submission skips the look-up: the unique constraint catches a duplicate anyway.
        existing = _existing_returns([_key(i) for i in items]) if check_existing else {}
        return cls(programmes, measures, targeted, existing, targets)

    @classmethod
    def load_one(cls, user, item: ReturnInput) -> _ReturnContext | None:
        """The common case of one well-formed return for a quarter with a target, in one query;
        None sends the caller to load(), whose separate look-ups say precisely what is wrong
        (or that the quarter has no target)."""
        if not isinstance(item.financial_year, str) or not isinstance(item.quarter, int):
            return None
        row = _TARGETED_PROGRAMME.fetchone(
            programme_id=item.programme_id,
            measure_id=item.measure_id,
            financial_year=item.financial_year,
            quarter=item.quarter,
        )
        if row is None:
            return None
        split, end = len(_PROGRAMME_FIELDS), len(_PROGRAMME_FIELDS) + len(_MEASURE_FIELDS)
        programme = instance(Programme, "default", _PROGRAMME_FIELDS, row[:split])
        measure = instance(OutcomeMeasure, "default", _MEASURE_FIELDS, row[split:end])
        target = row[end]
        # Visibility is checked on the row (the user's access is loaded anyway for the permission
        # check) rather than with a sub-query: that keeps the common case cheap.
        if not has_permission(Action.PROGRAMME_VIEW, user, programme).allowed:
            return None
        return cls(
            {programme.pk: programme},
            {measure.pk: measure},
            {(programme.pk, measure.pk)},
            {},
            {_key(item): target},
        )


# What the checks of a single return read, compiled once (core.db.compiled): every POST runs it.
_PROGRAMME_FIELDS = ["id", "provider_id", "reference", "start_date", "end_date"]


_MEASURE_FIELDS = ["id", "name", "unit", "allows_negative", "kind", "high_value_factor"]


_TARGETED_PROGRAMME = CompiledQuery(
    lambda programme_id, measure_id, financial_year, quarter: (
        ProgrammeTarget.objects.filter(
            programme_id=programme_id,
            measure_id=measure_id,
            financial_year=financial_year,
            # An expression, so that the marker is not refused as out of the quarter's range.
            quarter=Value(quarter, output_field=IntegerField()),
        )
        .order_by()
        .values_list(
            *(f"programme__{f}" for f in _PROGRAMME_FIELDS),
            *(f"measure__{f}" for f in _MEASURE_FIELDS),
            "target_value",
        )[:1]
    ),
    programme_id=int,
    measure_id=int,
    financial_year=str,
    quarter=int,
)


def _existing_returns(keys: list[tuple]) -> dict[tuple, int]:
    if not keys:
        return {}
    rows = OutcomeReturn.objects.filter(
        programme_id__in={k[0] for k in keys},
        measure_id__in={k[1] for k in keys},
        financial_year__in={k[2] for k in keys},
    ).values_list("programme_id", "measure_id", "financial_year", "quarter", "pk")
    wanted = set(keys)
    return {row[:4]: row[4] for row in rows if row[:4] in wanted}


def _check_return(user, item: ReturnInput, ctx: _ReturnContext, today: date) -> None:
    programme = ctx.programmes.get(item.programme_id)
    if programme is None:
        raise NotFound(PROGRAMME_NOT_VISIBLE, field="programme")
    require(user, Action.RETURN_SUBMIT, programme)
    measure = ctx.measures.get(item.measure_id)
    if measure is None:
        raise ValidationFailed({"measure": [f"There is no outcome measure with id {item.measure_id}."]})
    if (programme.pk, measure.pk) not in ctx.targeted:
        message = f'"{measure.name}" is not one of this programme\'s measures (it has no target for it).'
        raise ValidationFailed({"measure": [message]})
    quarter = parse_quarter(item.financial_year, item.quarter)
    check_within_dates(quarter, programme)
    if quarter.start > today:
        message = (
            f"{quarter} has not started yet (it starts on {quarter.start:%d %B %Y}); send its return then."
        )
        raise ValidationFailed({"quarter": [message]})
    _check_amounts(item.value, item.spend, measure)
    _check_high_value(item.value, ctx.targets.get(_key(item)), measure, confirmed=item.confirm_high_value)
    existing = ctx.existing.get(_key(item))
    if existing is not None:
        raise _duplicate(existing)


def _check_amounts(value: Decimal, spend: Decimal | None, measure: OutcomeMeasure) -> None:
    errors = {}
    if value < 0 and not measure.allows_negative:
        errors["value"] = [f'"{measure.name}" cannot be negative; send 0 if nothing was achieved.']
    elif measure.whole_numbers_only and Decimal(value) % 1 != 0:
        errors["value"] = [
            WHOLE_NUMBER_MESSAGE.format(measure=measure.name, unit=measure.unit, value=_number(value))
        ]
    if spend is not None and spend < 0:
        errors["spend"] = ["Spend cannot be negative."]
    if errors:
        raise ValidationFailed(errors)


def _check_high_value(
    value: Decimal, target: Decimal | None, measure: OutcomeMeasure, *, confirmed: bool
) -> None:
    """A value far above the quarter's target needs the provider's confirmation."""
    if confirmed or not measure.is_far_above(value, target):
        return
    message = HIGH_VALUE_MESSAGE.format(
        value=_number(value),
        factor=_number(Decimal(str(measure.high_value_factor))),
        target=_number(Decimal(str(target))),
        measure=measure.name,
    )
    raise ValidationFailed({"value": [message]}, code=HIGH_VALUE)


def _quarter_target(outcome_return: OutcomeReturn) -> Decimal | None:
    return (
        ProgrammeTarget.objects.filter(
            programme_id=outcome_return.programme_id,
            measure_id=outcome_return.measure_id,
            financial_year=outcome_return.financial_year,
            quarter=outcome_return.quarter,
        )
        .values_list("target_value", flat=True)
        .first()
    )


def _number(value: Decimal) -> str:
    """1,234 or 1,234.5: as a person writes it, without trailing zeros."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _duplicate(existing_id: int) -> Conflict:
    # No `field`: the duplicate is of the programme, measure, year and quarter together.
    return Conflict(
        RETURN_EXISTS_MESSAGE.format(existing_id=existing_id), code=RETURN_EXISTS, existing_id=existing_id
    )


def _key(item: ReturnInput) -> tuple:
    return (item.programme_id, item.measure_id, item.financial_year, item.quarter)


def _lock(user, outcome_return: OutcomeReturn) -> OutcomeReturn:
    locked = (
        OutcomeReturn.objects.select_for_update()
        .select_related("programme", "measure")
        .get(pk=outcome_return.pk)
    )
    require(user, Action.RETURN_VIEW, locked)
    return locked


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value
