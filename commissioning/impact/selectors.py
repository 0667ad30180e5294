"""Reads for impact reports: the value-for-money engine's measured impacts, and the reports,
pools and cohorts a user may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from commissioning.impact.estimates import METHOD, MeasuredImpact
from commissioning.impact.models import CohortUpload, ComparisonPool, ImpactReport
from commissioning.impact.permissions import REPORT_NOT_VISIBLE, Action, get_visible, has_permission
from commissioning.impact.presentation import ReportMeta, ReportView, present
from grants.permissions import provider_organisation_ids


def measured_impacts(programme_ids: Iterable[int]) -> dict[tuple[int, int], MeasuredImpact]:
    """(programme_id, measure_id) -> the measured impact of its published (current) report, for
    reports with an estimate; one query. The effect is per matched cohort member, in the measure's
    good direction (0.08 fewer reoffenders per person -> 0.08), with its 95% interval."""
    rows = (
        ImpactReport.objects.filter(
            programme_id__in=list(programme_ids),
            status=ImpactReport.Status.PUBLISHED,
            effect__isnull=False,
        )
        .order_by()
        .values_list("id", "programme_id", "measure_id", "effect", "effect_low", "effect_high", "matched")
    )
    return {
        (programme_id, measure_id): MeasuredImpact(
            effect=effect, low=low, high=high, cohort=matched, method=METHOD, report_id=report_id
        )
        for report_id, programme_id, measure_id, effect, low, high, matched in rows
    }


def reports_visible_to(user) -> QuerySet[ImpactReport]:
    """Staff see every report; a provider sees the published reports of its own programmes."""
    reports = ImpactReport.objects.select_related("programme", "measure", "pool", "cohort")
    if has_permission(Action.REPORT_SEE_ALL, user).allowed:
        return reports
    return reports.filter(
        programme__provider_id__in=provider_organisation_ids(user),
        status=ImpactReport.Status.PUBLISHED,
    )


def report_get_visible(*, user, pk) -> ImpactReport:
    return get_visible(
        reports_visible_to(user), user=user, pk=pk, action=Action.REPORT_VIEW, missing=REPORT_NOT_VISIBLE
    )


def pools_visible_to(user) -> QuerySet[ComparisonPool]:
    if not has_permission(Action.REPORT_SEE_ALL, user).allowed:
        return ComparisonPool.objects.none()
    return ComparisonPool.objects.all()


def report_view(report: ImpactReport) -> ReportView:
    """The report as the page, the API and the PDF show it (one definition of every figure)."""
    meta = ReportMeta(
        report_id=report.pk,
        programme_reference=report.programme.reference,
        programme_title=report.programme.title,
        measure_name=report.measure.name,
        pool_name=report.pool.name,
        status=report.get_status_display(),
        created_at=report.created_at,
        synthetic=report.synthetic,
    )
    return present(meta, report.result)


def cohorts_for(programme_ids: Iterable[int]) -> QuerySet[CohortUpload]:
    return CohortUpload.objects.filter(programme_id__in=list(programme_ids)).select_related("programme")
