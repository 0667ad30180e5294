"""Impact report pages (under /impact/): the list, a report (page and PDF), uploads of comparison
pools and cohort data, making and publishing a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commissioning.impact import pdf, rows, selectors, services
from commissioning.impact.estimates import OutcomeKind
from commissioning.impact.forms import CohortUploadForm, PoolUploadForm, ReportForm
from commissioning.impact.models import CohortUpload, ImpactReport
from commissioning.impact.permissions import Action, has_permission, require
from commissioning.impact.presentation import count_text
from core.errors import DomainError, ValidationFailed
from core.files.uploads import read_limited
from core.http import refusals_as_pages
from grants.permissions import provider_organisation_ids
from grants.selectors import programmes_visible_to
from outcomes.models import OutcomeMeasure


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff = has_permission(Action.REPORT_SEE_ALL, user).allowed
    reports = selectors.reports_visible_to(user).order_by("-created_at", "-id")
    programmes = programmes_visible_to(user)
    context = {
        "reports": reports,
        "staff": staff,
        "can_manage": has_permission(Action.REPORT_MANAGE, user).allowed,
        "pools": selectors.pools_visible_to(user).order_by("-created_at")[:20] if staff else [],
        "cohorts": selectors.cohorts_for(programmes.values_list("id", flat=True)).order_by("-created_at")[
            :20
        ],
        "can_upload_cohort": has_permission(Action.REPORT_MANAGE, user).allowed
        or bool(provider_organisation_ids(user)),
    }
    return render(request, "impact/report_list.html", context)


@login_required
@refusals_as_pages
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_visible(user=request.user, pk=pk)
    view = selectors.report_view(report)
    context = {
        "report": report,
        "view": view,
        "can_publish": report.status == ImpactReport.Status.DRAFT
        and has_permission(Action.REPORT_MANAGE, request.user).allowed,
    }
    return render(request, "impact/report_detail.html", context)


@login_required
@refusals_as_pages
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_visible(user=request.user, pk=pk)
    response = HttpResponse(pdf.render(selectors.report_view(report)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="impact-report-{report.pk}.pdf"'
    return response


@login_required
@require_POST
@refusals_as_pages
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_visible(user=request.user, pk=pk)
    try:
        services.report_publish(user=request.user, report=report)
        messages.success(request, f"Published report {report.pk}: the provider can see it.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("impact:report", pk=report.pk)


@login_required
@refusals_as_pages
def report_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REPORT_MANAGE)
    with_cohorts = CohortUpload.objects.values("programme_id")
    programmes = programmes_visible_to(request.user).filter(pk__in=with_cohorts).order_by("reference")
    form = ReportForm(
        request.POST or None,
        programmes=programmes,
        measures=OutcomeMeasure.objects.order_by("name"),
        pools=selectors.pools_visible_to(request.user).order_by("-created_at"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                user=request.user,
                programme_id=data["programme"],
                measure_id=data["measure"],
                pool_id=data["pool"],
                covariates=data["covariates"],
                with_replacement=data["with_replacement"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Report {report.pk} made as a draft: check it, then publish it.")
            return redirect("impact:report", pk=report.pk)
    return render(request, "impact/report_new.html", {"form": form})


@login_required
@refusals_as_pages
def pool_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.POOL_MANAGE)
    form = PoolUploadForm(request.POST or None, request.FILES or None)
    row_errors: dict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            good, errors = _parse(data["file"], data["outcome_kind"], cohort=False)
            pool = services.pool_upload(
                user=request.user,
                name=data["name"],
                outcome_kind=data["outcome_kind"],
                rows=good,
                errors=errors,
                description=data["description"],
                source_name=data["file"].name,
            )
        except ValidationFailed as exc:
            row_errors = exc.extra.get("rows") or {}
            _form_error(form, exc)
        else:
            messages.success(
                request,
                f"Saved the pool {pool.name}: {count_text(pool.rows_submitted - pool.rows_enrolled)} people "
                f"({count_text(pool.rows_enrolled)} left out as enrolled on a programme).",
            )
            return redirect("impact:reports")
    return render(
        request,
        "impact/upload.html",
        {"form": form, "row_errors": sorted(row_errors.items()), "what": "pool"},
    )


@login_required
@refusals_as_pages
def cohort_upload(request: HttpRequest) -> HttpResponse:
    programmes = programmes_visible_to(request.user).order_by("reference")
    programmes = [p for p in programmes if has_permission(Action.COHORT_UPLOAD, request.user, p).allowed]
    form = CohortUploadForm(request.POST or None, request.FILES or None, programmes=programmes)
    row_errors: dict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            good, errors = _parse(data["file"], data["outcome_kind"], cohort=True)
            upload = services.cohort_upload(
                user=request.user,
                programme_id=data["programme"],
                outcome_kind=data["outcome_kind"],
                rows=good,
                errors=errors,
                source_name=data["file"].name,
            )
        except ValidationFailed as exc:
            row_errors = exc.extra.get("rows") or {}
            _form_error(form, exc)
        except DomainError as exc:
            form.add_error("programme", exc.message)
        else:
            found = upload.rows_submitted - upload.rows_not_found
            messages.success(
                request,
                f"Saved cohort data for {upload.programme.reference}: {count_text(found)} enrolled "
                f"participants found, {count_text(upload.rows_not_found)} rows not enrolled on the "
                "programme.",
            )
            return redirect("impact:reports")
    return render(
        request,
        "impact/upload.html",
        {"form": form, "row_errors": sorted(row_errors.items()), "what": "cohort"},
    )


def _parse(upload, outcome_kind: str, *, cohort: bool):
    data = read_limited(upload, rows.MAX_UPLOAD_BYTES)
    table = rows.read_table(data, upload.name)
    return rows.parse_rows(table, kind=OutcomeKind(outcome_kind), cohort=cohort)


def _form_error(form, exc: DomainError) -> None:
    errors = exc.errors if isinstance(exc, ValidationFailed) else {exc.field or "__all__": [exc.message]}
    for name, messages_ in errors.items():
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)
