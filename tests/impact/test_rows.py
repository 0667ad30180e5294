"""Reading uploads: CSV and Excel alike, identifiers normalised (never kept raw), errors by row."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from commissioning.impact.estimates import OutcomeKind
from commissioning.impact.rows import parse_rows, read_table
from core.errors import ValidationFailed

HEADER = ["NI Number", "age", "gender", "prior_offences", "days_since_last_offence", "offence_group", "employed",
          "outcome"]  # fmt: skip
GOOD = ["ab 12 34 56 c", 31, "Male", 3, 200, "theft", "no", 1]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv(rows) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode()


@pytest.mark.parametrize("make, name", [(xlsx, "pool.xlsx"), (csv, "pool.csv")])
def test_csv_and_excel_read_alike(make, name):
    good, errors = parse_rows(
        read_table(make([HEADER, GOOD]), name), kind=OutcomeKind.REOFFENCE, cohort=False
    )
    assert errors == {}
    (row,) = good
    assert row.identifier == "NI:AB123456C" and row.number == 2
    assert (row.age, row.gender, row.employed, row.outcome) == (31, "male", False, Decimal(1))


def test_every_bad_row_is_reported_by_number():
    rows = [
        HEADER,
        GOOD,
        ["", 31, "male", 3, 200, "theft", "no", 1],
        ["AB123456C", 31, "male", -1, 200, "arson", "no", ""],
    ]
    good, errors = parse_rows(read_table(csv(rows), "x.csv"), kind=OutcomeKind.REOFFENCE, cohort=False)
    assert len(good) == 1
    assert set(errors) == {3, 4}
    assert errors[3] == {"ni_number": ["Give an NI number, or a date of birth with surname and forename."]}
    assert set(errors[4]) == {"prior_offences", "offence_group", "outcome"}


def test_a_cohort_row_may_wait_for_its_outcome_and_use_a_reference():
    header = ["participant_reference", *HEADER[1:]]
    table = read_table(csv([header, ["p-abcdefgh", 31, "female", 0, 10, "none", "yes", ""]]), "c.csv")
    (row,), errors = parse_rows(table, kind=OutcomeKind.EMPLOYMENT_DAYS, cohort=True)
    assert errors == {} and row.reference == "P-ABCDEFGH" and row.outcome is None and row.employed


def test_days_are_whole_and_within_a_year():
    rows = [HEADER, [*GOOD[:-1], 367], [*GOOD[:-1], "12.5"], [*GOOD[:-1], 200]]
    good, errors = parse_rows(read_table(csv(rows), "x.csv"), kind=OutcomeKind.EMPLOYMENT_DAYS, cohort=False)
    assert set(errors) == {2, 3} and good[0].outcome == Decimal(200)


def test_a_missing_column_is_named():
    with pytest.raises(ValidationFailed, match="lacks the column outcome"):
        list(read_table(csv([HEADER[:-1], GOOD[:-1]]), "x.csv"))
