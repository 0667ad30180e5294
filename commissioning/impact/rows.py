"""Reading people's rows from an upload (CSV or .xlsx) or the API: one identifier, the covariates
at start and the outcome, each checked, with every problem kept by row number. The identifier is
normalised here and pseudonymised by the service; it is never stored.

Columns (a header row, any order, case and spaces ignored):
    ni_number                                    or   date_of_birth, surname, forename
    participant_reference (cohort only, instead of an identifier: P-XXXXXXXX)
    age, gender, prior_offences, days_since_last_offence, offence_group, employed, outcome
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from claims import pseudonyms
from commissioning.impact.estimates import OutcomeKind
from commissioning.impact.models import MAX_OUTCOME_DAYS, Gender, OffenceGroup
from core.errors import ValidationFailed
from core.files.uploads import xlsx_rows

MAX_POOL_ROWS = 250_000
MAX_UPLOAD_BYTES = 40 * 1024 * 1024
MAX_REPORTED_ERRORS = 200
TRUE = {"1", "yes", "y", "true", "employed"}
FALSE = {"0", "no", "n", "false", "not employed", "unemployed"}
COVARIATE_COLUMNS = (
    "age",
    "gender",
    "prior_offences",
    "days_since_last_offence",
    "offence_group",
    "employed",
)
IDENTIFIER_COLUMNS = ("ni_number", "date_of_birth", "surname", "forename", "participant_reference")


@dataclass(frozen=True)
class PersonRow:
    number: int  # the row's number in the file (the header is row 1), or its index in the API
    identifier: str  # normalised ("NI:..." or "PERSON:..."), or "" when a reference is given
    reference: str  # a participant reference (cohort only), or ""
    age: int
    gender: str
    prior_offences: int
    days_since_last_offence: int
    offence_group: str
    employed: bool
    outcome: Decimal | None

    def covariates(self) -> dict:
        return {name: getattr(self, name) for name in COVARIATE_COLUMNS}


RowErrors = dict[int, dict[str, list[str]]]


def read_table(data: bytes, filename: str, *, max_rows: int = MAX_POOL_ROWS) -> Iterator[tuple[int, dict]]:
    """(row number, {column: value}) from a CSV or .xlsx file; the header row names the columns."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        rows: Iterable[tuple[int, list]] = xlsx_rows(data, max_rows=max_rows)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                {"file": [f"The file is not UTF-8 CSV text (byte {exc.start:,})."]}
            ) from exc
        rows = enumerate(csv.reader(io.StringIO(text)), start=1)
    header: list[str] | None = None
    for number, cells in rows:
        if header is None:
            header = [str(c or "").strip().lower().replace(" ", "_") for c in cells]
            _check_header(header)
            continue
        if number > max_rows + 1:
            raise ValidationFailed({"file": [f"The file has more than {max_rows:,} rows; split it up."]})
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        yield number, dict(zip(header, cells, strict=False))
    if header is None:
        raise ValidationFailed({"file": ["The file is empty: it needs a header row and a row per person."]})


def _check_header(header: list[str]) -> None:
    missing = [c for c in (*COVARIATE_COLUMNS, "outcome") if c not in header]
    if missing:
        raise ValidationFailed(
            {
                "file": [
                    f"The header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}."
                ]
            }
        )
    if not any(c in header for c in ("ni_number", "date_of_birth", "participant_reference")):
        raise ValidationFailed(
            {
                "file": [
                    "The header row needs an identifier: ni_number, or date_of_birth with surname and "
                    "forename (or participant_reference for a cohort)."
                ]
            }
        )


def parse_rows(
    table: Iterable[tuple[int, Mapping]], *, kind: OutcomeKind, cohort: bool
) -> tuple[list[PersonRow], RowErrors]:
    """Every row checked; the good ones, and the problems keyed by row number."""
    good: list[PersonRow] = []
    errors: RowErrors = {}
    for number, raw in table:
        row, problems = parse_row(number, raw, kind=kind, cohort=cohort)
        if problems:
            errors[number] = problems
        else:
            good.append(row)
    return good, errors


