"""The admin for the outcome framework. Priorities, themes and wards are saved through
outcomes.services (the same rules and history as the web pages); the partnership's and plan's
lists of them are shown for reference, each linking to its own form."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_refusals import RefusalsAsMessages
from outcomes import models, services


class ReadOnlyInline(admin.TabularInline):
    """Listed for reference: each row is added and changed on its own form (through the services)."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WardInline(ReadOnlyInline):
    model = models.Ward
    fields = readonly_fields = ["name", "code"]


class ThemeInline(ReadOnlyInline):
    model = models.Theme
    fields = readonly_fields = ["name", "slug"]


@admin.register(models.Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "org_id"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ThemeInline, WardInline]


class PriorityInline(ReadOnlyInline):
    model = models.Priority
    fields = readonly_fields = ["order", "name", "slug"]


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "partnership", "first_year", "last_year", "is_current"]
    list_filter = ["partnership", "is_current"]
    search_fields = ["title", "version"]
    inlines = [PriorityInline]


class PriorityActionInline(admin.TabularInline):
    model = models.PriorityAction
    extra = 0


@admin.register(models.Priority)
class PriorityAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    """The slug is made from the name when the priority is created, and then kept."""

    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name", "description"]
    fields = ["plan", "name", "order", "description"]
    inlines = [PriorityActionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["plan"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        common = {"user": request.user, "name": data["name"], "description": data.get("description", "")}
        if change:
            saved = services.priority_update(priority=obj, order=data.get("order"), **common)
        else:
            saved = services.priority_create(plan=data["plan"], order=data.get("order"), **common)
        _adopt(obj, saved)

    # Programmes and indicators rest on a priority: it is never deleted here.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.PriorityAction)
class PriorityActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "priority", "financial_year", "order"]
    list_filter = ["priority__plan", "priority", "financial_year"]
    search_fields = ["text"]


@admin.register(models.Theme)
class ThemeAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    list_display = ["name", "partnership"]
    search_fields = ["name"]
    fields = ["partnership", "name", "description"]

    def get_readonly_fields(self, request, obj=None):
        return ["partnership"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        common = {"user": request.user, "name": data["name"], "description": data.get("description", "")}
        if change:
            saved = services.theme_update(theme=obj, **common)
        else:
            saved = services.theme_create(partnership=data["partnership"], **common)
        _adopt(obj, saved)


@admin.register(models.Ward)
class WardAdmin(RefusalsAsMessages, SimpleHistoryAdmin):
    list_display = ["name", "code", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name", "code"]
    fields = ["partnership", "name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["partnership"] if obj is not None else []

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        common = {"user": request.user, "name": data["name"], "code": data.get("code", "")}
        if change:
            saved = services.ward_update(ward=obj, **common)
        else:
            saved = services.ward_create(partnership=data["partnership"], **common)
        _adopt(obj, saved)


def _adopt(obj, saved) -> None:
    """Let the admin carry on (its log entry, its redirect) with the row the service saved."""
    obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db


class IndicatorYearInline(admin.TabularInline):
    model = models.IndicatorYear
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["indicator_code", "title", "unit", "polarity", "frequency"]
    list_filter = ["polarity", "frequency", "priorities"]
    search_fields = ["code", "title"]
    filter_horizontal = ["priorities"]
    inlines = [IndicatorYearInline]

    @admin.display(description="code", ordering="sort_key")
    def indicator_code(self, indicator: models.Indicator) -> str:
        return indicator.code  # sorted naturally: NI 15 before NI 111


@admin.register(models.IndicatorYear)
class IndicatorYearAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "financial_year", "baseline", "target", "actual"]
    list_filter = ["financial_year", "indicator"]
    search_fields = ["indicator__code", "indicator__title"]


@admin.register(models.EvidenceGrade)
class EvidenceGradeAdmin(admin.ModelAdmin):
    """A grade's optimism bias feeds the value for money of every programme graded with it, so a
    grade in use cannot be deleted here (deleting it would silently regrade those programmes with
    the most cautious bias); the bulk delete action is off for the same reason."""

    list_display = ["code", "name", "optimism_bias", "method"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.programmes.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class MeasureCostLineInline(admin.TabularInline):
    """The Unit Cost Database lines a measure's value is made of (docs/vfm.md)."""

    model = models.MeasureCostLine
    extra = 0
    autocomplete_fields = ["cost_line"]
    fields = ["cost_line", "kind", "quantity"]


@admin.register(models.OutcomeMeasure)
class OutcomeMeasureAdmin(SimpleHistoryAdmin):
    inlines = [MeasureCostLineInline]
    list_display = [
        "name", "kind", "unit", "polarity", "high_value_factor", "theme", "indicator", "unit_cost",
        "unit_cost_price_year",
    ]  # fmt: skip
    list_filter = ["kind", "polarity", "theme", "indicator"]
    search_fields = ["name", "code", "unit_cost_source"]
    prepopulated_fields = {"code": ("name",)}


@admin.register(models.UnitCostLine)
class UnitCostLineAdmin(SimpleHistoryAdmin):
    """Loaded by manage.py import_unit_costs (the file is the record): read-only here."""

    list_display = [
        "code",
        "theme",
        "unit",
        "agency",
        "fiscal_value",
        "fiscal_price_year",
        "rag",
        "is_transfer",
    ]
    list_filter = ["theme", "agency", "rag", "is_transfer"]
    search_fields = ["code", "description", "agency", "agency_detail"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeflatorYearInline(ReadOnlyInline):
    model = models.DeflatorYear
    fields = readonly_fields = ["financial_year", "index", "forecast"]
    show_change_link = False


@admin.register(models.DeflatorSeries)
class DeflatorSeriesAdmin(admin.ModelAdmin):
    """Loaded by manage.py load_deflators or import_unit_costs: read-only here."""

    list_display = ["name", "loaded_at"]
    inlines = [DeflatorYearInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
