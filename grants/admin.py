from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grants import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_id", "org_type"]
    list_filter = ["org_type"]
    search_fields = ["name", "org_id"]
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "job_title"]
    list_filter = ["organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(models.FundingStream)
class FundingStreamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "financial_year", "funder", "budget"]
    list_filter = ["financial_year", "funder"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ("name",)}


class ProgrammePriorityInline(admin.TabularInline):
    model = models.ProgrammePriority
    extra = 0


class ProgrammeTargetInline(admin.TabularInline):
    model = models.ProgrammeTarget
    extra = 0
    autocomplete_fields = ["measure"]


@admin.register(models.Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "provider",
        "funding_stream",
        "award_amount",
        "status",
        "commissioning_model",
    ]
    list_filter = ["status", "commissioning_model", "funding_stream", "provider", "priorities"]
    search_fields = ["reference", "title", "description", "provider__name"]
    autocomplete_fields = ["provider"]
    filter_horizontal = ["themes", "wards"]
    date_hierarchy = "start_date"
    inlines = [ProgrammePriorityInline, ProgrammeTargetInline]


@admin.register(models.ProgrammeTarget)
class ProgrammeTargetAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "measure", "financial_year", "quarter", "target_value", "tariff"]
    list_filter = ["financial_year", "quarter", "measure"]
    search_fields = ["programme__reference", "programme__title"]
    autocomplete_fields = ["programme", "measure"]


@admin.register(models.OutcomeReturn)
class OutcomeReturnAdmin(SimpleHistoryAdmin):
    list_display = [
        "programme",
        "measure",
        "financial_year",
        "quarter",
        "value",
        "spend",
        "status",
        "revision",
        "is_late",
    ]
    list_filter = ["status", "is_late", "financial_year", "quarter", "measure"]
    search_fields = ["programme__reference", "programme__title", "notes"]
    autocomplete_fields = ["programme", "measure"]
    readonly_fields = ["revision", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Returns are never deleted: they are the evidence behind payments and reviews.
        return False


@admin.register(models.Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "financial_year", "quarter", "amount", "paid_on", "reference"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["programme__reference", "reference"]
    autocomplete_fields = ["programme"]
