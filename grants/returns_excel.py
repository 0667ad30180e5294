"""A quarter's returns as an Excel workbook: the template providers fill in, and its parser."""

import io
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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
    "Confirm high value",
]
# "Confirm high value": "yes" confirms a value far above the quarter's target (the measure's high
# value factor); without it such a row is refused with the reason. Optional column.
CONFIRM_WORDS = {"yes": True, "y": True, "true": True, "x": True, "1": True, "no": False, "n": False,
                 "false": False, "0": False, "": False}  # fmt: skip
REQUIRED = ["programme reference", "measure code", "financial year", "quarter", "value"]
NOTES_MAX = 5000  # characters of a row's notes the upload keeps


# The template adds what a provider needs beside each row (the measure's unit, the quarter's
# target, the due date); the parser reads columns by name, so it ignores them.
TEMPLATE_HEADERS = [
    "Programme reference",
    "Programme title",
    "Measure code",
    "Measure name",
    "Unit",
    "Financial year",
    "Quarter",
    "Due by",
    "Target",
    "Value",
    "Spend (GBP)",
    "Notes",
    "Confirm high value",
]
_WIDTHS = [20, 40, 26, 40, 14, 14, 9, 13, 10, 12, 14, 40, 20]
_MAX_NUMBER = 999_999_999_999.99
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")


def template_workbook(owed) -> bytes:
    """The Excel template for one owed quarter (a grants.selectors.OwedQuarter): a row per return
    owed, with its unit, target and due date, the Value, Spend and Notes cells to fill in (shaded)
    and Excel data validation on them (numbers only; no negative value unless the measure allows
    a net change; notes within the length the upload keeps)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    column = {name: get_column_letter(i) for i, name in enumerate(TEMPLATE_HEADERS, start=1)}
    value_rules = {
        False: _number_rule(0, "Value", "a number of 0 or more, in the measure's unit (the Unit column)"),
        True: _number_rule(-_MAX_NUMBER, "Value", "a number (this measure may be negative: a net change)"),
    }
    spend_rule = _number_rule(0, "Spend", "the amount spent in the quarter, in pounds (0 or more)")
    notes_rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(NOTES_MAX))
    notes_rule.error = f"Keep notes to {NOTES_MAX:,} characters."
    confirm_rule = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    confirm_rule.prompt = "Write yes only if a value far above the quarter's target is right."
    confirm_rule.promptTitle = "Confirm high value"
    for rule in [*value_rules.values(), spend_rule, notes_rule, confirm_rule]:
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
    for row, slot in enumerate(owed.slots, start=2):
        target = slot["target"]
        measure = target.measure
        sheet.append([
            target.programme.reference, target.programme.title, measure.code, measure.name, measure.unit,
            target.financial_year, target.quarter, slot["deadline"], target.target_value,
            None, None, None, None,
        ])  # fmt: skip
        confirm_rule.add(f"{column['Confirm high value']}{row}")
        sheet[f"{column['Due by']}{row}"].number_format = "d mmm yyyy"
        rule = value_rules[measure.allows_negative]
        rule.add(f"{column['Value']}{row}")
        spend_rule.add(f"{column['Spend (GBP)']}{row}")
        notes_rule.add(f"{column['Notes']}{row}")
        for name in ("Value", "Spend (GBP)", "Notes"):
            sheet[f"{column[name]}{row}"].fill = _TO_FILL
    for letter, width in zip(column.values(), _WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    _guide(workbook.create_sheet("How to fill this in"), owed)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _number_rule(minimum: float, label: str, wanted: str) -> DataValidation:
    rule = DataValidation(
        type="decimal", operator="between", formula1=str(minimum), formula2=str(_MAX_NUMBER)
    )
    rule.errorTitle = f"{label} must be a number"
    rule.error = f"Enter {wanted}, without a £ sign or words."
    return rule


def _guide(sheet, owed) -> None:
    state = "late: it was due by" if owed.state == "late" else "due by"
    lines = [
        f"Returns for {owed.quarter}, {state} {owed.deadline:%d %B %Y}.",
        f"{owed.count} return{'s' if owed.count != 1 else ''} owed for {owed.programme_count} "
        f"programme{'s' if owed.programme_count != 1 else ''}: one row each on the Returns sheet.",
        "Fill in the shaded cells: Value (in the measure's unit; compare it with the Target column), "
        "Spend in pounds (optional) and Notes (optional).",
        "Leave a row's Value empty to leave that return out; do not change the other columns.",
        "Upload the workbook on the Upload returns page. It is checked as a whole: if any row has a "
        "problem, nothing is saved and every problem is listed by row.",
    ]
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 110


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
    confirm = CONFIRM_WORDS.get(cell("confirm high value").lower())
    if confirm is None:
        errors["confirm_high_value"] = [
            f'"{cell("confirm high value")}" is not an answer; '
            "write yes to confirm a high value, or leave it blank."
        ]
    if errors:
        return None, errors
    item = ReturnInput(
        programme_id=programme.pk,
        measure_id=measure.pk,
        financial_year=cell("financial year"),
        quarter=int(quarter),
        value=value,
        spend=spend,
        notes=cell("notes")[:NOTES_MAX],
        confirm_high_value=bool(confirm),
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
