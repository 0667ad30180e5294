"""Make an impact report (the estimate computed once and kept as it was), and publish it."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone

from claims.models import Enrolment
from commissioning.impact import estimates
from commissioning.impact.models import CohortMember, CohortUpload, ComparisonPool, ImpactReport, PoolMember
from commissioning.impact.permissions import Action, require
from core.db.writes import save_with_history
from core.errors import Conflict, NotFound, ValidationFailed
from grants.selectors import programme_get_visible
from outcomes.models import OutcomeMeasure

COLUMNS = (
    "age",
    "gender",
    "prior_offences",
    "days_since_last_offence",
    "offence_group",
    "employed",
    "outcome",
)
NO_COHORT = (
    "This programme has no cohort data for {outcome}: upload its participants' covariates and outcomes first."
)
NO_COVARIATES = "Choose at least one covariate to match on."
UNKNOWN_COVARIATE = "Unknown covariate {name}."
NOT_A_DRAFT = "Only a draft report can be published; this one is {status}."


def report_create(
    *,
    user,
    programme_id: int,
    measure_id: int,
    pool_id: int,
    covariates: list[str] | None = None,
    with_replacement: bool = False,
) -> ImpactReport:
    require(user, Action.REPORT_MANAGE)
    programme = programme_get_visible(user=user, pk=programme_id)
    measure = OutcomeMeasure.objects.filter(pk=measure_id).first()
    if measure is None:
        raise NotFound("No outcome measure with that id.", field="measure")
    pool = ComparisonPool.objects.filter(pk=pool_id).first()
    if pool is None:
        raise NotFound("No comparison pool with that id.", field="pool")
    kind = estimates.OutcomeKind(pool.outcome_kind)
    chosen = list(covariates) if covariates else [c.name for c in estimates.COVARIATES]
    for name in chosen:
        if name not in estimates.COVARIATES_BY_NAME:
            raise ValidationFailed({"covariates": [UNKNOWN_COVARIATE.format(name=name)]})
    if not chosen:
        raise ValidationFailed({"covariates": [NO_COVARIATES]})
    cohort = CohortUpload.objects.filter(programme=programme, outcome_kind=kind.value).first()
    if cohort is None:
        raise ValidationFailed({"programme": [NO_COHORT.format(outcome=kind.label.lower())]})

    found = CohortMember.objects.filter(upload=cohort).count()
    cohort_rows = _columns(CohortMember.objects.filter(upload=cohort, outcome__isnull=False).order_by("id"))
    programme_people = Enrolment.objects.filter(programme=programme).values("participant__pseudonym")
    pool_rows = _columns(
        PoolMember.objects.filter(pool=pool).exclude(pseudonym__in=programme_people).order_by("id")
    )
    try:
        result = estimates.estimate(
            _sample(cohort_rows),
            _sample(pool_rows),
            kind=kind,
            covariates=chosen,
            settings=estimates.MatchSettings(with_replacement=with_replacement),
        )
    except estimates.EstimationError as exc:
        raise ValidationFailed({"covariates": [str(exc)]}) from exc
    funnel = {
        "submitted": cohort.rows_submitted,
        "found": found,
        "followed_up": len(cohort_rows["outcome"]),
        "matched": result.matched,
        "analysed": result.matched if result.has_estimate else 0,
    }
    report = ImpactReport(
        programme=programme,
        measure=measure,
        pool=pool,
        cohort=cohort,
        outcome_kind=kind.value,
        covariates=chosen,
        with_replacement=with_replacement,
        result={"estimate": result.to_dict(), "funnel": funnel},
        cohort_submitted=cohort.rows_submitted,
        matched=result.matched,
        refusal=result.refusal,
        synthetic=pool.synthetic or cohort.synthetic,
        created_by=user,
    )
    with transaction.atomic():
        save_with_history(report, user)
        impact = result.measured_impact(report.pk)
        if impact is not None:
            report.effect, report.effect_low, report.effect_high = impact.effect, impact.low, impact.high
            save_with_history(report, user)
    return report


def report_publish(*, user, report: ImpactReport) -> ImpactReport:
    """Publish a draft: providers then see it, and the value-for-money engine uses its estimate.
    The programme's earlier published report for the measure is superseded."""
    require(user, Action.REPORT_MANAGE)
    with transaction.atomic():
        report = ImpactReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ImpactReport.Status.DRAFT:
            raise Conflict(NOT_A_DRAFT.format(status=report.get_status_display().lower()))
        for earlier in ImpactReport.objects.select_for_update().filter(
            programme_id=report.programme_id,
            measure_id=report.measure_id,
            status=ImpactReport.Status.PUBLISHED,
        ):
            earlier.status = ImpactReport.Status.SUPERSEDED
            save_with_history(earlier, user)
        report.status = ImpactReport.Status.PUBLISHED
        report.published_at = timezone.now()
        save_with_history(report, user)
    return report


def _columns(queryset) -> dict[str, np.ndarray]:
    rows = list(queryset.values_list(*COLUMNS))
    if not rows:
        return {name: np.zeros(0) for name in COLUMNS}
    columns = list(zip(*rows, strict=True))
    out = {name: np.asarray(values) for name, values in zip(COLUMNS, columns, strict=True)}
    out["employed"] = out["employed"].astype(int)
    out["outcome"] = out["outcome"].astype(float)
    for name in ("age", "prior_offences", "days_since_last_offence"):
        out[name] = out[name].astype(float)
    return out


def _sample(columns: dict[str, np.ndarray]) -> estimates.Sample:
    return estimates.Sample({k: v for k, v in columns.items() if k != "outcome"}, columns["outcome"])
