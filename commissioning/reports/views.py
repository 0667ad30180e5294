"""Web pages for PDF funding reviews (under /funding-reviews/): choose a round, a funding stream
or a financial year; a stream's and a year's page; "Generate PDF"; the job's progress (polled
with htmx) and the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning.models import ReportJob, ReviewRound
from commissioning.permissions import Action, require
from commissioning.reports import services as report_services
from commissioning.reports.selectors import funding_review, job_get_visible, resolve_scope
from core.errors import DomainError
from core.http import refusals_as_pages
from grants.models import FundingStream
from grants.selectors import stream_budgets
from outcomes.periods import year_labels


def _scope(kind: str, key):
    try:
        return resolve_scope(kind, key)
    except DomainError as exc:
        raise Http404(exc.message) from None


@login_required
@refusals_as_pages
def hub(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.FUNDING_REVIEW_GENERATE)
    streams = list(
        FundingStream.objects.select_related("funder")
        .annotate(programme_count=Count("programmes"), awarded=Sum("programmes__award_amount"))
        .order_by("-financial_year", "name")
    )
    years = sorted({s.financial_year for s in streams} | _round_years(), reverse=True)
    return render(
        request,
        "commissioning/reports/hub.html",
        {
            "rounds": ReviewRound.objects.order_by("-first_year", "name"),
            "streams": streams,
            "years": [(y, y.replace("/", "-")) for y in years],
            "jobs": _recent_jobs(request.user),
        },
    )


@login_required
@refusals_as_pages
def stream_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.FUNDING_REVIEW_GENERATE)
    scope = _scope("stream", pk)
    programmes = scope.programmes().select_related("provider")
    line = stream_budgets([scope.stream])[scope.stream.pk]  # as the budgets page and the API
    return render(
        request,
        "commissioning/reports/scope.html",
        {
            "scope": scope,
            "stream": scope.stream,
            "programmes": programmes,
            "awarded": line.awarded,
            "left": line.available,
            "jobs": _recent_jobs(request.user, scope),
            "review_url": review_url(scope),
        },
    )


@login_required
@refusals_as_pages
def year_page(request: HttpRequest, year: str) -> HttpResponse:
    require(request.user, Action.FUNDING_REVIEW_GENERATE)
    scope = _scope("year", year)
    programmes = scope.programmes().select_related("provider", "funding_stream")
    return render(
        request,
        "commissioning/reports/scope.html",
        {
            "scope": scope,
            "programmes": programmes,
            "awarded": programmes.aggregate(total=Sum("award_amount"))["total"] or 0,
            "streams": FundingStream.objects.filter(financial_year=scope.key).order_by("name"),
            "jobs": _recent_jobs(request.user, scope),
            "review_url": review_url(scope),
        },
    )


@login_required
@refusals_as_pages
def review_page(
    request: HttpRequest, kind: str, pk: int | None = None, year: str | None = None
) -> HttpResponse:
    """The funding review as a web page: the PDF's figures from the same FundingReview, for
    reading on screen and with a screen reader."""
    require(request.user, Action.FUNDING_REVIEW_GENERATE)
    scope = _scope(kind, year if kind == "year" else pk)
    review = funding_review(scope, user=request.user)
    return render(
        request,
        "commissioning/reports/review.html",
        {
            "scope": scope,
            "review": review,
            "programmes": sorted(review.programmes, key=lambda p: p.rank),
            "csv_url": reverse(f"{kind}-funding-review-figures", args=[_address_key(scope)]) + "?format=csv",
        },
    )


@login_required
@require_POST
@refusals_as_pages
def generate(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.FUNDING_REVIEW_GENERATE)
    try:
        job = report_services.report_request(
            user=request.user, kind=request.POST.get("scope", ""), key=request.POST.get("key", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("funding-reviews:hub")
    return redirect("funding-reviews:job", pk=job.pk)


@login_required
@refusals_as_pages
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_visible(user=request.user, pk=pk)
    context = {"job": job, "retention_days": report_services.retention_days()}
    return render(request, "commissioning/reports/job.html", context)


@login_required
@refusals_as_pages
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The small fragment the job page polls until the PDF is ready."""
    job = job_get_visible(user=request.user, pk=pk)
    context = {"job": job, "retention_days": report_services.retention_days()}
    return render(request, "commissioning/reports/_status.html", context)


@login_required
@refusals_as_pages
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF; 410 Gone, with a page offering to generate it again, once it has been purged."""
    require(request.user, Action.FUNDING_REVIEW_GENERATE)
    job = ReportJob.objects.select_related("requested_by").filter(pk=pk).first()
    if job is not None and job.is_expired:
        context = {"job": job, "retention_days": report_services.retention_days()}
        return render(request, "commissioning/reports/gone.html", context, status=410)
    if job is None or job.status != ReportJob.Status.DONE:
        raise Http404("That funding review is not ready, or does not exist.")
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def review_url(scope) -> str:
    """The address of the scope's funding review as a web page."""
    return reverse(f"funding-reviews:{scope.kind}-review", args=[_address_key(scope)])


def _address_key(scope) -> str:
    return scope.key.replace("/", "-")  # a year is written 2009-10 in addresses


def _recent_jobs(user, scope=None):
    jobs = ReportJob.objects.defer("pdf").filter(requested_by=user)
    if scope is not None:
        jobs = jobs.filter(scope=scope.kind, scope_key=scope.key)
    return jobs[:10]


def _round_years() -> set[str]:
    years = set()
    for first, last in ReviewRound.objects.values_list("first_year", "last_year"):
        years.update(year_labels(first, last))
    return years
