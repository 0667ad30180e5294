"""Reading GMCA's Unit Cost Database (v1.4 layout) and a deflator CSV into plain rows.

No ORM: outcomes.services.unit_costs saves what this reads. Every problem is collected with its
sheet and row and raised together as one ValidationFailed, so a bad file saves nothing.

Layout (each thematic sheet): two header rows, then one cost line a row: A outcome category,
B outcome detail, C cost code, D description, E unit, F-G agency levels 1 and 2, H-J fiscal
value (estimate, price year, workbook's uprated value), K-M economic, N-P social, Q source,
R RAG, S comment. The Lookups sheet holds the GDP deflator series (L forecast mark, M year,
N % change on the previous year).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.errors import ValidationFailed
from outcomes.periods import PeriodError, validate_financial_year
from outcomes.prices import index_from_changes

DATABASE = "Unit Cost Database v1.4"
ATTRIBUTION = "Unit Cost Database v1.4, New Economy / Greater Manchester Combined Authority, CC BY 4.0"
THEME_SHEETS = (
    "Crime",
    "Education & Skills",
    "Employment & Economy",
    "Fire",
    "Health",
    "Housing",
    "Social Services",
)
KINDS = ("fiscal", "economic", "social")
_VALUE_COLUMNS = {"fiscal": (7, 8, 9), "economic": (10, 11, 12), "social": (13, 14, 15)}
_HEADER = ("Outcome category", "Outcome detail", "Cost code")
_PENNY = Decimal("0.01")
# Benefit payments saved are transfers (the database's E&E1.0 guidance): DWP lines under BENEFITS
# except the department's own running costs (processing, maintaining claims, reviews, fees).
_RUNNING_COST = re.compile(r"cost of|job search review|work programme|interview cost", re.IGNORECASE)


@dataclass
class CostLineRow:
    code: str
    theme: str
    outcome_category: str
    outcome_detail: str
    description: str
    unit: str
    agency: str
    agency_detail: str
    values: dict[str, tuple[Decimal | None, str]]
    uprated: dict[str, float | None]  # the workbook's own uprated value (to its current year)
    rag: str
    source: str
    comments: str
    is_transfer: bool

    def fields(self) -> dict:
        out = {
            "database": DATABASE,
            "theme": self.theme,
            "outcome_category": self.outcome_category,
            "outcome_detail": self.outcome_detail,
            "description": self.description,
            "unit": self.unit,
            "agency": self.agency,
            "agency_detail": self.agency_detail,
            "rag": self.rag,
            "source": self.source,
            "comments": self.comments,
            "is_transfer": self.is_transfer,
        }
        for kind, (value, year) in self.values.items():
            out[f"{kind}_value"], out[f"{kind}_price_year"] = value, year
        return out


@dataclass
class Workbook:
    lines: list[CostLineRow]
    deflators: list[tuple[str, float, bool]]  # (year, index, forecast)
    current_year: str  # the year the workbook's own uprated values are in
    skipped: list[str] = field(default_factory=list)  # described lines left out, and why


def read_workbook(data: bytes) -> Workbook:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(
            {"file": [f"This is not an Excel workbook that can be read ({exc.__class__.__name__})."]}
        ) from exc
    missing = [name for name in (*THEME_SHEETS, "Lookups") if name not in book.sheetnames]
    if missing:
        raise ValidationFailed(
            {"file": [f"This is not the Unit Cost Database v1.4 layout: no sheet {', '.join(missing)}."]}
        )
    problems: list[str] = []
    lines: list[CostLineRow] = []
    skipped: list[str] = []
    seen: dict[str, str] = {}
    for sheet in THEME_SHEETS:
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows, ())
        if tuple(_text(c) for c in header[:3]) != _HEADER:
            problems.append(f"{sheet}: the first row is not the database's header ({', '.join(_HEADER)}).")
            continue
        next(rows, None)  # the second header row
        for number, row in enumerate(rows, start=3):
            row = list(row) + [None] * (21 - len(row))
            code = _text(row[2])
            if not code:
                # The sheets' drop-down helper lists have no description; a described line
                # without a code cannot be keyed, so it is left out and named in the summary.
                if _text(row[3]):
                    skipped.append(
                        f"{sheet} row {number} ({_text(row[3]).splitlines()[0][:60]}): no cost code"
                    )
                continue
            where = f"{sheet} row {number} ({code})"
            if code in seen:
                problems.append(f"{where}: the cost code is already used at {seen[code]}.")
                continue
            seen[code] = where
            values, uprated = {}, {}
            for kind, (value_col, year_col, uprated_col) in _VALUE_COLUMNS.items():
                values[kind] = _value(row[value_col], row[year_col], f"{where}, {kind} value", problems)
                uprated[kind] = float(row[uprated_col]) if isinstance(row[uprated_col], int | float) else None
            agency, detail, description = _text(row[5]), _text(row[6]), _text(row[3])
            rag = _text(row[17]).upper()
            if rag not in ("", "R", "A", "G"):
                problems.append(f"{where}: the RAG assessment {rag!r} is not R, A or G.")
            lines.append(
                CostLineRow(
                    code=code,
                    theme=sheet,
                    outcome_category=_text(row[0]),
                    outcome_detail=_text(row[1]),
                    description=description,
                    unit=_text(row[4]),
                    agency=agency,
                    agency_detail=detail,
                    values=values,
                    uprated=uprated,
                    rag=rag if rag in ("R", "A", "G") else "",
                    source=_text(row[16]),
                    comments=_text(row[18]),
                    is_transfer=agency == "DWP"
                    and _text(row[1]).upper() == "BENEFITS"
                    and not _RUNNING_COST.search(description),
                )
            )
    deflators, current = _lookups(book["Lookups"], problems)
    if problems:
        raise ValidationFailed({"file": problems})
    return Workbook(lines=lines, deflators=deflators, current_year=current, skipped=skipped)


def _lookups(sheet, problems: list[str]) -> tuple[list[tuple[str, float, bool]], str]:
    """The GDP deflator series: rows whose column M is a financial year and N a % change."""
    changes, current = [], ""
    for row in sheet.iter_rows(values_only=True):
        row = list(row) + [None] * (16 - len(row))
        if not current and _is_year(row[10]):
            current = _text(row[10])
        if _is_year(row[12]) and isinstance(row[13], int | float):
            changes.append((_text(row[12]), float(row[13]), _text(row[11]).lower() == "f"))
    if len(changes) < 2:
        problems.append(
            "Lookups: no GDP deflator series found (financial years in column M, % changes in N)."
        )
    return index_from_changes(changes), current


def read_deflator_csv(data: bytes) -> list[tuple[str, Decimal, bool]]:
    """A deflator series from CSV: columns financial_year, index and (optional) forecast (y/yes/
    true/1/f marks a forecast). Every bad row is reported; a year twice is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed({"file": ["The file is not UTF-8 text (save it as CSV UTF-8)."]}) from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "financial_year" not in columns or "index" not in columns:
        raise ValidationFailed(
            {"file": ["The CSV needs the columns financial_year and index (and optionally forecast)."]}
        )
    problems, years, seen = [], [], set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        year = row.get("financial_year", "")
        if not _is_year(year):
            problems.append(f"Row {number}: {year!r} is not a financial year such as 2009/10.")
            continue
        if year in seen:
            problems.append(f"Row {number}: {year} appears twice.")
            continue
        seen.add(year)
        try:
            index = Decimal(row.get("index", ""))
        except InvalidOperation:
            index = None
        if index is None or not index.is_finite() or index <= 0:
            problems.append(f"Row {number}: the index {row.get('index')!r} is not a number above 0.")
            continue
        years.append((year, index, row.get("forecast", "").lower() in ("y", "yes", "true", "1", "f")))
    if not years and not problems:
        problems.append("The CSV has no rows.")
    if problems:
        raise ValidationFailed({"file": problems})
    return sorted(years)


def _value(value, year, where: str, problems: list[str]) -> tuple[Decimal | None, str]:
    if value in (None, ""):
        return None, ""
    if not isinstance(value, int | float) or isinstance(value, bool):
        problems.append(f"{where}: {value!r} is not a number.")
        return None, ""
    if not _is_year(year):
        problems.append(f"{where}: the price year {year!r} is not a financial year such as 2012/13.")
        return None, ""
    return Decimal(repr(float(value))).quantize(_PENNY, rounding=ROUND_HALF_UP), _text(year)


def _is_year(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        validate_financial_year(value.strip())
    except PeriodError:
        return False
    return True


def _text(value) -> str:
    return "" if value is None else str(value).strip()
