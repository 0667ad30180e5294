"""The admin for data stewards. It is not a second write path: programmes, their priorities and
targets are saved through grants.services (the same rules, locks and history as the web pages
and the API); returns and payments are read-only here, and what money depends on is never
deleted (a programme is decommissioned, a payment reversed)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from core.admin_refusals import RefusalsAsMessages
from core.errors import DomainError
from core.forms import domain_errors_as_validation
from grants import models
from grants.services._common import check_within_dates, parse_quarter
from grants.services.budgets import check_budget_covers_awards, check_stream_capacity
from grants.services.programmes import (
    check_priorities,
    check_target_deletable,
    programme_create,
    programme_update,
    target_delete,
    target_save,
)
from grants.services.streams import funding_stream_create, funding_stream_update

# Refusals a person acts on in the admin (the services' own messages are shown as they are).
TARGET_PERIOD_FIXED = (
    "A target's measure and quarter cannot be changed: delete it and add a new one "
    "(a target with returns is changed, never moved)."
)


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
    """The programme's fields and its priorities; ProgrammeAdmin saves them with programme_create
    or programme_update, so the admin runs the services' rules."""

    primary_priority = forms.ModelChoiceField(
        queryset=None, required=False, help_text="The one priority this programme mainly serves."
    )
    other_priorities = forms.ModelMultipleChoiceField(
        queryset=None, required=False, help_text="Any other priorities it serves."
    )

    def __init__(self, *args, **kwargs):
        from outcomes.models import Priority

        super().__init__(*args, **kwargs)
        self.fields["primary_priority"].queryset = Priority.objects.select_related("plan")
        self.fields["other_priorities"].queryset = Priority.objects.select_related("plan")
        if self.instance.pk and not self.is_bound:
            links = list(self.instance.programme_priorities.values_list("priority_id", "is_primary"))
            self.initial["primary_priority"] = next((pid for pid, primary in links if primary), None)
            self.initial["other_priorities"] = [pid for pid, primary in links if not primary]

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
        primary = data.get("primary_priority")
        with domain_errors_as_validation(self):
            check_priorities(self.priority_ids(), primary.pk if primary else None)
        return data

    def priority_ids(self) -> list[int]:
        return [p.pk for p in self.cleaned_data.get("other_priorities") or ()]

    def service_fields(self) -> dict:
        """The cleaned values of the programme's own (not many-to-many) fields."""
        own = {f.name for f in models.Programme._meta.concrete_fields}
        return {name: value for name, value in self.cleaned_data.items() if name in own}


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
class FundingStreamAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    form = FundingStreamForm
    list_display = ["name", "financial_year", "funder", "budget"]
    list_filter = ["financial_year", "funder"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ("name",)}

    def save_model(self, request, obj, form, change) -> None:
        fields = {name: form.cleaned_data[name] for name in FundingStreamForm.Meta.fields}
        if change:
            saved = funding_stream_update(user=request.user, stream=obj, fields=fields)
        else:
            saved = funding_stream_create(user=request.user, fields=fields)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db


class ProgrammePriorityInline(admin.TabularInline):
    """Shown for reference: the priorities are chosen on the programme form (checked and saved by
    the programme services, which keep exactly one primary)."""

    model = models.ProgrammePriority
    extra = 0
    fields = readonly_fields = ["priority", "is_primary"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ProgrammeTargetForm(forms.ModelForm):
    """A target as target_save takes it; the quarter is checked against the programme's dates."""

    class Meta:
        model = models.ProgrammeTarget
        fields = ["programme", "measure", "financial_year", "quarter", "target_value", "tariff"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and any(
            name in self.changed_data for name in ("programme", "measure", "financial_year", "quarter")
        ):
            raise ValidationError(TARGET_PERIOD_FIXED)
        programme = data.get("programme") or getattr(self.instance, "programme", None)
        if programme and programme.start_date and programme.end_date and not self.errors:
            with domain_errors_as_validation(self):
                check_within_dates(parse_quarter(data["financial_year"], data["quarter"]), programme)
        return data


class ProgrammeTargetFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk:
                try:
                    check_target_deletable(form.instance)
                except DomainError as exc:
                    raise ValidationError(f"{form.instance}: {exc.message}") from None


def save_targets(request, formset) -> None:
    """An inline formset of targets, saved one by one with target_save and target_delete."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.initial_forms:
        if form in formset.deleted_forms and form.instance.pk:
            target_delete(user=request.user, target=form.instance)
            formset.deleted_objects.append(form.instance)
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        target = _save_target(request, form)
        if form.instance.pk:
            formset.changed_objects.append((target, form.changed_data))
        else:
            formset.new_objects.append(target)
        form.instance = target


def _save_target(request, form) -> models.ProgrammeTarget:
    data = form.cleaned_data
    target, _ = target_save(
        user=request.user,
        programme=data.get("programme") or form.instance.programme,
        measure=data["measure"],
        financial_year=data["financial_year"],
        quarter=data["quarter"],
        target_value=data["target_value"],
        tariff=data.get("tariff"),
    )
    return target


class ProgrammeTargetInline(admin.TabularInline):
    model = models.ProgrammeTarget
    form = ProgrammeTargetForm
    formset = ProgrammeTargetFormSet
    extra = 0
    autocomplete_fields = ["measure"]


@admin.register(models.Programme)
class ProgrammeAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
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

    def save_model(self, request, obj, form, change) -> None:
        primary = form.cleaned_data.get("primary_priority")
        kwargs = {
            "user": request.user,
            "fields": form.service_fields(),
            "priority_ids": form.priority_ids(),
            "primary_priority_id": primary.pk if primary else None,
            "theme_ids": [t.pk for t in form.cleaned_data.get("themes") or ()],
            "ward_ids": [w.pk for w in form.cleaned_data.get("wards") or ()],
        }
        if change:
            saved = programme_update(programme=obj, **kwargs)
        else:
            saved = programme_create(**kwargs)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def save_related(self, request, form, formsets, change) -> None:
        # No form.save_m2m(): themes, wards and priorities were saved by the service.
        for formset in formsets:
            if formset.model is models.ProgrammeTarget:
                save_targets(request, formset)
            else:  # the priority inline is read-only: nothing of it is saved
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    # Payments, returns and reviews rest on a programme: it is decommissioned, never deleted.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.ProgrammeTarget)
class ProgrammeTargetAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    form = ProgrammeTargetForm
    list_display = ["programme", "measure", "financial_year", "quarter", "target_value", "tariff"]
    list_filter = ["financial_year", "quarter", "measure"]
    search_fields = ["programme__reference", "programme__title"]
    autocomplete_fields = ["programme", "measure"]

    def save_model(self, request, obj, form, change) -> None:
        saved = _save_target(request, form)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def delete_model(self, request, obj) -> None:
        target_delete(user=request.user, target=obj)

    def check_deletable(self, obj) -> None:
        check_target_deletable(obj)

    def get_actions(self, request):
        # One at a time, through target_delete: the bulk action would delete without its check.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


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

    # Read-only: returns are submitted, amended (a new revision), verified and queried through
    # grants.services (the returns pages and the API), never edited in place here.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

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
