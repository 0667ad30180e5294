"""Web pages for the portfolio. Views parse the request, call selectors, render."""

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from grants import selectors
from grants.models import FundingStream, Programme
from outcomes.indicator_status import latest_status
from outcomes.models import Priority
from outcomes.selectors import current_plan, plan_priorities


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    rows = []
    if plan is not None:
        programmes = list(selectors.programme_list(request.user))
        by_priority: dict[int, list[Programme]] = defaultdict(list)
        for programme in programmes:
            for link in programme.programme_priorities.all():
                by_priority[link.priority_id].append(programme)
        for priority in plan_priorities(plan):
            linked = by_priority.get(priority.id, [])
            rows.append(
                {
                    "priority": priority,
                    "programmes": linked,
                    "total_award": sum((p.award_amount for p in linked), Decimal("0")),
                    "indicators": [(i, *latest_status(i)) for i in priority.indicators.all()],
                }
            )
        portfolio_total = sum((p.award_amount for p in programmes), Decimal("0"))
    else:
        programmes, portfolio_total = [], Decimal("0")
    return render(
        request,
        "grants/home.html",
        {
            "plan": plan,
            "rows": rows,
            "programme_count": len(programmes),
            "portfolio_total": portfolio_total,
        },
    )


def filtered_programmes(request: HttpRequest) -> tuple:
    """The programmes list's filters (stream, status, q), shared with its CSV/Excel export."""
    programmes = selectors.programme_list(request.user).order_by("reference")
    stream = request.GET.get("stream")
    status = request.GET.get("status")
    query = request.GET.get("q", "").strip()
    if stream and stream.isdigit():
        programmes = programmes.filter(funding_stream_id=int(stream))
    if status in Programme.Status.values:
        programmes = programmes.filter(status=status)
    if query:
        programmes = programmes.filter(title__icontains=query)
    return programmes, {"stream": stream or "", "status": status or "", "q": query}


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    programmes, filters = filtered_programmes(request)
    page = Paginator(programmes, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/programme_list.html",
        {
            "page": page,
            "streams": FundingStream.objects.order_by("name"),
            "statuses": Programme.Status.choices,
            "filters": filters,
        },
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_detail(request.user).filter(pk=pk).first()
    if programme is None:
        raise Http404("No programme with that number is visible to you.")
    returns = selectors.returns_visible_to(request.user).filter(programme=programme)
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": programme,
            "targets_by_year": selectors.targets_by_year(programme),
            "returns": returns.select_related("measure", "submitted_by").order_by(
                "-financial_year", "-quarter", "measure__name"
            ),
            "history": selectors.programme_history(programme),
        },
    )


@login_required
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority.objects.select_related("plan").prefetch_related("actions"), pk=pk)
    programmes = selectors.programme_list(request.user).filter(programme_priorities__priority=priority)
    indicators = [(i, *latest_status(i)) for i in priority.indicators.prefetch_related("years")]
    return render(
        request,
        "grants/priority_detail.html",
        {
            "priority": priority,
            "programmes": programmes,
            "total_award": selectors.total_award(programmes),
            "indicators": indicators,
        },
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found: no API endpoint or object at this address."}, status=404)
    message = str(exception) if exception and str(exception) else ""
    if not message or "Resolver404" in message or message.startswith("{"):
        message = "There is no page at this address. It may have moved, or the link may be mistyped."
    return render(request, "404.html", {"message": message}, status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"message": str(exception or "")}, status=403)
