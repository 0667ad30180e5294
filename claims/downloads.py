"""An evidence file as an HTTP download, for the web page and the API alike: always an
attachment with its real (content-checked) type and a safe name, never cached by proxies."""

from django.http import FileResponse

from claims.evidence import KINDS
from claims.models import EvidenceFile


def evidence_download(row: EvidenceFile) -> FileResponse:
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.original_name,
        content_type=KINDS[row.kind].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
