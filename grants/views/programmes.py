"""Web pages for programmes: the list (with its spreadsheet export) and a programme's page."""


from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.files import spreadsheets
from core.http import refusals_as_pages
from grants import selectors
from grants.models import FundingStream, Programme


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
@refusals_as_pages
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_visible(
        user=request.user, pk=pk, queryset=selectors.programme_detail(request.user)
    )
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


# --- spreadsheet export of the list ----------------------------------------------------------

PROGRAMME_COLUMNS = [
    "Reference", "Title", "Provider", "Provider org-id", "Funding stream", "Stream year",
    "Primary priority", "Commissioning model", "Status", "Award (£)", "Service fee (£)",
    "Start date", "End date",
]  # fmt: skip

@login_required
def programmes_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The programmes list as a spreadsheet: the page's filters, the user's visibility."""
    programmes, _ = filtered_programmes(request)
    rows = []
    for p in programmes:
        primary = next((link.priority.name for link in p.programme_priorities.all() if link.is_primary), "")
        rows.append([
            p.reference, p.title, p.provider.name, p.provider.org_id, p.funding_stream.name,
            p.funding_stream.financial_year, primary, p.get_commissioning_model_display(),
            p.get_status_display(), p.award_amount, p.service_fee, p.start_date, p.end_date,
        ])  # fmt: skip
    return spreadsheets.download(
        spreadsheets.export_format(fmt),
        PROGRAMME_COLUMNS,
        rows,
        filename=f"programmes-{timezone.localdate():%Y-%m-%d}",
        sheet="Programmes",
        money=("Award (£)", "Service fee (£)"),
    )
