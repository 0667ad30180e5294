"""A quarter's returns as an Excel workbook: the template providers fill in, and its parser."""

import io
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Font

from core.files.uploads import xlsx_rows
from grants.models import OutcomeMeasure, Programme
from grants.services import ReturnInput

HEADERS = [
    "Programme reference",
    "Programme title",
    "Measure code",
    "Measure name",
    "Financial year",
    "Quarter",
    "Value",
    "Spend (GBP)",
    "Notes",
]
REQUIRED = ["programme reference", "measure code", "financial year", "quarter", "value"]


def template_workbook(slots: list[dict]) -> bytes:
    """One row per programme and measure owed for the quarter, values left blank."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for slot in slots:
        target = slot["target"]
        sheet.append(
            [
                target.programme.reference,
                target.programme.title,
                target.measure.code,
                target.measure.name,
                target.financial_year,
                target.quarter,
                None,
                None,
                None,
            ]
        )
    for column, width in zip("ABCDEFGHI", [20, 40, 28, 40, 14, 9, 10, 14, 40], strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parse_returns(data: bytes, programmes: dict[str, Programme], measures: dict[str, OutcomeMeasure]):
    """Rows of a returns workbook as ReturnInputs (None where a row is unusable) and the row
    number of each, with errors keyed by row number. Blank rows are skipped."""
    rows = xlsx_rows(data)
    header_row = next(rows, None)
    if header_row is None:
        return [], [], {1: {"file": ["The workbook is empty."]}}
    columns = {str(h).strip().lower(): i for i, h in enumerate(header_row[1]) if h is not None}
    columns = {k.replace(" (gbp)", ""): v for k, v in columns.items()}
    if missing := [c for c in REQUIRED if c not in columns]:
        return [], [], {1: {"file": [f"Missing column(s): {', '.join(missing)}. Start from the template."]}}
    items, row_numbers, errors = [], [], {}
    for number, cells in rows:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        item, row_errors = _parse_row(cells, columns, programmes, measures)
        items.append(item)
        row_numbers.append(number)
        if row_errors:
            errors[number] = row_errors
    return items, row_numbers, errors


def _parse_row(cells, columns, programmes, measures):
    def cell(name):
        index = columns.get(name)
        value = cells[index] if index is not None and index < len(cells) else None
        return "" if value is None else str(value).strip()

    errors: dict[str, list[str]] = {}
    programme = programmes.get(cell("programme reference"))
    if programme is None:
        errors["programme"] = [f'No programme of yours has the reference "{cell("programme reference")}".']
    measure = measures.get(cell("measure code"))
    if measure is None:
        errors["measure"] = [f'There is no measure with the code "{cell("measure code")}".']
    value = _decimal(cell("value"), "value", errors, required=True)
    spend = _decimal(cell("spend"), "spend", errors, required=False)
    quarter = cell("quarter").removeprefix("Q").removeprefix("q")
    if not quarter.isdigit():
        errors["quarter"] = [f'"{cell("quarter")}" is not a quarter; write 1, 2, 3 or 4.']
    if errors:
        return None, errors
    item = ReturnInput(
        programme_id=programme.pk,
        measure_id=measure.pk,
        financial_year=cell("financial year"),
        quarter=int(quarter),
        value=value,
        spend=spend,
        notes=cell("notes")[:5000],
    )
    return item, {}


def _decimal(text: str, field: str, errors: dict, *, required: bool) -> Decimal | None:
    if text == "":
        if required:
            errors[field] = ["A value is required."]
        return None
    try:
        number = Decimal(text.replace(",", "").replace("£", ""))
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise InvalidOperation
        return number.quantize(Decimal("0.01"))
    except InvalidOperation:
        errors[field] = [f'"{text}" is not a number we can accept.']
        return None
