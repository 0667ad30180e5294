"""Writes for PDF funding reviews: ask for one (a ReportJob), and build it, in the background
when a task queue is configured (outcomes.jobs), inline otherwise."""

from __future__ import annotations

import logging
import re

from django.utils import timezone

from commissioning.models import ReportJob
from commissioning.permissions import can_generate_funding_review
from commissioning.report_selectors import Scope, funding_review, resolve_scope
from commissioning.reports.funding_review import render
from outcomes.errors import NotPermitted
from outcomes.jobs import enqueue

log = logging.getLogger(__name__)
JOB = "commissioning.report_services.report_run"
_PAGE = re.compile(rb"/Type /Page\b(?!s)")


def check_can_generate(user) -> None:
    if not can_generate_funding_review(user):
        raise NotPermitted(
            "Funding reviews cover every provider's figures, so they are for commissioners and finance "
            "officers."
        )


def funding_review_pdf(scope: Scope, *, user, progress=None) -> tuple[bytes, int]:
    """The PDF for the scope, built now; returns the bytes and the number of programmes."""
    check_can_generate(user)
    review = funding_review(scope, user=user)
    return render(review, progress=progress), review.programme_count


def report_request(*, user, kind: str, key) -> ReportJob:
    """Record a request for a funding review and start it: queued for the worker if a task queue
    is configured, otherwise built before this returns."""
    check_can_generate(user)
    scope = resolve_scope(kind, key)
    job = ReportJob.objects.create(
        scope=scope.kind, scope_key=scope.key, scope_label=scope.label[:300], requested_by=user
    )
    enqueue(JOB, job_id=job.pk)
    job.refresh_from_db()
    return job


def report_run(*, job_id: int) -> None:
    """Build a requested review (the background job). Records its own progress, success or failure."""
    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == ReportJob.Status.DONE:
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
    return f"funding-review-{scope.slug}-{timezone.localdate():%Y-%m-%d}.pdf"
