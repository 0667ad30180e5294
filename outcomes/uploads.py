"""Defensive reading of files people upload: a size cap first, then a parser that cannot hang
or blow up on a malformed, huge or hostile file; every failure is a clear ValidationFailed."""

import io
import zipfile
from collections.abc import Iterator

from outcomes.errors import ValidationFailed

MAX_ROWS = 5000
MAX_COLUMNS = 30


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
    if expanded > 50 * len(data) + 10_000_000:
        raise ValidationFailed(
            {"file": ["This workbook expands to an implausible size; it has been refused."]}
        )
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


def _too_big(size: int, max_bytes: int) -> str:
    return f"The file is {size / 1_048_576:.1f} MB; the largest accepted is {max_bytes / 1_048_576:.1f} MB."
