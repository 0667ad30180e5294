"""Indicator tracking pages: every indicator with its latest RAG status, and one indicator's
years, trend chart and contributing programmes."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from grants import indicator_selectors as selectors
from outcomes.indicator_status import ALL_CODES, trend_series, year_statuses


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ALL_CODES else ""
    every = selectors.indicator_rows()
    rows = [r for r in every if r["status"].code == status] if status else every
    return render(
        request,
        "grants/indicators/list.html",
        {
            "rows": rows,
            "counts": selectors.status_counts(every),
            "total": len(every),
            "status": status,
            "statuses": ALL_CODES,
        },
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicators_for_tracking().filter(pk=pk).first()
    if indicator is None:
        raise Http404("There is no indicator with that number.")
    years = year_statuses(indicator)
    return render(
        request,
        "grants/indicators/detail.html",
        {
            "indicator": indicator,
            "tolerance_percent": indicator.tolerance * 100,
            "years": years,
            "chart": trend_series(indicator, years),
            "contributions": selectors.contributing_programmes(request.user, indicator),
            "measures": list(indicator.measures.order_by("name")),
        },
    )
