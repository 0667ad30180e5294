"""CSV and Excel (.xlsx) downloads of a table: the one place that writes spreadsheets, used by
the web pages' exports and the API's downloads alike.

A table is a list of column titles and rows of plain values (str, int, Decimal, float, date,
None). Money stays a Decimal: a number in the workbook formatted as pounds, "1234.50" in CSV.
Text that a spreadsheet would run as a formula (starting =, +, -, @) is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "dd/mm/yyyy"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return str(value)


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet: str = "Sheet1",
    money: Iterable[str] = (),
) -> bytes:
    """A one-sheet workbook: a bold, frozen header row; `money` names the columns shown as £."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    money_at = {i for i, title in enumerate(columns) if title in set(money)}
    widths = [len(str(c)) for c in columns]
    for r, row in enumerate(rows, start=2):
        for i, value in enumerate(row):
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = ws.cell(row=r, column=i + 1, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT if not isinstance(value, datetime) else "dd/mm/yyyy hh:mm"
            elif i in money_at and isinstance(value, (Decimal, int, float)):
                cell.number_format = MONEY_FORMAT
            widths[i] = max(widths[i], min(len(str(value)) if value is not None else 0, 60))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width + 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(
    fmt: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    filename: str,
    sheet: str = "Sheet1",
    money: Iterable[str] = (),
) -> HttpResponse:
    """An attachment response: `filename` without extension, `fmt` "csv" or "xlsx"."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(columns, rows, sheet=sheet, money=money), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(csv_bytes(columns, rows), content_type=CSV_TYPE)
    else:
        raise ValueError(f"Unknown spreadsheet format {fmt!r}; use csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def export_format(fmt: str) -> str:
    """The format named in an export's address (".csv" or ".xlsx"); any other is no page (404)."""
    if fmt not in FORMATS:
        raise Http404("Exports come as .csv or .xlsx.")
    return fmt
