"""Writes for PDF funding reviews: ask for one (a ReportJob), and build it, in the background
when a task queue is configured (core.jobs), inline otherwise."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from commissioning.models import ReportJob
from commissioning.permissions import Action, require
from commissioning.reports.pdf.document import render
from commissioning.reports.selectors import Scope, funding_review, resolve_scope
from core import clock
from core.errors import ValidationFailed
from core.jobs import enqueue

log = logging.getLogger(__name__)
JOB = "commissioning.reports.services.report_run"
_PAGE = re.compile(rb"/Type /Page\b(?!s)")


def funding_review_pdf(scope: Scope, *, user, progress=None) -> tuple[bytes, int]:
    """The PDF for the scope, built now; returns the bytes and the number of programmes."""
    require(user, Action.FUNDING_REVIEW_GENERATE)
    review = funding_review(scope, user=user)
    return render(review, progress=progress), review.programme_count


def report_request(*, user, kind: str, key) -> ReportJob:
    """Record a request for a funding review and start it: queued for the worker if a task queue
    is configured, otherwise built before this returns."""
    require(user, Action.FUNDING_REVIEW_GENERATE)
    scope = resolve_scope(kind, key)
    job = ReportJob.objects.create(
        scope=scope.kind, scope_key=scope.key, scope_label=scope.label[:300], requested_by=user
    )
    enqueue(JOB, job_id=job.pk)
    # As it stands now (built, if there is no queue); the PDF itself is read only if asked for.
    return ReportJob.objects.defer("pdf").get(pk=job.pk)


def report_run(*, job_id: int) -> None:
    """Build a requested review (the background job). Records its own progress, success or failure."""
    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status in (ReportJob.Status.DONE, ReportJob.Status.EXPIRED):
        return
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now(), progress=5, error=""
    )
    last = {"percent": 5}

    def progress(fraction: float) -> None:
        percent = min(int(fraction * 100), 99)
        if percent >= last["percent"] + 5:
            last["percent"] = percent
            ReportJob.objects.filter(pk=job.pk).update(progress=percent)

    try:
        scope = resolve_scope(job.scope, job.scope_key)
        pdf, programmes = funding_review_pdf(scope, user=job.requested_by, progress=progress)
    except Exception as exc:  # recorded on the job: with a queue, nobody is waiting for the exception
        log.exception("Funding review %s failed", job.pk)
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, finished_at=timezone.now(), error=message[:2000]
        )
        return
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        pdf=pdf,
        pages=len(_PAGE.findall(pdf)),
        programmes=programmes,
        filename=filename_for(scope),
    )


def filename_for(scope: Scope) -> str:
    return f"funding-review-{scope.slug}-{clock.today():%Y-%m-%d}.pdf"


# --- Retention -------------------------------------------------------------------------------------

STUCK_AFTER = timedelta(days=1)
STUCK_ERROR = (
    "Stopped: still {state} after more than a day, so the background worker probably stopped or "
    "restarted while it was waiting. Generate it again."
)
_PURGE_BATCH = 100


def retention_days() -> int:
    return int(settings.YARDSTICK.get("REPORT_RETENTION_DAYS", 30))


@dataclass
class PurgeSummary:
    cutoff: datetime
    dry_run: bool
    purged: int = 0  # ready reviews whose PDF was (or would be) deleted
    bytes_freed: int = 0
    stuck: int = 0  # queued or running jobs (to be) marked failed
    purged_ids: list[int] = field(default_factory=list)
    stuck_ids: list[int] = field(default_factory=list)


def purge_reports(
    *,
    older_than_days: int | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> PurgeSummary:
    """Delete the PDFs of ready funding reviews finished more than `older_than_days` days ago
    (default settings.YARDSTICK["REPORT_RETENTION_DAYS"]), keeping each ReportJob as the record of
    who asked for what and when (status "expired", purged_at set); and mark jobs queued or running
    for more than a day as failed. With dry_run, report what would be done and change nothing."""
    days = retention_days() if older_than_days is None else older_than_days
    if days < 0:
        raise ValidationFailed({"older_than_days": ["The retention must be 0 days or more."]})
    now = now or timezone.now()
    say = progress or (lambda message: None)
    summary = PurgeSummary(cutoff=now - timedelta(days=days), dry_run=dry_run)

    expiring = (
        ReportJob.objects.filter(status=ReportJob.Status.DONE, finished_at__lt=summary.cutoff)
        .order_by("finished_at", "pk")
        .annotate(size=Coalesce(Length("pdf"), 0))
        .values_list("pk", "scope_label", "finished_at", "size")
    )
    for pk, label, finished, size in expiring.iterator():
        if not summary.purged_ids:
            say(f"Ready reviews finished more than {days} days ago (before {_when(summary.cutoff)}):")
        say(f"  #{pk} {label}, made {_when(finished)}: {size:,} bytes")
        summary.purged_ids.append(pk)
        summary.bytes_freed += size
    summary.purged = len(summary.purged_ids)
    if not dry_run:
        purged = 0
        for start in range(0, summary.purged, _PURGE_BATCH):
            batch = summary.purged_ids[start : start + _PURGE_BATCH]
            # still ready: a job is purged once, whatever else runs at the same time
            purged += ReportJob.objects.filter(pk__in=batch, status=ReportJob.Status.DONE).update(
                status=ReportJob.Status.EXPIRED, pdf=None, purged_at=now
            )
        summary.purged = purged

    stuck = (
        ReportJob.objects.filter(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING])
        .annotate(since=Coalesce("started_at", "requested_at"))
        .filter(since__lt=now - STUCK_AFTER)
        .order_by("pk")
    )
    for job in stuck.only("pk", "scope_label", "status", "requested_at", "started_at"):
        state = "waiting for the worker" if job.status == ReportJob.Status.QUEUED else "being built"
        if not summary.stuck_ids:
            say("Jobs queued or being built for more than a day:")
        say(f"  #{job.pk} {job.scope_label}: {state} since {_when(job.since)}")
        summary.stuck_ids.append(job.pk)
        if not dry_run:
            # unless it moved on meanwhile
            summary.stuck += ReportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=ReportJob.Status.FAILED,
                finished_at=now,
                error=STUCK_ERROR.format(state=state),
            )
    if dry_run:
        summary.stuck = len(summary.stuck_ids)
    return summary


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
