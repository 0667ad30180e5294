"""The claims ledger in the admin, for data stewards: payable outcomes and claim terms are saved
through the same services as the commissioners' screen; participants, enrolments, claims and
evidence are read-only here (they change through their own services and pages)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from claims import models, services
from claims.models import EvidenceType
from core.admin_refusals import RefusalsAsMessages


class PayableOutcomeForm(forms.ModelForm):
    evidence_types = forms.MultipleChoiceField(
        choices=EvidenceType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = models.PayableOutcome
        fields = [
            "programme", "measure", "tariff", "evidence_types", "sustainment_weeks",
            "earliest_claim_days", "max_claims_per_participant", "exclusivity_group",
        ]  # fmt: skip


@admin.register(models.PayableOutcome)
class PayableOutcomeAdmin(RefusalsAsMessages, admin.ModelAdmin):
    form = PayableOutcomeForm
    list_display = ["programme", "measure", "tariff", "sustainment_weeks", "max_claims_per_participant"]
    list_filter = ["programme"]
    list_select_related = ["programme", "measure"]

    def get_readonly_fields(self, request, obj=None):
        return ["programme", "measure"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.payable_outcome_set(
            user=request.user,
            programme_id=obj.programme_id,
            data=services.PayableOutcomeInput(
                measure_id=obj.measure_id,
                tariff=data["tariff"],
                evidence_types=data["evidence_types"],
                sustainment_weeks=data["sustainment_weeks"],
                earliest_claim_days=data["earliest_claim_days"],
                max_claims_per_participant=data["max_claims_per_participant"],
                exclusivity_group=data.get("exclusivity_group", ""),
            ),
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.payable_outcome_remove(user=request.user, outcome=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.claims.exists())


@admin.register(models.ClaimTerms)
class ClaimTermsAdmin(RefusalsAsMessages, admin.ModelAdmin):
    fields = ["programme", "cap_per_participant"]
    list_display = ["programme", "cap_per_participant"]

    def get_readonly_fields(self, request, obj=None):
        return ["programme"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = services.claim_terms_set(
            user=request.user, programme_id=obj.programme_id, cap_per_participant=obj.cap_per_participant
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["pk", "participant", "programme", "measure", "achieved_on", "price", "status"]
    list_filter = ["status", "programme"]
    list_select_related = ["participant", "programme", "measure"]
    search_fields = ["participant__reference"]


@admin.register(models.Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ["participant", "programme", "start_date"]
    list_select_related = ["participant", "programme"]
    search_fields = ["participant__reference"]


@admin.register(models.EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "claim", "kind", "size", "uploaded_at"]
    exclude = ["file"]  # downloaded through the claim's page, which checks who may see it
