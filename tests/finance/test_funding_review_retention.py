"""Retention of PDF funding reviews: `manage.py purge_reports` deletes the PDFs of ready reviews
older than REPORT_RETENTION_DAYS (keeping the job as the record, marked expired) and fails jobs
stuck for more than a day; the pages offer to generate an expired review again; its download
answers 410 Gone."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from commissioning.models import ReportJob
from commissioning.reports.services import STUCK_ERROR, purge_reports, report_run

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a stand-in review\n%%EOF"


def make_job(user, stream, *, status="done", finished_days=None, requested_days=0, started_days=None):
    now = timezone.now()
    job = ReportJob.objects.create(
        scope="stream",
        scope_key=str(stream.pk),
        scope_label=f"Funding stream: {stream.name} {stream.financial_year}",
        requested_by=user,
        status=status,
        pdf=PDF if status == "done" else None,
        pages=12 if status == "done" else 0,
        programmes=2 if status == "done" else 0,
        filename="funding-review-stream.pdf" if status == "done" else "",
    )
    ReportJob.objects.filter(pk=job.pk).update(
        requested_at=now - timedelta(days=requested_days),
        started_at=None if started_days is None else now - timedelta(days=started_days),
        finished_at=None if finished_days is None else now - timedelta(days=finished_days),
    )
    job.refresh_from_db()
    return job


@pytest.fixture
def stream(portfolio):
    return portfolio["a"].funding_stream


@pytest.fixture
def jobs(finance, stream):
    """An old and a recent ready review, an old failed one, and queued/running jobs stuck or not."""
    return {
        "old": make_job(finance, stream, finished_days=40, requested_days=40, started_days=40),
        "recent": make_job(finance, stream, finished_days=5, requested_days=5, started_days=5),
        "failed": make_job(finance, stream, status="failed", finished_days=60, requested_days=60),
        "stuck_queued": make_job(finance, stream, status="queued", requested_days=2),
        "stuck_running": make_job(finance, stream, status="running", requested_days=3, started_days=2),
        "queued": make_job(finance, stream, status="queued", requested_days=0),
        # asked for long ago, but the worker only picked it up an hour ago: not stuck
        "running": make_job(finance, stream, status="running", requested_days=3, started_days=0.04),
    }


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_reports", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return list(ReportJob.objects.order_by("pk").values())


def test_dry_run_changes_nothing(jobs):
    before = snapshot()
    out = purge("--dry-run")
    assert snapshot() == before
    assert "dry run" in out
    assert f"#{jobs['old'].pk} " in out and f"#{jobs['recent'].pk} " not in out
    assert f"#{jobs['stuck_queued'].pk} " in out and f"#{jobs['stuck_running'].pk} " in out
    assert f"#{jobs['queued'].pk} " not in out and f"#{jobs['running'].pk} " not in out
    assert f"Would delete 1 PDF ({len(PDF)} bytes); would mark 2 stuck jobs as failed." in out


def test_purge_clears_old_pdfs_and_keeps_the_record(jobs, finance):
    out = purge()
    assert f"Deleted 1 PDF ({len(PDF)} bytes); marked 2 stuck jobs as failed." in out
    old = ReportJob.objects.get(pk=jobs["old"].pk)
    assert old.status == ReportJob.Status.EXPIRED and old.pdf is None and old.purged_at is not None
    # the record of who generated what and when is kept
    assert (old.requested_by, old.requested_at, old.finished_at) == (
        finance,
        jobs["old"].requested_at,
        jobs["old"].finished_at,
    )
    assert (old.scope_label, old.pages, old.programmes, old.filename) == (
        jobs["old"].scope_label,
        12,
        2,
        "funding-review-stream.pdf",
    )
    recent = ReportJob.objects.get(pk=jobs["recent"].pk)
    assert recent.status == ReportJob.Status.DONE and bytes(recent.pdf) == PDF and recent.purged_at is None
    failed = ReportJob.objects.get(pk=jobs["failed"].pk)
    assert failed.status == ReportJob.Status.FAILED and failed.purged_at is None
    assert ReportJob.objects.count() == len(jobs)
    # a second run has nothing left to do
    assert "Deleted 0 PDFs (0 bytes); marked 0 stuck jobs as failed." in purge()


def test_stuck_jobs_are_marked_failed(jobs):
    purge()
    for name, state in (("stuck_queued", "waiting for the worker"), ("stuck_running", "being built")):
        job = ReportJob.objects.get(pk=jobs[name].pk)
        assert job.status == ReportJob.Status.FAILED and job.finished_at is not None
        assert job.error == STUCK_ERROR.format(state=state)
    assert ReportJob.objects.get(pk=jobs["queued"].pk).status == ReportJob.Status.QUEUED
    assert ReportJob.objects.get(pk=jobs["running"].pk).status == ReportJob.Status.RUNNING


def test_retention_from_the_setting_and_the_option(jobs, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "REPORT_RETENTION_DAYS": 3}
    assert "Would delete 2 PDFs" in purge("--dry-run")
    assert "Would delete 1 PDF " in purge("--dry-run", "--older-than", "30")
    assert "Would delete 0 PDFs" in purge("--dry-run", "--older-than", "45")
    purge("--older-than", "3")
    assert ReportJob.objects.filter(status="expired").count() == 2
    with pytest.raises(CommandError, match="0 days or more"):
        purge("--older-than", "-1")


def test_purge_is_race_safe_and_an_expired_job_is_not_rebuilt(jobs, monkeypatch):
    summary = purge_reports(older_than_days=30)
    assert summary.purged == 1 and summary.purged_ids == [jobs["old"].pk]

    def never(*args, **kwargs):
        raise AssertionError("an expired job is not built again")

    monkeypatch.setattr("commissioning.reports.services.render", never)
    report_run(job_id=jobs["old"].pk)
    assert ReportJob.objects.get(pk=jobs["old"].pk).status == ReportJob.Status.EXPIRED


def test_database_refuses_an_expired_job_that_keeps_its_pdf(jobs):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.filter(pk=jobs["recent"].pk).update(status="expired", purged_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.filter(pk=jobs["recent"].pk).update(status="expired", pdf=None)


def test_download_of_a_purged_review_is_gone(client, finance, jobs):
    purge()
    client.force_login(finance)
    old = jobs["old"]
    response = client.get(f"/funding-reviews/{old.pk}/download/")
    assert response.status_code == 410 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "This funding review has expired" in page and "kept for 30 days" in page
    assert 'action="/funding-reviews/generate/"' in page and "Generate it again" in page
    assert 'value="stream"' in page and f'value="{old.scope_key}"' in page
    assert f'href="/funding-reviews/{old.pk}/"' in page
    # still ready, or never existed: as before
    assert client.get(f"/funding-reviews/{jobs['recent'].pk}/download/").content == PDF
    assert client.get(f"/funding-reviews/{jobs['queued'].pk}/download/").status_code == 404
    assert client.get("/funding-reviews/999999/download/").status_code == 404


def test_download_of_a_purged_review_is_for_staff_only(client, provider, jobs):
    purge()
    client.force_login(provider)
    assert client.get(f"/funding-reviews/{jobs['old'].pk}/download/").status_code == 403


def test_job_page_and_hub_offer_to_generate_an_expired_review_again(client, finance, jobs, stream):
    purge()
    client.force_login(finance)
    old = jobs["old"]
    expired_on = f"Expired on {timezone.localdate():%-d}"
    for url in (f"/funding-reviews/{old.pk}/", f"/funding-reviews/{old.pk}/status/"):
        page = client.get(url).content.decode()
        assert expired_on in page and "Generate it again" in page
        assert f"/funding-reviews/{old.pk}/download/" not in page and "hx-get" not in page
    for url in ("/funding-reviews/", f"/funding-reviews/streams/{stream.pk}/"):
        page = client.get(url).content.decode()
        assert expired_on in page and "Generate it again" in page
        assert f"/funding-reviews/{old.pk}/download/" not in page
        assert f"/funding-reviews/{jobs['recent'].pk}/download/" in page
    # the button builds a fresh review (inline without a task queue)
    response = client.post("/funding-reviews/generate/", {"scope": "stream", "key": old.scope_key})
    fresh = ReportJob.objects.latest("pk")
    assert response["Location"] == f"/funding-reviews/{fresh.pk}/"
    assert fresh.status == ReportJob.Status.DONE and bytes(fresh.pdf).startswith(b"%PDF")


def test_admin_lists_purged_jobs(client, admin_user, jobs):
    purge()
    client.force_login(admin_user)
    page = client.get("/admin/commissioning/reportjob/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Purged " in html and "Expired" in html
    purged = client.get("/admin/commissioning/reportjob/?purged_at__isempty=0")
    assert purged.status_code == 200 and purged.context["cl"].result_count == 1
    detail = client.get(f"/admin/commissioning/reportjob/{jobs['old'].pk}/change/")
    assert detail.status_code == 200 and "Purged " in detail.content.decode()


@override_settings(YARDSTICK={"REPORT_RETENTION_DAYS": 0})
def test_zero_days_purges_every_ready_review(jobs):
    assert purge_reports(dry_run=True).purged == 2
