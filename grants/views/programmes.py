"""Web pages for programmes: the list (filters, sort, pages; its spreadsheet export) and a
programme's page."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from core import clock
from core.files import spreadsheets
from core.http import refusals_as_pages
from grants import panels, selectors
from grants.filters import SORT_LABELS, ProgrammeListFilter
from grants.permissions import Action, has_permission

PAGE_SIZE = 25


def filtered_programmes(request: HttpRequest) -> tuple[QuerySet, ProgrammeListFilter]:
    """The programme list's filters and sort (grants.filters), shared with its CSV/Excel export.
    Invalid filters narrow nothing: the page shows their errors beside them."""
    programmes = selectors.programme_rows(request.user).order_by("reference")
    filters = ProgrammeListFilter(request.GET or None, queryset=programmes, user=request.user)
    return (filters.qs if filters.is_valid() else programmes), filters


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    # Lazy: the template draws the filters and the list in a fragment cached until the data
    # changes (core.computed), so a list opened again builds none of them.
    listing = cache(lambda: filtered_programmes(request))
    filters = SimpleLazyObject(lambda: listing()[1])
    page = SimpleLazyObject(lambda: Paginator(listing()[0], PAGE_SIZE).get_page(request.GET.get("page")))
    return render(
        request,
        "grants/programme_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": SimpleLazyObject(lambda: filters.is_bound and filters.active),
            "columns": SimpleLazyObject(lambda: _sortable_columns(request, request.GET.get("sort", ""))),
            "may_create": has_permission(Action.PROGRAMME_CHANGE, request.user).allowed,
        },
    )


def _sortable_columns(request: HttpRequest, sort: str) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (ascending, or descending when it is
    already sorted ascending) and its aria-sort state."""
    columns = {}
    for key, label in SORT_LABELS.items():
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if sort == key else key
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else "none"
        if not sort and key == "reference":
            state, query["sort"] = "ascending", "-reference"
        columns[key] = {"label": label, "href": f"?{query.urlencode()}", "aria_sort": state}
    return columns


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
            "may_change": has_permission(Action.PROGRAMME_CHANGE, request.user, programme).allowed,
            "panels": panels.render(request, programme),
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
        rows.append([
            p.reference, p.title, p.provider.name, p.provider.org_id, p.funding_stream.name,
            p.funding_stream.financial_year, p.primary_priority or "", p.get_commissioning_model_display(),
            p.get_status_display(), p.award_amount, p.service_fee, p.start_date, p.end_date,
        ])  # fmt: skip
    return spreadsheets.download(
        spreadsheets.export_format(fmt),
        PROGRAMME_COLUMNS,
        rows,
        filename=f"programmes-{clock.today():%Y-%m-%d}",
        sheet="Programmes",
        money=("Award (£)", "Service fee (£)"),
    )
