"""Web pages for setting up the plan: its priorities, the partnership's themes and wards.
Staff read the page; commissioners add and change through outcomes.services."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError, NotFound
from core.forms import add_domain_error
from core.http import refusals_as_pages
from outcomes import services
from outcomes.forms import PriorityForm, ThemeForm, WardForm
from outcomes.models import Partnership, Priority, Theme, Ward
from outcomes.permissions import Action, has_permission, require
from outcomes.selectors import current_plan

NO_PLAN = "There is no plan yet: an admin sets up the partnership and its plan first."


@login_required
@refusals_as_pages
def framework(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.FRAMEWORK_VIEW)
    plan = current_plan()
    partnership = plan.partnership if plan else Partnership.objects.first()
    with_programmes = Count("programmes", distinct=True)
    return render(
        request,
        "outcomes/framework.html",
        {
            "plan": plan,
            "priorities": plan.priorities.annotate(programme_count=with_programmes) if plan else [],
            "themes": Theme.objects.filter(partnership=partnership).annotate(programme_count=with_programmes),
            "wards": Ward.objects.filter(partnership=partnership).annotate(programme_count=with_programmes),
            "may_change": has_permission(Action.FRAMEWORK_CHANGE, request.user).allowed,
        },
    )


def _partnership() -> Partnership:
    plan = current_plan()
    partnership = plan.partnership if plan else Partnership.objects.first()
    if partnership is None:
        raise NotFound(NO_PLAN)
    return partnership


def _edit(request: HttpRequest, form: type, initial: dict, save: Callable[[dict], object], context: dict):
    """Show `form`; on a valid POST call `save(cleaned_data)` (a service), then back to the list."""
    require(request.user, Action.FRAMEWORK_CHANGE)
    bound = form(request.POST or None, initial=initial)
    if request.method == "POST" and bound.is_valid():
        try:
            saved = save(bound.cleaned_data)
        except DomainError as exc:
            add_domain_error(bound, exc)
        else:
            messages.success(request, f"{context['noun'].capitalize()} “{saved}” saved.")
            return redirect("framework")
    return render(request, "outcomes/edit.html", {"form": bound, **context})


@login_required
@refusals_as_pages
def priority_new(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    if plan is None:
        raise NotFound(NO_PLAN)
    return _edit(
        request,
        PriorityForm,
        {},
        lambda data: services.priority_create(user=request.user, plan=plan, **data),
        {"noun": "priority", "title": f"Add a priority to {plan}", "plan": plan},
    )


@login_required
@refusals_as_pages
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority.objects.select_related("plan"), pk=pk)
    return _edit(
        request,
        PriorityForm,
        {"name": priority.name, "order": priority.order, "description": priority.description},
        lambda data: services.priority_update(user=request.user, priority=priority, **data),
        {"noun": "priority", "title": f"Change the priority “{priority.name}”", "plan": priority.plan,
         "history": priority.history.select_related("history_user")[:20]},
    )  # fmt: skip


@login_required
@refusals_as_pages
def theme_new(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        ThemeForm,
        {},
        lambda data: services.theme_create(user=request.user, partnership=_partnership(), **data),
        {"noun": "theme", "title": "Add a cross-cutting theme"},
    )


@login_required
@refusals_as_pages
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    return _edit(
        request,
        ThemeForm,
        {"name": theme.name, "description": theme.description},
        lambda data: services.theme_update(user=request.user, theme=theme, **data),
        {"noun": "theme", "title": f"Change the theme “{theme.name}”",
         "history": theme.history.select_related("history_user")[:20]},
    )  # fmt: skip


@login_required
@refusals_as_pages
def ward_new(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        WardForm,
        {},
        lambda data: services.ward_create(user=request.user, partnership=_partnership(), **data),
        {"noun": "ward", "title": "Add a ward"},
    )


@login_required
@refusals_as_pages
def ward_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ward = get_object_or_404(Ward, pk=pk)
    return _edit(
        request,
        WardForm,
        {"name": ward.name, "code": ward.code},
        lambda data: services.ward_update(user=request.user, ward=ward, **data),
        {"noun": "ward", "title": f"Change the ward “{ward.name}”",
         "history": ward.history.select_related("history_user")[:20]},
    )  # fmt: skip
