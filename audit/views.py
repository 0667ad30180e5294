"""The audit log as a web page for commissioners, finance officers and admins: the same selector
and filters as GET /api/audit/ and the admin page, paginated in SQL."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.display import shown_changes
from audit.forms import AuditFilterForm
from audit.permissions import Action, require
from audit.selectors import AuditFilter, audit_log
from core.http import refusals_as_pages

PAGE_SIZE = 50


@login_required
@refusals_as_pages
def audit_log_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    valid = form.is_valid()
    criteria = form.criteria() if valid else AuditFilter()
    log = audit_log(criteria) if valid or not form.is_bound else None
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page")) if log is not None else None
    filtered = valid and any(form.cleaned_data.get(name) for name in form.fields)
    shown = shown_changes(list(page.object_list)) if page is not None else {}
    return render(
        request, "audit/log.html", {"form": form, "page": page, "filtered": filtered, "shown": shown}
    )
