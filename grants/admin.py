from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.forms import domain_errors_as_validation
from grants import models
from grants.services.budgets import check_budget_covers_awards, check_stream_capacity


class FundingStreamForm(forms.ModelForm):
    """The admin runs the same budget rule as the services: awards may not exceed the budget."""

    class Meta:
        model = models.FundingStream
        fields = ["name", "code", "funder", "financial_year", "budget", "description"]

    def clean(self):
        data = super().clean()
        if data.get("budget") is not None:
            with domain_errors_as_validation(self):
                check_budget_covers_awards(self.instance, data["budget"])
        return data


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = models.Programme
        fields = [
            "reference", "title", "description", "provider", "funding_stream", "award_amount",
            "start_date", "end_date", "status", "commissioning_model", "service_fee", "evidence_grade",
            "attribution", "themes", "wards",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("funding_stream") and data.get("award_amount") is not None:
            candidate = models.Programme(
                pk=self.instance.pk,
                funding_stream=data["funding_stream"],
                award_amount=data["award_amount"],
                status=data.get("status") or self.instance.status,
            )
            with domain_errors_as_validation(self):
                check_stream_capacity(candidate)
        return data


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
    form = FundingStreamForm
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
    form = ProgrammeForm
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


class PaymentForm(forms.ModelForm):
    """Adding a payment in the admin runs the same checks as the Payments page and the API."""

    class Meta:
        model = models.Payment
        fields = ["programme", "financial_year", "quarter", "amount", "paid_on", "reference"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            from grants.services import payment_prepare

            with domain_errors_as_validation(self):
                payment_prepare(user=self.acting_user, **data)
        return data


@admin.register(models.Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    form = PaymentForm
    list_display = ["programme", "kind", "financial_year", "quarter", "amount", "paid_on", "reference"]
    list_filter = ["kind", "financial_year", "quarter"]
    search_fields = ["programme__reference", "reference"]
    autocomplete_fields = ["programme"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change) -> None:
        obj.recorded_by = request.user
        obj._history_user = request.user
        obj.save()

    # A payment records money that left the bank: kept as recorded, never edited or deleted here.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
