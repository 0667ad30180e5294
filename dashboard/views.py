"""Pages that draw on several apps: the home page (what needs doing, per role), a priority's page,
indicator tracking (every indicator with its latest RAG status; one indicator's years, trend
chart and contributing programmes) and the ward map."""

from decimal import Decimal
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from accounts.roles import Role, roles_of
from core import clock
from core.http import refusals_as_pages
from dashboard import selectors, wardmap
from dashboard.selectors import home as home_selectors
from dashboard.selectors import wards as ward_selectors
from grants import selectors as grants_selectors
from outcomes.indicator_status import ALL_CODES, latest_status, trend_series, year_statuses
from outcomes.selectors import current_plan


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ALL_CODES else ""
    every = selectors.indicator_rows()
    rows = [r for r in every if r["status"].code == status] if status else every
    return render(
        request,
        "dashboard/indicators/list.html",
        {
            "rows": rows,
            "counts": selectors.status_counts(every),
            "total": len(every),
            "status": status,
            "statuses": ALL_CODES,
        },
    )


@login_required
@refusals_as_pages
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get_visible(user=request.user, pk=pk)
    years = year_statuses(indicator)
    return render(
        request,
        "dashboard/indicators/detail.html",
        {
            "indicator": indicator,
            "tolerance_percent": indicator.tolerance * 100,
            "years": years,
            "chart": trend_series(indicator, years),
            "contributions": selectors.contributing_programmes(request.user, indicator),
            "measures": list(indicator.measures.order_by("name")),
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs doing, for each role the user has: a provider's task list per programme, a
    commissioner's verification, scoring, decisions and what is off target with the portfolio by
    priority, a finance officer's payments, budgets and funding reviews."""
    user, today = request.user, clock.today()
    user_roles = roles_of(user)
    # Lazy: the page is drawn in a fragment cached until the data changes (core.computed), so a
    # home page opened again reads and draws none of this.
    plan_once = cache(current_plan)
    plan = SimpleLazyObject(plan_once)
    context: dict = {
        "plan": plan,
        "today": today,
        "window": settings.YARDSTICK["RETURN_WINDOW_DAYS"],
    }
    sections = context["sections"] = {}
    if user_roles & {Role.COMMISSIONER, Role.ADMIN}:
        sections["commissioner"] = SimpleLazyObject(lambda: _commissioner_tasks(user, plan_once()))
    if user_roles & {Role.FINANCE, Role.ADMIN}:
        sections["finance"] = SimpleLazyObject(lambda: _finance_tasks(user, today))
    if Role.PROVIDER in user_roles:
        sections["provider"] = SimpleLazyObject(lambda: home_selectors.provider_home(user, today=today))
    return render(request, "dashboard/home.html", context)


def _commissioner_tasks(user, plan) -> dict:
    rows, count, total = home_selectors.portfolio_by_primary_priority(user, plan=plan)
    indicators = selectors.indicator_rows()
    return {
        "verification": home_selectors.verification_summary(user),
        "rounds": home_selectors.open_round_tasks(user),
        "off_target": home_selectors.off_target_programmes(user),
        "red_indicators": home_selectors.red_indicators(indicators),
        "priorities": rows,
        "programme_count": count,
        "total_award": total,
        "indicators_by_priority": _indicators_by_priority(indicators),
    }


def _finance_tasks(user, today) -> dict:
    payments = home_selectors.payments_due(user, today=today)
    budgets = home_selectors.budget_alerts(today=today)
    return {
        "overdue": [p for p in payments if p.overdue_since],
        "due": [p for p in payments if not p.overdue_since],
        "payments": payments,
        "over": [b for b in budgets if b.over],
        "near": [b for b in budgets if not b.over],
        "budgets": budgets,
        "reviews": home_selectors.reviews_to_sign_off(),
        "terms_days": home_selectors.PAYMENT_TERMS_DAYS,
        "near_percent": home_selectors.NEAR_COMMITMENT * 100,
    }


def _indicators_by_priority(rows: list[dict]) -> dict[int, list[dict]]:
    by_priority: dict[int, list[dict]] = {}
    for row in rows:
        for priority in row["indicator"].priorities.all():
            by_priority.setdefault(priority.pk, []).append(row)
    return by_priority


@login_required
@refusals_as_pages
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    priority = selectors.priority_get_visible(user=request.user, pk=pk)
    programmes = grants_selectors.programme_list(request.user).filter(programme_priorities__priority=priority)
    indicators = [(i, *latest_status(i)) for i in priority.indicators.prefetch_related("years")]
    return render(
        request,
        "dashboard/priority_detail.html",
        {
            "priority": priority,
            "programmes": programmes,
            "total_award": grants_selectors.total_award(programmes),
            "indicators": indicators,
        },
    )


@login_required
def ward_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/ward_map.html",
        {
            "map": ward_selectors.ward_map(request.user),
            "attribution": wardmap.ATTRIBUTION,
            "ogl_url": wardmap.OGL_URL,
        },
    )


@login_required
@refusals_as_pages
def ward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ward = ward_selectors.ward_get_visible(user=request.user, pk=pk)
    rows = ward_selectors.ward_programmes(request.user, ward)
    return render(
        request,
        "dashboard/ward_detail.html",
        {
            "ward": ward,
            "rows": rows,
            "award": sum((r["award_share"] for r in rows), Decimal("0")),
            "outcomes": sum((r["outcomes_share"] for r in rows), Decimal("0")),
        },
    )
