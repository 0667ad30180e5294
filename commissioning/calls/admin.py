"""The admin for calls and bids, for data stewards. It is not a second write path: a call's
fields are changed with call_update (the scheme only while a draft), calls are published with
call_publish, clarifications answered with clarification_answer and assessors assigned with
assessor_assign, so the admin runs the services' rules, locks and history. Everything else
(bids and their parts, scores, moderation, the conflicts register, awards) is read-only here: a
write there would bypass blind scoring, closing times or the standstill. Nothing is deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from core.admin_refusals import RefusalsAsMessages
from core.errors import DomainError

from . import models, services
from .services.calls import SCHEME_FIELDS

# What the admin may change on a call (the rest is set where the call is opened: its lots,
# criteria and links, through the web form or the API).
CALL_ADMIN_FIELDS = [
    "title", "kind", "specification", "commissioning_model", "opens_at", "closes_at",
    "clarification_deadline", "service_start", "service_end", "quality_weight", "price_weight",
    "social_value_weight", "quality_threshold", "price_method",
]  # fmt: skip


class NoWrites:
    """Never added, changed or deleted here (shown read-only)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, SimpleHistoryAdmin):
    """Shown with its history; a write here would bypass a rule the services keep."""


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class LotInline(ReadOnlyInline):
    model = models.Lot
    fields = readonly_fields = ["number", "title", "budget"]


class CriterionInline(ReadOnlyInline):
    model = models.Criterion
    fields = readonly_fields = ["kind", "name", "weight", "order"]


class EligibilityInline(ReadOnlyInline):
    model = models.EligibilityQuestion
    fields = readonly_fields = ["order", "text"]


class AssessorInline(ReadOnlyInline):
    model = models.Assessor
    fields = readonly_fields = ["user", "is_lead"]


class ServiceSavedForm(forms.ModelForm):
    """The admin's form validates; the ModelAdmin's save_model writes through a service."""

    def save(self, commit=True):
        return self.instance

    def save_m2m(self) -> None:
        """Links are the services' (set where the call is opened)."""


class CallForm(ServiceSavedForm):
    """A call's own fields, saved by call_update: the services refuse a scheme change once open."""

    class Meta:
        model = models.Call
        fields = CALL_ADMIN_FIELDS


@admin.register(models.Call)
class CallAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    form = CallForm
    list_display = ["reference", "title", "status", "opens_at", "closes_at", "funding_stream"]
    list_filter = ["status", "kind", "commissioning_model"]
    search_fields = ["reference", "title"]
    list_select_related = ["funding_stream"]
    inlines = [LotInline, CriterionInline, EligibilityInline, AssessorInline]
    actions = ["publish"]

    def has_add_permission(self, request):
        return False  # a call is opened with its lots and criteria: the web form or the API

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fixed = ["reference", "status", "funding_stream", "source_programme", "created_by"]
        if obj is not None and obj.status != models.Call.Status.DRAFT:
            # Open or concluded: the scheme is fixed (call_update refuses it), and a concluded
            # call is fixed altogether.
            if obj.status == models.Call.Status.CONCLUDED:
                return fixed + CALL_ADMIN_FIELDS
            return fixed + sorted(SCHEME_FIELDS)
        return fixed

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if changed:  # a refusal is shown as a message, nothing saved (RefusalsAsMessages)
            services.call_update(user=request.user, call=obj, fields=changed)

    @admin.action(description="Publish the selected draft calls")
    def publish(self, request, queryset):
        for call in queryset:
            try:
                services.call_publish(user=request.user, call=call)
            except DomainError as exc:
                self.message_user(request, f"{call.reference}: {_message(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{call.reference}: published.", messages.SUCCESS)


def _message(exc: DomainError) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return " ".join(m for ms in errors.values() for m in (ms if isinstance(ms, list) else [ms]))
    return exc.message


class ClarificationForm(ServiceSavedForm):
    class Meta:
        model = models.Clarification
        fields = ["answer"]


@admin.register(models.Clarification)
class ClarificationAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    """Answering here publishes the answer to every bidder, as the clarification queue does."""

    form = ClarificationForm
    list_display = ["call", "short_question", "asked_at", "published_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["question", "answer", "call__reference"]
    list_select_related = ["call"]
    readonly_fields = ["call", "question", "asked_at", "answered_by", "published_at"]

    def has_add_permission(self, request):
        return False  # bidders ask, through the call page or the API

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Question")
    def short_question(self, obj) -> str:
        return obj.question[:80]

    def save_model(self, request, obj, form, change):
        services.clarification_answer(
            user=request.user, clarification=obj, answer=form.cleaned_data.get("answer", "")
        )


class AssessorForm(ServiceSavedForm):
    class Meta:
        model = models.Assessor
        fields = ["call", "user", "is_lead"]

    def validate_unique(self):
        """assessor_assign adds or updates the row; uniqueness is its business."""


@admin.register(models.Assessor)
class AssessorAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    """Assigning (or making lead) goes through assessor_assign; an assessor is not removed here."""

    form = AssessorForm
    list_display = ["call", "user", "is_lead"]
    list_filter = ["is_lead"]
    list_select_related = ["call", "user"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["call", "user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        row = services.assessor_assign(
            user=request.user,
            call=form.cleaned_data.get("call") or obj.call,
            assessor=form.cleaned_data.get("user") or obj.user,
            is_lead=bool(form.cleaned_data.get("is_lead")),
        )
        obj.pk = row.pk


class ProposedOutcomeInline(ReadOnlyInline):
    model = models.ProposedOutcome
    fields = readonly_fields = ["measure", "financial_year", "quarter", "volume"]


class RateCardInline(ReadOnlyInline):
    model = models.RateCardLine
    fields = readonly_fields = ["measure", "tariff"]


class BudgetLineInline(ReadOnlyInline):
    model = models.BudgetLine
    fields = readonly_fields = ["category", "amount"]


@admin.register(models.Bid)
class BidAdmin(ReadOnlyAdmin):
    """Read-only: a bid is its organisation's to change (before the closing time); excluding
    one is the commissioners' assessment page's."""

    list_display = ["call", "lot", "organisation", "status", "price", "submitted_at", "excluded_reason"]
    list_filter = ["status"]
    search_fields = ["title", "organisation__name", "call__reference"]
    list_select_related = ["call", "lot", "organisation"]
    inlines = [ProposedOutcomeInline, RateCardInline, BudgetLineInline]


@admin.register(models.InterestDeclaration)
class InterestDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["call", "assessor", "organisation", "conflicted", "declared_at"]
    list_filter = ["conflicted"]
    list_select_related = ["call", "assessor", "organisation"]


@admin.register(models.AssessorScore)
class AssessorScoreAdmin(ReadOnlyAdmin):
    list_display = ["bid", "criterion", "assessor", "score", "updated_at"]
    list_select_related = ["bid__organisation", "bid__lot", "criterion", "assessor"]


@admin.register(models.Moderation)
class ModerationAdmin(ReadOnlyAdmin):
    list_display = ["bid", "criterion", "score", "moderated_by", "moderated_at"]
    list_select_related = ["bid__organisation", "bid__lot", "criterion", "moderated_by"]


@admin.register(models.Award)
class AwardAdmin(ReadOnlyAdmin):
    """Read-only: recommending and concluding are the assessment page's and the API's, where the
    standstill and the budget checks apply."""

    list_display = ["lot", "bid", "recommended_on", "standstill_ends", "concluded_at"]
    list_select_related = ["lot__call", "bid__organisation"]
