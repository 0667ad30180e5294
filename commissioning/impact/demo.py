"""Demo impact reports (synthetic: generated people, labelled so everywhere): a reoffending
programme with a real effect (SSP-0918, through-the-gate resettlement) and an employment programme
whose interval spans zero (SSP-0924, employment support on estates). Create-only and safe to
repeat: each part is made once, found by its name or its programme.

Needs the participant key (PARTICIPANT_KEY; `make run` writes one to .env): without it nobody can
be pseudonymised, and the impact demo is skipped with a message.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from claims import pseudonyms
from claims.keys import configured_chain
from claims.models import Enrolment
from claims.services.participants import EnrolmentInput, participant_enrol
from commissioning.impact import services, synthetic
from commissioning.impact.models import CohortUpload, ComparisonPool, ImpactReport
from commissioning.impact.rows import PersonRow
from core import clock
from core.errors import Conflict
from grants.models import Programme
from outcomes.models import OutcomeMeasure

# programme, measure code, outcome, cohort size, planted effect, pool size, seeds, NI prefixes
DEMOS = (
    ("SSP-0918", "not-reconvicted", "reoffence", 400, -0.12, 12000, (1801, 1802), ("JT", "CE")),
    ("SSP-0924", "sustained-job-entries", "employment_days", 300, 0.0, 9000, (2401, 2402), ("KE", "CH")),
)
POOL_NAME = "Synthetic demo pool for {reference}: {outcome}"


def load(log=print) -> Counter:
    created: Counter = Counter()
    if not configured_chain():
        log("Impact demo skipped: no participant key (PARTICIPANT_KEY) to pseudonymise people with.")
        return created
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "commissioner"])}
    if len(users) < 2:
        return created
    for reference, code, outcome, size, effect, pool_size, seeds, prefixes in DEMOS:
        programme = Programme.objects.filter(reference=reference).first()
        measure = OutcomeMeasure.objects.filter(code=code).first()
        if programme is None or measure is None:
            continue
        _demo(programme, measure, outcome, size, effect, pool_size, seeds, prefixes, users, created, log)
    return created


def _demo(programme, measure, outcome, size, effect, pool_size, seeds, prefixes, users, created, log) -> None:
    admin, commissioner = users["admin"], users["commissioner"]
    cohort_seed, pool_seed = seeds
    cohort_prefix, pool_prefix = prefixes
    people = synthetic.people(size, cohort=True, kind=outcome, effect=effect, seed=cohort_seed)
    references = _enrol(programme, size, cohort_prefix, admin, created)
    if len(references) < 60:
        log(f"Impact demo for {programme.reference} skipped: too few participants could be enrolled.")
        return

    pool_name = POOL_NAME.format(reference=programme.reference, outcome=outcome.replace("_", " "))
    pool = ComparisonPool.objects.filter(name=pool_name).first()
    if pool is None:
        pool_people = synthetic.people(pool_size, cohort=False, kind=outcome, seed=pool_seed)
        rows = _rows(
            pool_people, [pseudonyms.normalise_ni_number(_ni(pool_prefix, i)) for i in range(pool_size)]
        )
        pool = services.pool_upload(
            user=commissioner,
            name=pool_name,
            outcome_kind=outcome,
            rows=rows,
            description="Synthetic: generated people, not real data, for the demonstration.",
            synthetic=True,
        )
        ComparisonPool.objects.filter(pk=pool.pk).update(created_at=_demo_moment(days_before=21))
        created["impact comparison pools"] += 1

    if not CohortUpload.objects.filter(programme=programme, outcome_kind=outcome).exists():
        cohort = services.cohort_upload(
            user=admin,
            programme_id=programme.pk,
            outcome_kind=outcome,
            rows=_rows(people, [""] * len(references), references),
            source_name="synthetic demo cohort",
            synthetic=True,
        )
        CohortUpload.objects.filter(pk=cohort.pk).update(created_at=_demo_moment(days_before=14))
        created["impact cohorts"] += 1

    if not ImpactReport.objects.filter(programme=programme, measure=measure).exists():
        report = services.report_create(
            user=commissioner, programme_id=programme.pk, measure_id=measure.pk, pool_id=pool.pk
        )
        services.report_publish(user=commissioner, report=report)
        ImpactReport.objects.filter(pk=report.pk).update(
            created_at=_demo_moment(days_before=10), published_at=_demo_moment(days_before=7)
        )
        created["impact reports"] += 1
        log(
            f"Impact report {report.pk} for {programme.reference}: {report.matched} matched (synthetic data)."
        )


def _demo_moment(*, days_before: int) -> datetime:
    """A time in the demo's own weeks (before its pinned today), so uploads and reports are not
    dated years after the partnership's today."""
    return datetime.combine(
        clock.today() - timedelta(days=days_before), time(10, 0), ZoneInfo("Europe/London")
    )


def _ni(prefix: str, number: int) -> str:
    return f"{prefix}{number:06d}A"


def _enrol(programme, size: int, prefix: str, admin, created: Counter) -> list[str]:
    """The programme's synthetic participants, enrolled through the enrolment service (once)."""
    start = max(programme.start_date, date(2009, 4, 1))
    have = len(_references(programme, size))
    number = 0
    while have < size and number < 3 * size:
        try:
            participant_enrol(
                user=admin,
                data=EnrolmentInput(
                    programme_id=programme.pk,
                    start_date=start + timedelta(days=(number * 7) % 180),
                    ni_number=_ni(prefix, number),
                    synthetic=True,
                ),
            )
        except Conflict:  # enrolled by an earlier run
            pass
        else:
            have += 1
            created["synthetic enrolments"] += 1
        number += 1
    return _references(programme, size)


def _references(programme, size: int) -> list[str]:
    return list(
        Enrolment.objects.filter(programme=programme, participant__synthetic=True)
        .order_by("id")
        .values_list("participant__reference", flat=True)[:size]
    )


def _rows(columns: dict, identifiers: list[str], references: list[str] | None = None) -> list[PersonRow]:
    return [
        PersonRow(
            number=i + 2,
            identifier=identifiers[i],
            reference=references[i] if references else "",
            age=int(columns["age"][i]),
            gender=str(columns["gender"][i]),
            prior_offences=int(columns["prior_offences"][i]),
            days_since_last_offence=int(columns["days_since_last_offence"][i]),
            offence_group=str(columns["offence_group"][i]),
            employed=bool(columns["employed"][i]),
            outcome=Decimal(int(columns["outcome"][i])),
        )
        for i in range(len(identifiers))
    ]
