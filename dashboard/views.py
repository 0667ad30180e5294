"""Pages that draw on several apps: the home page (the plan's priorities with their programmes and
indicators), a priority's page, and indicator tracking (every indicator with its latest RAG
status; one indicator's years, trend chart and contributing programmes)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import refusals_as_pages
from dashboard import selectors
from grants import selectors as grants_selectors
from outcomes.indicator_status import ALL_CODES, latest_status, trend_series, year_statuses


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
    return render(request, "dashboard/home.html", selectors.home_page(request.user))


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
