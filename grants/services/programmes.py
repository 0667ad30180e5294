"""Writes for programmes, their priorities and their targets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction

from core.errors import Conflict, NotFound, ValidationFailed
from core.formatting import short_date
from grants.models import OutcomeReturn, Programme, ProgrammePriority, ProgrammeTarget
from grants.permissions import Action, require
from grants.services._common import check_within_dates, parse_quarter, save_with_history, validate
from grants.services.budgets import check_stream_capacity
from outcomes.models import OutcomeMeasure, Priority
from outcomes.periods import Quarter

# Refusals a person acts on (the web pages, the API and the admin show them as they are).
DATES_STRAND_RECORDS = (
    "The programme has {records} outside {start} to {end}; keep dates that cover them, or change those first."
)
TARGET_HAS_RETURNS = (
    "A return has been submitted against this target, so it cannot be deleted; change it instead."
)
TARGET_GONE = "That target no longer exists; it may have just been deleted."
PRIMARY_PRIORITY_REQUIRED = "Choose the one priority this programme mainly serves."


def programme_create(
    *,
    user,
    fields: dict,
    priority_ids: list[int],
    primary_priority_id: int,
    theme_ids: Iterable[int] = (),
    ward_ids: Iterable[int] = (),
) -> Programme:
    require(user, Action.PROGRAMME_CHANGE)
    with transaction.atomic():
        programme = Programme(**fields)
        _check_award(programme)
        validate(programme)
        save_with_history(programme, user)
        programme.themes.set(theme_ids)
        programme.wards.set(ward_ids)
        _set_priorities(programme, priority_ids, primary_priority_id, user)
        return programme


def programme_update(
    *,
    user,
    programme: Programme,
    fields: dict,
    priority_ids: list[int] | None = None,
    primary_priority_id: int | None = None,
    theme_ids=None,
    ward_ids=None,
) -> Programme:
    _require_change(user, programme)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        dates = (programme.start_date, programme.end_date)
        for name, value in fields.items():
            setattr(programme, name, value)
        if (programme.start_date, programme.end_date) != dates:
            _check_dates_cover_records(programme, moved_end=programme.end_date != dates[1])
        _check_award(programme)
        validate(programme)
        save_with_history(programme, user)
        if theme_ids is not None:
            programme.themes.set(theme_ids)
        if ward_ids is not None:
            programme.wards.set(ward_ids)
        if priority_ids is not None or primary_priority_id is not None:
            current = list(programme.programme_priorities.values_list("priority_id", "is_primary"))
            ids = priority_ids if priority_ids is not None else [pid for pid, _ in current]
            primary = primary_priority_id or next((pid for pid, is_p in current if is_p), None)
            _set_priorities(programme, ids, primary, user)
        return programme


def target_save(
    *,
    user,
    programme: Programme,
    measure: OutcomeMeasure,
    financial_year: str,
    quarter: int,
    target_value: Decimal,
    tariff: Decimal | None = None,
) -> tuple[ProgrammeTarget, bool]:
    """Create or change the target for one measure and quarter. Returns (target, created).
    The programme row is locked while its dates are checked, so a change of dates cannot slip in."""
    _require_change(user, programme)
    quarter_ = parse_quarter(financial_year, quarter)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        check_within_dates(quarter_, locked)
        target = ProgrammeTarget.objects.filter(
            programme=locked, measure=measure, financial_year=financial_year, quarter=quarter
        ).first() or ProgrammeTarget(
            programme=locked, measure=measure, financial_year=financial_year, quarter=quarter
        )
        created = target.pk is None
        target.target_value, target.tariff = target_value, tariff
        validate(target)
        save_with_history(target, user)
        return target, created


def target_delete(*, user, target: ProgrammeTarget) -> None:
    """Delete a target no return has been submitted against (409 if one has).

    The programme row is locked first: inserting a return for the programme takes a key-share
    lock on that row (its foreign key), so a return being submitted at this moment is waited
    for and then seen by the check, and a return submitted after the lock waits for the delete."""
    _require_change(user, target.programme)
    with transaction.atomic():
        Programme.objects.select_for_update().only("pk").get(pk=target.programme_id)
        locked = ProgrammeTarget.objects.select_for_update().filter(pk=target.pk).first()
        if locked is None:
            raise NotFound(TARGET_GONE)
        check_target_deletable(locked)
        locked._history_user = user
        locked.delete()


def check_target_deletable(target: ProgrammeTarget) -> None:
    """A target with a return against it is changed, never deleted. target_delete runs this under
    the programme's lock; the admin also runs it to show the refusal on its form."""
    if OutcomeReturn.objects.filter(
        programme_id=target.programme_id,
        measure_id=target.measure_id,
        financial_year=target.financial_year,
        quarter=target.quarter,
    ).exists():
        raise Conflict(TARGET_HAS_RETURNS)


