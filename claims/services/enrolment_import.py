"""Enrol many participants from a spreadsheet (.xlsx or .csv): every row checked by the same
service as one enrolment (participant_enrol, so the same pseudonymisation), all or nothing, with
each row's problems by its row number. No identifier is ever put in a message."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.conf import settings
from django.db import transaction

from claims.models import Enrolment
from claims.services.participants import EnrolmentInput, participant_enrol
from core.errors import Conflict, DomainError, NotFound, NotPermitted, ValidationFailed
from core.files.uploads import MAX_ROWS, read_limited, xlsx_rows
from grants.selectors import programme_get_visible

COLUMNS = ("start_date", "ni_number", "date_of_birth", "surname", "forename")
REQUIRED = ("start_date",)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def enrolments_import(*, user, programme_id: int, upload) -> list[Enrolment]:
    """Enrol every row of the file on the programme, or none: ValidationFailed with
    extra["rows"] = {row number: {field: [messages]}} if any row has a problem."""
    programme = programme_get_visible(user=user, pk=programme_id)
    data = read_limited(upload, settings.YARDSTICK["MAX_UPLOAD_BYTES"])
    name = (getattr(upload, "name", "") or "").lower()
    rows = list(_csv_rows(data) if name.endswith(".csv") else _xlsx(data))
    items, errors = _parse(rows)
    if not items and not errors:
        raise ValidationFailed({"file": ["The file has a header row but no participants."]})
    saved: list[Enrolment] = []
    with transaction.atomic():
        for number, item in items:
            try:
                saved.append(participant_enrol(user=user, data=_input(programme.pk, item)))
            except (NotFound, NotPermitted):
                raise
            except (ValidationFailed, Conflict) as exc:
                errors[number] = exc.as_field_errors()
            except DomainError as exc:
                errors[number] = {"non_field_errors": [exc.message]}
        if errors:
            transaction.set_rollback(True)
            count = len(errors)
            raise ValidationFailed(
                {"file": [f"{count} row{'s' if count != 1 else ''} need fixing; nobody was enrolled."]},
                rows={n: errors[n] for n in sorted(errors)},
            )
    return saved


def _xlsx(data: bytes):
    yield from xlsx_rows(data, max_rows=MAX_ROWS)


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed({"file": [f"The CSV file is not UTF-8 text (byte {exc.start:,})."]}) from exc
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if number > MAX_ROWS + 1:
            raise ValidationFailed({"file": [f"The file has more than {MAX_ROWS:,} rows; split it up."]})
        yield number, cells


def _parse(rows: list[tuple[int, list]]) -> tuple[list[tuple[int, dict]], dict[int, dict[str, list[str]]]]:
    if not rows:
        raise ValidationFailed({"file": ["The file is empty."]})
    header = [_heading(cell) for cell in rows[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing or not any(c in header for c in COLUMNS[1:]):
        raise ValidationFailed(
            {
                "file": [
                    f"The first row must name the columns: {', '.join(COLUMNS)} (start_date and either "
                    "ni_number, or date_of_birth, surname and forename)."
                ]
            }  # fmt: skip
        )
    # Named by position, never by their text: a file without its header row would otherwise
    # have an identifier read back in the message.
    unknown = [str(i + 1) for i, h in enumerate(header) if h and h not in COLUMNS]
    if unknown:
        message = (
            f"The first row has columns Yardstick does not know (number {', '.join(unknown)}); "
            f"use only {', '.join(COLUMNS)}."
        )
        raise ValidationFailed({"file": [message]})
    items: list[tuple[int, dict]] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for number, cells in rows[1:]:
        values = {h: cells[i] if i < len(cells) else None for i, h in enumerate(header) if h}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue  # a blank row
        row_errors: dict[str, list[str]] = {}
        item: dict = {}
        for field in ("start_date", "date_of_birth"):
            raw = values.get(field)
            if raw is None or str(raw).strip() == "":
                if field in REQUIRED:
                    row_errors[field] = ["Give the start date."]
                item[field] = None
                continue
            parsed = _date(raw)
            if parsed is None:
                row_errors[field] = ["Write the date as 2010-04-06 or 06/04/2010."]
            item[field] = parsed
        for field in ("ni_number", "surname", "forename"):
            raw = values.get(field)
            item[field] = "" if raw is None else str(raw).strip()
        if row_errors:
            errors[number] = row_errors
        else:
            items.append((number, item))
    return items, errors


def _heading(cell) -> str:
    return "" if cell is None else str(cell).strip().lower().replace(" ", "_")


def _date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time of day)
        except ValueError:
            continue
    return None


def _input(programme_id: int, item: dict) -> EnrolmentInput:
    return EnrolmentInput(
        programme_id=programme_id,
        start_date=item["start_date"],
        ni_number=item["ni_number"],
        date_of_birth=item["date_of_birth"],
        surname=item["surname"],
        forename=item["forename"],
    )
