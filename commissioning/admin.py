"""Admin for commissioning: PDF funding review jobs (read-only records of who asked for what,
kept after their PDFs are purged)."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from commissioning.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "scope_label",
        "status",
        "progress",
        "programmes",
        "pages",
        "requested_by",
        "requested_at",
        "finished_at",
        "purged_at",
        "download",
    ]
    list_filter = ["status", "scope", ("purged_at", admin.EmptyFieldListFilter)]
    search_fields = ["scope_label", "requested_by__username"]
    date_hierarchy = "requested_at"
    readonly_fields = [
        "scope",
        "scope_key",
        "scope_label",
        "status",
        "progress",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "programmes",
        "pages",
        "filename",
        "error",
        "purged_at",
        "download",
    ]
    list_select_related = ["requested_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="PDF")
    def download(self, obj):
        if obj.is_expired:
            return f"Purged {date_format(timezone.localtime(obj.purged_at), 'j M Y')}"
        if obj.status != ReportJob.Status.DONE:
            return "–"
        return format_html('<a href="{}">Download</a>', reverse("funding-reviews:download", args=[obj.pk]))
