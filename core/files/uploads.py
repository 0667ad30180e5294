"""Defensive reading of files people upload: a size cap first, then a parser that cannot hang
or blow up on a malformed, huge or hostile file; every failure is a clear ValidationFailed."""

import io
import json
import zipfile
from collections.abc import Iterator

from core.errors import ValidationFailed

MAX_ROWS = 5000
MAX_COLUMNS = 30
# An .xlsx is a zip of XML: refuse one that would expand beyond this, whatever its ratio
# (openpyxl reads the shared strings whole, so a large one costs memory and time; the XML
# parses at roughly 4 MB a second). A full 5,000-row returns workbook expands to about 3 MB.
MAX_XLSX_EXPANDED_BYTES = 16 * 1024 * 1024
# Deeper JSON than any real document needs; Python's parser itself gives up near 1,000.
MAX_JSON_DEPTH = 64


def read_limited(upload, max_bytes: int) -> bytes:
    """Read at most max_bytes from an uploaded file, refusing anything larger."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationFailed({"file": [_too_big(size, max_bytes)]})
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationFailed({"file": [_too_big(len(data), max_bytes)]})
    if not data:
        raise ValidationFailed({"file": ["The file is empty."]})
    return data


def xlsx_rows(data: bytes, *, max_rows: int = MAX_ROWS) -> Iterator[tuple[int, list]]:
    """Yield (row number, cell values) from the first sheet of an .xlsx workbook.

    Guards against zip bombs (the uncompressed size is checked before parsing) and against
    sheets with more rows or columns than a returns form could need."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValidationFailed(
            {"file": ["This is not an Excel workbook (.xlsx). Save it as .xlsx and try again."]}
        ) from exc
    if expanded > min(50 * len(data) + 10_000_000, MAX_XLSX_EXPANDED_BYTES):
        raise ValidationFailed(
            {"file": ["This workbook expands to an implausible size; it has been refused."]}
        )
    _read_only_sheets_find_their_size_quickly()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if number > max_rows + 1:
                raise ValidationFailed({"file": [f"The sheet has more than {max_rows:,} rows; split it up."]})
            yield number, list(row)
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise ValidationFailed(
            {
                "file": [
                    f"The workbook could not be read ({type(exc).__name__}); "
                    "check it opens in Excel and is saved as .xlsx."
                ]
            }
        ) from exc


def _read_only_sheets_find_their_size_quickly() -> None:
    """openpyxl (3.1) opens a read-only sheet by looking for its <dimension> element, but it
    waits for the *end* of <sheetData> before giving up, so a sheet without one (legal, and
    easy to make) is parsed in full before its first row is read: a million-row sheet costs
    seconds of CPU per upload however early we stop. Look only up to the *start* of
    <sheetData>, which is where the element has to be."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if getattr(ReadOnlyWorksheet, "_yardstick_size", False):
        return

    def _get_size(self) -> None:
        from openpyxl.worksheet.dimensions import SheetDimension
        from openpyxl.xml.constants import SHEET_MAIN_NS
        from openpyxl.xml.functions import iterparse  # openpyxl's own (defusedxml when installed)

        dimension_tag, data_tag = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"
        with self._get_source() as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == dimension_tag:
                    bounds = SheetDimension.from_tree(element).boundaries
                    if bounds is not None:
                        self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if element.tag == data_tag:
                    return

    ReadOnlyWorksheet._get_size = _get_size
    ReadOnlyWorksheet._yardstick_size = True


def parse_json(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH, subject: str = "The file"):
    """Parse JSON bytes (UTF-8, with or without a byte-order mark) that someone supplied, with
    a clear ValidationFailed for anything that is not plain, reasonably shaped JSON: bad syntax,
    another encoding, NaN/Infinity, numbers too long to convert, or nesting deeper than max_depth.
    Messages begin with `subject` ("The file", "The request body", a path)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed({"file": [f"{subject} is not UTF-8 text (byte {exc.start:,})."]}) from exc
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            {"file": [f"{subject} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."]}
        ) from exc
    except RecursionError as exc:
        raise ValidationFailed({"file": [_too_deep(max_depth, subject)]}) from exc
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        reason = "a number in it has thousands of digits" if "digits" in str(exc) else str(exc)
        raise ValidationFailed({"file": [f"{subject} is not valid JSON: {reason}."]}) from exc
    if json_depth(value) > max_depth:
        raise ValidationFailed({"file": [_too_deep(max_depth, subject)]})
    return value


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0), without
    recursion, so that it cannot itself be made to overflow the stack."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _too_deep(max_depth: int, subject: str) -> str:
    return f"{subject} is nested more than {max_depth} levels deep; no real document needs that."


def _too_big(size: int, max_bytes: int) -> str:
    return f"The file is {size / 1_048_576:.1f} MB; the largest accepted is {max_bytes / 1_048_576:.1f} MB."
