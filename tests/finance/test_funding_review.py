"""PDF funding reviews: the figures read back from the PDF equal the API's for the same scope;
page numbers, contents and metadata; who may generate one; the background job, inline and queued."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from commissioning import services
from commissioning.models import ReportJob
from commissioning.reports.services import report_run
from core.formatting import gbp
from grants.models import OutcomeReturn
from tests.factories import OutcomeReturnFactory, ProgrammeFactory, ProgrammeTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_round(portfolio, commissioner):
    """Programme A returns spend and outcomes for all four quarters of 2009/10; B returns
    outcomes but no spend (its cost is estimated); A is scored and has a decision."""
    a, b, measure = portfolio["a"], portfolio["b"], portfolio["measure"]
    for q, (value, spend) in enumerate([(12, "25000"), (9, "24000"), (11, "26500"), (10, "25250")], start=1):
        OutcomeReturnFactory(programme=a, measure=measure, quarter=q, value=Decimal(value), spend=Decimal(spend),
                             status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    for q in (1, 2):
        OutcomeReturnFactory(programme=b, measure=measure, quarter=q, value=Decimal("4"), spend=None,
                             status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    rnd = services.round_create(
        user=commissioner, name="2009/10 review", first_year="2009/10", last_year="2009/10"
    )
    rnd = services.round_transition(user=commissioner, review_round=rnd, to="open")
    for criterion, score in zip(rnd.criteria.order_by("order"), [5, 4, 4, 3, 3], strict=True):
        services.score_record(user=commissioner, review_round=rnd, programme=a, criterion=criterion, score=score,
                              rationale="On the evidence")  # fmt: skip
    services.decision_record(user=commissioner, review_round=rnd, programme=a, outcome="conditions",
                             rationale="Good job outcomes", conditions="Quarterly evidence of sustainment")  # fmt: skip
    return rnd


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page, laid out as on the page (pdftotext -layout; pypdf where poppler is missing)."""
    if pdftotext := shutil.which("pdftotext"):
        out = subprocess.run(  # noqa: S603 (a fixed program on our own bytes)
            [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout
        return out.decode().split("\f")[:-1]
    return [page.extract_text(extraction_mode="layout") for page in PdfReader(io.BytesIO(pdf)).pages]


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def test_round_review_figures_equal_the_api(api, finance, review_round, portfolio):
    client = api(finance)
    response = client.get(f"/api/review-rounds/{review_round.pk}/funding-review.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="funding-review-round-' in response["Content-Disposition"]
    pages = pdf_text(response.content)
    rows = client.get(f"/api/review-rounds/{review_round.pk}/vfm/").json()
    assert len(rows) == 2

    awarded = sum(Decimal(r["award"]) for r in rows)
    cost = sum(Decimal(r["cost"]) for r in rows)
    benefit = sum(Decimal(r["benefit"]) for r in rows)
    spent = sum(Decimal(r["cost"]) for r in rows if not r["cost_estimated"])
    outcomes = sum(Decimal(str(r["outcomes"])) for r in rows)
    summary = pages[2]
    assert "Executive summary" in summary
    for figure in (
        gbp(awarded),
        gbp(spent),
        gbp(cost),
        gbp(benefit),
        f"{outcomes:,.0f}",
        f"{benefit / cost:.2f}",
    ):
        assert figure in summary, figure
    assert spent == Decimal("100750.00")

    ranked = next(p for p in pages[2:] if "Value for money: programmes ranked" in p)
    for row in rows:
        line = line_with(ranked, row["reference"])
        assert line.split()[0] == str(row["rank"])
        assert gbp(Decimal(row["cost"])) in line
        assert gbp(Decimal(row["benefit"])) in line
        assert f"{row['bcr']:.2f}" in line
        assert ("*" in line) == row["cost_estimated"]

    a = next(r for r in rows if r["programme"] == portfolio["a"].pk)
    section = next(p for p in pages[2:] if a["reference"] in p and "Spend returned by quarter" in p)
    measure_line = line_with(section, "Sustained job entries")
    cost_per_outcome = Decimal(a["cost"]) / Decimal(str(a["outcomes"]))
    assert gbp(cost_per_outcome) in measure_line
    assert "Continue with conditions" in section and "Quarterly evidence of sustainment" in section
    for quarter_spend in ("£25,000", "£24,000", "£26,500", "£25,250"):
        assert quarter_spend in line_with(section, "£26,500")  # the 2009/10 row: Q1-Q4 and total
    assert "81.0" in line_with(
        section, "Composite score"
    )  # (5×25 + 4×30 + 4×25 + 3×10 + 3×10) ÷ 100 ÷ 5 × 100


def test_pages_contents_and_metadata(api, finance, review_round):
    pdf = api(finance).get(f"/api/review-rounds/{review_round.pk}/funding-review.pdf").content
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Funding review: Review round: 2009/10 review"
    assert "t-finance" in reader.metadata.author
    pages = pdf_text(pdf)
    total = len(reader.pages)
    assert "Funding review" in pages[0] and "Sign-off" in pages[0] and "t-finance" in pages[0]
    for number in range(2, total + 1):
        assert f"Page {number} of {total}" in pages[number - 1]
    contents = pages[1]
    assert "Contents" in contents
    for title in ("Executive summary", "Spend against budget", "4. Programmes", "Appendix"):
        listed = int(line_with(contents, title).split()[-1])
        assert title in pages[listed - 1].split("\n", 3)[-1], title
    appendix = "\n".join(pages[-2:])
    assert "Test unit cost" in appendix and "£1,000" in appendix and "2009/10" in appendix
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "1. Executive summary" in outline


def test_stream_and_year_reviews_total_what_the_api_lists(api, finance, portfolio):
    stream = portfolio["a"].funding_stream
    client = api(finance)
    response = client.get(f"/api/funding-streams/{stream.pk}/funding-review.pdf")
    assert response.status_code == 200
    listed = client.get("/api/programmes/", {"funding_stream": stream.pk}).json()
    listed = listed.get("results", listed)
    awarded = sum(Decimal(p["award_amount"]) for p in listed)
    summary = pdf_text(response.content)[2]
    assert gbp(awarded) in summary and f"{len(listed)} programmes" in summary

    response = client.get("/api/financial-years/2009-10/funding-review.pdf")
    assert response.status_code == 200
    listed = client.get("/api/programmes/", {"financial_year": "2009/10", "page_size": 100}).json()
    listed = listed.get("results", listed)
    summary = pdf_text(response.content)[2]
    assert gbp(sum(Decimal(p["award_amount"]) for p in listed)) in summary


@pytest.mark.parametrize(
    "url",
    ["/api/review-rounds/{round}/funding-review.pdf", "/api/funding-streams/{stream}/funding-review.pdf",
     "/api/financial-years/2009-10/funding-review.pdf"],
)  # fmt: skip
def test_who_may_generate(api, provider, commissioner, review_round, portfolio, url):
    url = url.format(round=review_round.pk, stream=portfolio["a"].funding_stream_id)
    assert api().get(url).status_code == 401
    assert api(provider).get(url).status_code == 403
    assert api(commissioner).get(url).status_code == 200


def test_unknown_scope_is_404(api, finance):
    client = api(finance)
    assert client.get("/api/review-rounds/999999/funding-review.pdf").status_code == 404
    assert client.get("/api/funding-streams/999999/funding-review.pdf").status_code == 404
    assert client.get("/api/financial-years/2009-11/funding-review.pdf").status_code == 404
    assert client.get("/api/financial-years/next-year/funding-review.pdf").status_code == 404


def test_schema_documents_the_pdf_endpoints(api, finance):
    schema = api(finance).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/review-rounds/{id}/funding-review.pdf", "/api/funding-streams/{id}/funding-review.pdf",
                 "/api/financial-years/{year}/funding-review.pdf"):  # fmt: skip
        responses = schema["paths"][path]["get"]["responses"]
        assert "application/pdf" in responses["200"]["content"]
        assert {"401", "403", "404"} <= set(responses)


def test_generate_from_the_round_page_inline(client, finance, review_round):
    client.force_login(finance)
    page = client.get(f"/review/{review_round.pk}/")
    assert b"Generate PDF" in page.content
    response = client.post("/funding-reviews/generate/", {"scope": "round", "key": review_round.pk})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/funding-reviews/{job.pk}/"
    assert (
        job.status == ReportJob.Status.DONE and job.progress == 100 and job.programmes == 2 and job.pages > 5
    )
    page = client.get(f"/funding-reviews/{job.pk}/")
    assert b"Download the PDF" in page.content and b"hx-trigger" not in page.content
    download = client.get(f"/funding-reviews/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
    assert "Total awarded" in pdf_text(download.content)[2]


def test_stream_and_year_pages_offer_the_pdf(client, finance, portfolio):
    client.force_login(finance)
    stream = portfolio["a"].funding_stream
    hub = client.get("/funding-reviews/")
    assert hub.status_code == 200 and stream.name.encode() in hub.content
    page = client.get(f"/funding-reviews/streams/{stream.pk}/")
    assert page.status_code == 200 and b"Generate PDF" in page.content and b'value="stream"' in page.content
    page = client.get("/funding-reviews/years/2009-10/")
    assert page.status_code == 200 and b"Generate PDF" in page.content and b'value="2009/10"' in page.content
    assert client.get("/funding-reviews/streams/999999/").status_code == 404
    assert client.get("/funding-reviews/years/2009-11/").status_code == 404


def test_pages_refuse_providers(client, provider, review_round):
    client.force_login(provider)
    assert client.get("/funding-reviews/").status_code == 403
    assert (
        client.post("/funding-reviews/generate/", {"scope": "round", "key": review_round.pk}).status_code
        == 403
    )
    assert not ReportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_queued_job_shows_progress_then_the_download(client, finance, review_round):
    from django.core.management import call_command

    client.force_login(finance)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.post("/funding-reviews/generate/", {"scope": "round", "key": review_round.pk})
        job = ReportJob.objects.get()
        assert job.status == ReportJob.Status.QUEUED
        status = client.get(f"/funding-reviews/{job.pk}/status/")
        assert b"Waiting for the background worker" in status.content
        assert f'hx-get="/funding-reviews/{job.pk}/status/"'.encode() in status.content
        assert client.get(response["Location"]).status_code == 200
        assert client.get(f"/funding-reviews/{job.pk}/download/").status_code == 404
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.finished_at is not None
    status = client.get(f"/funding-reviews/{job.pk}/status/")
    assert b"Download the PDF" in status.content and b"hx-get" not in status.content
    assert client.get(f"/funding-reviews/{job.pk}/download/").content.startswith(b"%PDF")


def test_job_failure_is_recorded(finance, review_round, monkeypatch):
    job = ReportJob.objects.create(scope="round", scope_key=str(review_round.pk), scope_label="x",
                                   requested_by=finance)  # fmt: skip

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("commissioning.reports.services.render", broken)
    report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "disk full" in job.error


def test_large_review_splits_tables_with_repeated_headers(finance, django_assert_max_num_queries):
    """120 programmes: the ranked table runs over several pages, each starting with its header row;
    the number of queries does not grow with the number of programmes."""
    from commissioning.reports.pdf.document import render
    from commissioning.reports.selectors import funding_review, resolve_scope
    from tests.factories import FundingStreamFactory, OutcomeMeasureFactory

    stream = FundingStreamFactory(budget=Decimal("99000000"))
    measure = OutcomeMeasureFactory()
    for i in range(120):
        p = ProgrammeFactory(funding_stream=stream, start_date=date(2009, 4, 1), end_date=date(2010, 3, 31))
        ProgrammeTargetFactory(programme=p, measure=measure, quarter=1, target_value=Decimal(10))
        OutcomeReturnFactory(programme=p, measure=measure, quarter=1, value=Decimal(5 + i % 10),
                             spend=Decimal(1000 + i), status="verified", submitted_at=timezone.now())  # fmt: skip
    # 26: the value-for-money reads include the deflator series, the measures' unit cost lines and
    # the published impact reports (docs/vfm.md), each one query whatever the number of programmes.
    with django_assert_max_num_queries(26):
        review = funding_review(resolve_scope("stream", stream.pk), user=finance)
    pages = pdf_text(render(review))
    header = re.compile(r"Rank\s+Ref\s+Programme\s+Provider\s+Cost\s+Benefit")
    row = re.compile(r"^\s*\d+\s+SSP-T\d{4}\s", re.MULTILINE)
    with_rows = [p for p in pages[2:] if row.search(p)]
    assert len(with_rows) >= 3
    assert all(header.search(p) for p in with_rows)
    assert sum(len(row.findall(p)) for p in with_rows) == 120
    assert len(review.programmes) == 120