def check_priorities(priority_ids: Iterable[int] | None, primary_id: int | None) -> list[int]:
    """The priorities a programme may be given: one primary, all existing. Returns their ids,
    primary first (the admin runs this to show the refusal on its form)."""
    if primary_id is None:
        raise ValidationFailed({"primary_priority": [PRIMARY_PRIORITY_REQUIRED]})
    ids = list(dict.fromkeys([primary_id, *(priority_ids or [])]))
    found = set(Priority.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if missing := [str(i) for i in ids if i not in found]:
        raise ValidationFailed({"priorities": [f"No priority with id {', '.join(missing)}."]})
    return ids


def _require_change(user, programme: Programme) -> None:
    require(user, Action.PROGRAMME_VIEW, programme)
    require(user, Action.PROGRAMME_CHANGE, programme)


def _set_priorities(programme: Programme, priority_ids: list[int], primary_id: int | None, user) -> None:
    ids = check_priorities(priority_ids, primary_id)
    for link in programme.programme_priorities.exclude(priority_id__in=ids):
        link._history_user = user
        link.delete()
    # Demote the old primary first: the database allows only one primary at a time.
    for link in programme.programme_priorities.filter(is_primary=True).exclude(priority_id=primary_id):
        link.is_primary = False
        save_with_history(link, user)
    existing = {link.priority_id: link for link in programme.programme_priorities.all()}
    for pid in ids:
        link = existing.get(pid) or ProgrammePriority(programme=programme, priority_id=pid)
        if link.pk is None or link.is_primary != (pid == primary_id):
            link.is_primary = pid == primary_id
            save_with_history(link, user)


def _check_award(programme: Programme) -> None:
    """An award may not take its funding stream's awards past the stream's budget."""
    check_stream_capacity(programme)


def records_outside_dates(programme: Programme, start: date, end: date) -> list[str]:
    """Which of the programme's targets, returns and payments would fall outside start..end."""
    outside = []
    for label, rows in (("targets", programme.targets), ("returns", programme.returns),
                        ("payments", programme.payments)):  # fmt: skip
        periods = rows.values_list("financial_year", "quarter").distinct()
        if any(not Quarter.of(fy, q).overlaps(start, end) for fy, q in periods):
            outside.append(label)
    return outside


def _check_dates_cover_records(programme: Programme, *, moved_end: bool) -> None:
    """New dates must still cover every quarter the programme has a target, return or payment in
    (checked on the locked programme row, which a return's insert also locks)."""
    if not isinstance(programme.start_date, date) or not isinstance(programme.end_date, date):
        return  # validate() reports unreadable dates
    if outside := records_outside_dates(programme, programme.start_date, programme.end_date):
        message = DATES_STRAND_RECORDS.format(
            records=" and ".join(outside),
            start=short_date(programme.start_date),
            end=short_date(programme.end_date),
        )
        raise ValidationFailed({"end_date" if moved_end else "start_date": [message]})
