"""In a real browser: the demo finance officer generates the round's PDF funding review from the
round page and downloads it; then a funding stream's review with the job queued, watching the
page update itself (htmx polling) once the worker has built it."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from commissioning.models import ReportJob, ReviewRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_officer_generates_and_downloads_the_pdf(sign_in, live_server, demo_committed, tmp_path):
    review_round = ReviewRound.objects.get(name="2009/10 review of partnership-funded activity")
    page = sign_in("finance")
    page.goto(f"{live_server.url}/review/{review_round.pk}/")
    page.get_by_role("button", name="Generate PDF funding review for this round").click()
    link = page.get_by_role("button", name="Download the PDF")  # role=button on the link
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename.startswith(f"funding-review-round-{review_round.pk}-")
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 50_000


def test_queued_review_updates_the_page_when_ready(sign_in, live_server, demo_committed):
    page = sign_in("finance")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        page.goto(f"{live_server.url}/funding-reviews/")
        page.get_by_role("link", name="Working Neighbourhoods Fund").click()
        page.get_by_role(
            "button",
            name="Generate PDF funding review for Funding stream: Working Neighbourhoods Fund 2009/10",
        ).click()
        page.get_by_text("Waiting for the background worker").wait_for()
        assert ReportJob.objects.get().status == ReportJob.Status.QUEUED
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.get_by_role("button", name="Download the PDF").wait_for(timeout=10000)  # no reload: htmx polled
    status = page.locator("#report-status")
    assert status.get_by_role("heading", name="Ready").is_visible() and "3 programmes" in status.inner_text()
