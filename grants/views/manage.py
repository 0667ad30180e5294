"""Commissioners' management pages: create and change a programme (award, dates, provider,
stream, priorities, themes, wards), its targets as a quarter grid, and funding streams. Every
save goes through grants.services; a refusal is shown on the form and nothing is lost."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.errors import DomainError
from core.forms import add_domain_error
from core.http import refusals_as_pages
from grants import selectors, services
from grants.models import ProgrammeTarget
from grants.permissions import Action, require
from grants.programme_forms import FundingStreamForm, ProgrammeForm, TargetGridForm
from outcomes.models import OutcomeMeasure
from outcomes.periods import Quarter
from outcomes.selectors import current_plan

# --- programmes -------------------------------------------------------------------------------


@login_required
@refusals_as_pages
def programme_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PROGRAMME_CHANGE)
    form = ProgrammeForm(request.POST or None, current_plan=current_plan())
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(user=request.user, **form.service_arguments())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Programme {programme.reference} created. Now set its targets.")
            return redirect("programme-targets", pk=programme.pk)
    return render(request, "grants/manage/programme_form.html", {"form": form, "programme": None})


@login_required
@refusals_as_pages
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_visible(user=request.user, pk=pk)
    require(request.user, Action.PROGRAMME_CHANGE, programme)
    form = ProgrammeForm(request.POST or None, instance=programme, current_plan=current_plan())
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(user=request.user, programme=programme, **form.service_arguments())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Programme {programme.reference} saved.")
            return redirect("programme-detail", pk=programme.pk)
    return render(request, "grants/manage/programme_form.html", {"form": form, "programme": programme})


# --- targets ----------------------------------------------------------------------------------


@login_required
@refusals_as_pages
def programme_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """The quarter grid. `?add=<measure id>` adds a measure's (empty) row to the grid shown."""
    programme = selectors.programme_get_visible(user=request.user, pk=pk)
    require(request.user, Action.PROGRAMME_CHANGE, programme)
    targets = list(ProgrammeTarget.objects.filter(programme=programme).select_related("measure"))
    existing = {(t.measure_id, Quarter.of(t.financial_year, t.quarter)): t for t in targets}
    measures = {t.measure_id: t.measure for t in targets}
    wanted = request.POST.getlist("measure") if request.method == "POST" else request.GET.getlist("add")
    wanted_ids = [int(m) for m in wanted if m.isdigit() and int(m) not in measures]
    for measure in OutcomeMeasure.objects.filter(pk__in=wanted_ids):
        measures[measure.pk] = measure
    rows = sorted(measures.values(), key=lambda m: m.name)
    form = TargetGridForm(request.POST or None, programme=programme, measures=rows, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.targets_save_grid(user=request.user, programme=programme, rows=form.rows())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if changes:
                messages.success(
                    request,
                    f"Targets saved: {len(changes.created)} added, {len(changes.changed)} changed, "
                    f"{len(changes.deleted)} removed.",
                )
            else:
                messages.info(request, "Nothing had changed, so nothing was saved.")
            return redirect("programme-detail", pk=programme.pk)
    addable = OutcomeMeasure.objects.exclude(pk__in=list(measures)).order_by("name")
    return render(
        request,
        "grants/manage/targets.html",
        {"programme": programme, "form": form, "addable": addable, "years": _years(form.quarters)},
    )


def _years(quarters: list[Quarter]) -> list[tuple[str, int]]:
    """The grid's financial years with how many quarter columns each spans."""
    years: dict[str, int] = {}
    for quarter in quarters:
        years[quarter.financial_year.label] = years.get(quarter.financial_year.label, 0) + 1
    return list(years.items())


# --- funding streams --------------------------------------------------------------------------


@login_required
@refusals_as_pages
def stream_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.STREAM_CHANGE)
    form = FundingStreamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stream = services.funding_stream_create(user=request.user, fields=form.service_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Funding stream {stream} created.")
            return redirect("finance-stream", pk=stream.pk)
    return render(request, "grants/manage/stream_form.html", {"form": form, "stream": None})


@login_required
@refusals_as_pages
def stream_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.STREAM_CHANGE)
    stream = selectors.stream_get_visible(user=request.user, pk=pk)
    form = FundingStreamForm(request.POST or None, instance=stream)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_stream_update(user=request.user, stream=stream, fields=form.service_fields())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Funding stream {stream.name} saved.")
            return redirect("finance-stream", pk=stream.pk)
    return render(request, "grants/manage/stream_form.html", {"form": form, "stream": stream})
