from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from outcomes import models


class WardInline(admin.TabularInline):
    model = models.Ward
    extra = 0


class ThemeInline(admin.TabularInline):
    model = models.Theme
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "org_id"]
    search_fields = ["name", "area"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ThemeInline, WardInline]


class PriorityInline(admin.TabularInline):
    model = models.Priority
    extra = 0
    fields = ["order", "name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    show_change_link = True


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
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PriorityActionInline]


@admin.register(models.PriorityAction)
class PriorityActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "priority", "financial_year", "order"]
    list_filter = ["priority__plan", "priority", "financial_year"]
    search_fields = ["text"]


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name", "code"]


class IndicatorYearInline(admin.TabularInline):
    model = models.IndicatorYear
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "unit", "polarity", "frequency"]
    list_filter = ["polarity", "frequency", "priorities"]
    search_fields = ["code", "title"]
    filter_horizontal = ["priorities"]
    inlines = [IndicatorYearInline]


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

    list_display = ["code", "name", "optimism_bias"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.programmes.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(models.OutcomeMeasure)
class OutcomeMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "polarity", "theme", "indicator", "unit_cost", "unit_cost_price_year"]
    list_filter = ["polarity", "theme", "indicator"]
    search_fields = ["name", "code", "unit_cost_source"]
    prepopulated_fields = {"code": ("name",)}