def parse_row(number: int, raw: Mapping, *, kind: OutcomeKind, cohort: bool) -> tuple[PersonRow | None, dict]:
    problems: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    identifier, reference = _identifier(raw, cohort, fail)
    age = _whole(raw.get("age"), "age", 10, 110, fail)
    prior = _whole(raw.get("prior_offences"), "prior_offences", 0, 500, fail)
    days = _whole(raw.get("days_since_last_offence"), "days_since_last_offence", 0, 40_000, fail)
    gender = _choice(raw.get("gender"), "gender", Gender, fail)
    group = _choice(raw.get("offence_group"), "offence_group", OffenceGroup, fail)
    employed = _yes_no(raw.get("employed"), fail)
    outcome = _outcome(raw.get("outcome"), kind, cohort, fail)
    if problems:
        return None, problems
    return PersonRow(number, identifier, reference, age, gender, prior, days, group, employed, outcome), {}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _identifier(raw: Mapping, cohort: bool, fail) -> tuple[str, str]:
    reference = _text(raw.get("participant_reference")).upper()
    ni_number = _text(raw.get("ni_number"))
    born = raw.get("date_of_birth")
    if reference:
        if not cohort:
            fail(
                "participant_reference",
                "A comparison pool is identified by NI number or name and date of birth.",
            )
        return "", reference
    try:
        if ni_number:
            return pseudonyms.normalise_ni_number(ni_number), ""
        if born in (None, ""):
            fail("ni_number", "Give an NI number, or a date of birth with surname and forename.")
            return "", ""
        birth = _date(born)
        if birth is None:
            fail("date_of_birth", "Enter the date of birth as YYYY-MM-DD or DD/MM/YYYY.")
            return "", ""
        details = pseudonyms.PersonDetails(birth, _text(raw.get("surname")), _text(raw.get("forename")))
        return pseudonyms.normalise_person(details), ""
    except pseudonyms.IdentifierError as exc:
        fail(exc.field, str(exc))
        return "", ""


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    return None


def _whole(value, field: str, low: int, high: int, fail) -> int:
    text = _text(value)
    if not text.isdigit():
        fail(field, f"Enter a whole number from {low} to {high:,}.")
        return 0
    number = int(text)
    if not low <= number <= high:
        fail(field, f"Enter a whole number from {low} to {high:,}.")
    return number


def _choice(value, field: str, choices, fail) -> str:
    text = _text(value).lower().replace(" ", "_")
    if text not in choices.values:
        fail(field, f"Use one of: {', '.join(choices.values)}.")
    return text


def _yes_no(value, fail) -> bool:
    text = _text(value).lower()
    if text in TRUE:
        return True
    if text not in FALSE:
        fail("employed", "Enter yes or no (or 1 or 0).")
    return False


def _outcome(value, kind: OutcomeKind, cohort: bool, fail) -> Decimal | None:
    text = _text(value).lower()
    if not text:
        if not cohort:
            fail("outcome", "Every comparison pool row needs its outcome.")
        return None  # a cohort member whose follow-up is not complete
    if kind.binary:
        if text in TRUE or text == "reoffended":
            return Decimal(1)
        if text in FALSE:
            return Decimal(0)
        fail("outcome", "Enter 1 if the person reoffended within 12 months, 0 if not.")
        return None
    try:
        days = Decimal(text)
    except InvalidOperation:
        days = Decimal(-1)
    if not (days.is_finite() and 0 <= days <= MAX_OUTCOME_DAYS and days == days.to_integral_value()):
        fail("outcome", f"Enter the days in employment, a whole number from 0 to {MAX_OUTCOME_DAYS}.")
        return None
    return days


def refuse(errors: RowErrors) -> ValidationFailed:
    """Nothing is saved: the first problems by row (all of them up to MAX_REPORTED_ERRORS)."""
    shown = dict(sorted(errors.items())[:MAX_REPORTED_ERRORS])
    count = len(errors)
    message = (
        f"Nothing was saved: {count:,} row{'s' if count != 1 else ''} need{'' if count != 1 else 's'} fixing."
    )
    return ValidationFailed({"file": [message]}, rows=shown)
