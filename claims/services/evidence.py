"""Attach evidence to a claim: size-limited, its type decided by its content, saved through the
private "evidence" storage, then recorded; a refused file leaves nothing behind."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from claims import evidence
from claims.models import Claim, EvidenceFile
from claims.permissions import CLAIM_NOT_VISIBLE, Action, get_visible, require
from core.errors import Conflict, ValidationFailed
from core.files.uploads import read_limited

MAX_FILES_PER_CLAIM = 20
NAME_MAX = 200


def evidence_add(*, user, claim: Claim, upload) -> EvidenceFile:
    """Add one file to a submitted claim (the programme's provider): 404 if the claim is not
    visible, 403 if not the provider's own, 400 if the file is empty, too large or not a PDF,
    PNG, JPEG or DOCX by its content, 409 once the claim has been decided."""
    claims = Claim.objects.select_related("programme")
    claim = get_visible(claims, user=user, pk=claim.pk, action=Action.CLAIM_VIEW, missing=CLAIM_NOT_VISIBLE)
    require(user, Action.EVIDENCE_ADD, claim)
    if upload is None:
        raise ValidationFailed({"file": ["Choose a file to upload."]})
    data = read_limited(upload, settings.YARDSTICK["MAX_EVIDENCE_BYTES"])
    try:
        kind = evidence.identify(data)
    except evidence.NotAccepted as exc:
        raise ValidationFailed({"file": [str(exc)]}) from None
    name = display_name(getattr(upload, "name", "") or "", kind)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != Claim.Status.SUBMITTED:
            raise Conflict(
                f"Evidence can be added only while a claim awaits its decision; this one is {locked.status}.",
                id=locked.pk,
            )
        if EvidenceFile.objects.filter(claim=locked).count() >= MAX_FILES_PER_CLAIM:
            raise Conflict(f"A claim holds at most {MAX_FILES_PER_CLAIM} evidence files.", id=locked.pk)
        row = EvidenceFile(
            claim=locked,
            kind=kind.code,
            original_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=user,
        )
        row.file.save(f"evidence.{kind.extension}", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                row.save()
        except Exception:
            row.file.storage.delete(row.file.name)
            raise
    return row


def display_name(raw: str, kind: evidence.EvidenceKind) -> str:
    """The uploader's file name, for display and the download's name only: no directories, no
    control characters, and the extension of what the file really is."""
    base = PurePath(raw.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, _, extension = base.rpartition(".") if "." in base else (base, "", "")
    if extension.lower() not in kind.aliases:
        extension = kind.extension
    stem = stem[: NAME_MAX - len(extension) - 1] or "evidence"
    return f"{stem}.{extension}"
