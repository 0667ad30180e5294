"""The audit log in the admin: a read-only page with the same filters as GET /api/audit/."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from audit.forms import AuditFilterForm
from audit.permissions import Action, has_permission
from audit.selectors import AuditFilter, audit_log


def audit_log_view(request):
    allowed, reason = has_permission(Action.AUDIT_VIEW, request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = AuditFilterForm(request.GET or None)
    criteria = form.criteria() if form.is_valid() else AuditFilter()
    page = Paginator(audit_log(criteria), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **admin.site.each_context(request),
        "title": "Audit log",
        "subtitle": None,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "admin/audit/log.html", context)


admin.site.register_view(
    "audit/",
    audit_log_view,
    name="audit-log",
    title="Audit log",
    app_label="audit",
    app_name="Audit",
    allowed=lambda user: has_permission(Action.AUDIT_VIEW, user).allowed,
)
