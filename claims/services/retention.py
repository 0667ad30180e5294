"""Retention: once every programme a participant was enrolled on ended more than the retention
period ago (YARDSTICK["PARTICIPANT_RETENTION_YEARS"]), the links to the person are deleted: the
pseudonym is replaced by random digits (so no identifier hashes to it any more), enrolment
eligibility answers and claim notes are emptied, in the history too, and evidence files are
deleted. The participant's reference, the claims (their outcome, date, price and status) and every
payment are kept, so counts and money add up as before."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef

from claims.models import Claim, Enrolment, Participant
from core.errors import ValidationFailed

BATCH = 500


@dataclass
class PurgeSummary:
    cutoff: date  # programmes that ended before this date are past retention
    participants: int = 0
    enrolments: int = 0
    claims_kept: int = 0
    evidence_files: int = 0
    dry_run: bool = False


def retention_cutoff(*, today: date, years: int) -> date:
    """The day `years` whole years before `today` (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def participants_due_for_purge(*, today: date, years: int):
    """Participants not yet purged whose every enrolment is on a programme that ended before the
    cutoff (a participant still on a live programme elsewhere is kept whole)."""
    cutoff = retention_cutoff(today=today, years=years)
    return (
        Participant.objects.filter(purged_on__isnull=True)
        .filter(Exists(Enrolment.objects.filter(participant=OuterRef("pk"))))
        .annotate(last_end=Max("enrolments__programme__end_date"))
        .filter(last_end__lt=cutoff)
        .order_by("pk")
    )


def participants_purge(
    *,
    today: date,
    years: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> PurgeSummary:
    """Delete the links of every participant past retention, a batch per transaction (a run
    stopped half-way leaves whole participants done and the rest untouched; run it again)."""
    years = settings.YARDSTICK["PARTICIPANT_RETENTION_YEARS"] if years is None else years
    if years < 0:
        raise ValidationFailed("The retention period cannot be negative.")
    summary = PurgeSummary(cutoff=retention_cutoff(today=today, years=years), dry_run=dry_run)
    ids = list(participants_due_for_purge(today=today, years=years).values_list("pk", flat=True))
    total = len(ids)
    for start in range(0, total, BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            _purge_batch(batch, today, summary, dry_run)
            if dry_run:
                transaction.set_rollback(True)
        if progress:
            progress(min(start + BATCH, total), total)
    return summary


def _purge_batch(ids: list[int], today: date, summary: PurgeSummary, dry_run: bool) -> None:
    participants = list(Participant.objects.select_for_update().filter(pk__in=ids, purged_on__isnull=True))
    for participant in participants:
        participant.pseudonym = secrets.token_hex(32)
        participant.purged_on = today
    Participant.objects.bulk_update(participants, ["pseudonym", "purged_on"])
    ids = [p.pk for p in participants]
    summary.participants += len(ids)
    summary.enrolments += Enrolment.objects.filter(participant_id__in=ids).update(eligibility={})
    Enrolment.history.model.objects.filter(participant_id__in=ids).update(eligibility={})
    summary.claims_kept += Claim.objects.filter(participant_id__in=ids).count()
    Claim.objects.filter(participant_id__in=ids).exclude(notes="").update(notes="")
    Claim.history.model.objects.filter(participant_id__in=ids).exclude(notes="").update(notes="")
    summary.evidence_files += _delete_evidence(ids, dry_run)


def _delete_evidence(participant_ids: list[int], dry_run: bool) -> int:
    """Delete the evidence files of these participants' claims, from storage and the database,
    if the claims app holds evidence files (its EvidenceFile model, with a `file` field)."""
    try:
        model = apps.get_model("claims", "EvidenceFile")
    except LookupError:
        return 0
    rows = list(model.objects.filter(claim__participant_id__in=participant_ids))
    if not dry_run:
        for row in rows:
            stored = getattr(row, "file", None)
            if stored:
                transaction.on_commit(lambda f=stored: f.storage.delete(f.name))
        model.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)
