"""What kind of file an evidence upload really is, decided by its content (magic bytes, and for a
DOCX the parts inside its zip), never by its name or the content type a browser claims. Pure:
no ORM, no HTTP; claims.services.evidence calls it and turns its answer into a ValidationFailed."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class EvidenceKind:
    code: str
    label: str
    extension: str
    content_type: str
    aliases: tuple[str, ...] = ()


PDF = EvidenceKind("pdf", "PDF", "pdf", "application/pdf", ("pdf",))
PNG = EvidenceKind("png", "PNG image", "png", "image/png", ("png",))
JPEG = EvidenceKind("jpeg", "JPEG image", "jpg", "image/jpeg", ("jpg", "jpeg"))
DOCX = EvidenceKind(
    "docx",
    "Word document (.docx)",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
KINDS = {kind.code: kind for kind in (PDF, PNG, JPEG, DOCX)}
ACCEPTED = "a PDF, PNG, JPEG or Word (.docx) file"

# A .docx is a zip of XML parts; these two name it a Word document (an .xlsx or .pptx has the
# first but not the second). A real one has a few dozen parts.
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
MAX_DOCX_PARTS = 2000
WORD_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class NotAccepted(ValueError):
    """The content is none of the accepted kinds; the message says what it looks like."""


def identify(data: bytes) -> EvidenceKind:
    """The kind of `data`, or NotAccepted with a message a person can act on."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _docx(data)
    raise NotAccepted(f"This file is not {ACCEPTED}{_looks_like(data)}; its name does not decide its type.")


def _docx(data: bytes) -> EvidenceKind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if len(names) > MAX_DOCX_PARTS:
            raise NotAccepted(f"This zip file has {len(names):,} parts; it is not a Word document.")
        if not all(part in names for part in DOCX_PARTS):
            raise NotAccepted(f"This is a zip file but not a Word document (.docx); send {ACCEPTED}.")
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > 1_000_000:
            raise NotAccepted(
                "This file's content types part is implausibly large; it is not a Word document."
            )
        if WORD_DOCUMENT_TYPE not in archive.read(info):
            raise NotAccepted(f"This is an Office file but not a Word document (.docx); send {ACCEPTED}.")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, EOFError) as exc:
        if isinstance(exc, NotAccepted):
            raise
        raise NotAccepted(
            f"This file starts like a zip file but cannot be read as one; send {ACCEPTED}."
        ) from exc
    return DOCX


def _looks_like(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if data.startswith(b"MZ"):
        return " (it is a Windows program)"
    if data.startswith(b"\x7fELF"):
        return " (it is a program)"
    if head.startswith((b"<!doctype html", b"<html", b"<script", b"<?xml", b"<svg")) or b"<html" in head:
        return " (it is a web page or markup)"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return " (it is a GIF image)"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return " (it is an old-style Office file; save it as .docx or PDF)"
    return ""
