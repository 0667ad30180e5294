"""The reads behind the INDIGO export: every payment-by-results programme that pays per
participant, with its payable outcomes, targets, results from verified or paid claims per
quarter, and payments. A fixed number of queries for any number of programmes."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Sum

from claims.indigo import Contract, Metric, Result, Transaction
from claims.models import Claim, ClaimTerms, Enrolment, EvidenceType, PayableOutcome
from core.clock import today
from grants.models import Payment, Programme, ProgrammeTarget
from outcomes.periods import Quarter, quarters_between

COUNTED = (Claim.Status.VERIFIED, Claim.Status.PAID)


def indigo_contracts(*, on: date | None = None) -> list[Contract]:
    on = on or today()
    programmes = list(
        Programme.objects.filter(
            commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, payable_outcomes__isnull=False
        )
        .distinct()
        .select_related("provider", "funding_stream__funder")
        .order_by("reference")
    )
    ids = [p.pk for p in programmes]
    outcomes = defaultdict(list)
    for outcome in (
        PayableOutcome.objects.filter(programme_id__in=ids)
        .select_related("measure")
        .order_by("measure__name", "measure_id")
    ):
        outcomes[outcome.programme_id].append(outcome)
    targets = {
        (row["programme_id"], row["measure_id"]): row["total"]
        for row in ProgrammeTarget.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id", "measure_id")
        .annotate(total=Sum("target_value"))
    }
    caps = dict(
        ClaimTerms.objects.filter(programme_id__in=ids).values_list("programme_id", "cap_per_participant")
    )
    achieved: dict[tuple[int, int, str, int], int] = Counter()
    for pid, mid, day, n in (
        Claim.objects.filter(programme_id__in=ids, status__in=COUNTED)
        .order_by()
        .values("programme_id", "measure_id", "achieved_on")
        .annotate(n=Count("id"))
        .values_list("programme_id", "measure_id", "achieved_on", "n")
    ):
        quarter = Quarter.containing(day)
        achieved[(pid, mid, quarter.financial_year.label, quarter.number)] += n
    starts: dict[int, list[date]] = defaultdict(list)
    for pid, start in Enrolment.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "start_date"
    ):
        starts[pid].append(start)
    payments = defaultdict(list)
    for payment in Payment.objects.filter(programme_id__in=ids).order_by("paid_on", "id"):
        payments[payment.programme_id].append(
            Transaction(
                paid_on=payment.paid_on,
                amount=payment.amount,
                kind=payment.kind,
                financial_year=payment.financial_year,
                quarter=payment.quarter,
                reference=payment.reference,
                reason=payment.reason,
            )
        )
    contracts = []
    for p in programmes:
        labels = dict(EvidenceType.choices)
        metrics = [
            Metric(
                measure_id=o.measure_id,
                name=o.measure.name,
                unit=o.measure.unit,
                tariff=o.tariff,
                target=targets.get((p.pk, o.measure_id)),
                evidence=[labels.get(t, t) for t in o.evidence_types],
                sustainment_weeks=o.sustainment_weeks,
                earliest_claim_days=o.earliest_claim_days,
                max_claims_per_participant=o.max_claims_per_participant,
                exclusivity_group=o.exclusivity_group,
            )
            for o in outcomes[p.pk]
        ]
        results = [
            Result(
                measure_id=m.measure_id,
                start=max(q.start, p.start_date),
                end=min(q.end, p.end_date),
                achieved=achieved.get((p.pk, m.measure_id, q.financial_year.label, q.number), 0),
                engaged=sum(1 for s in starts[p.pk] if s <= q.end),
                final=p.end_date < on,
            )
            for m in metrics
            for q in quarters_between(p.start_date, p.end_date)
            if q.start <= on
        ]
        contracts.append(
            Contract(
                reference=p.reference,
                title=p.title,
                start=p.start_date,
                end=p.end_date,
                today=on,
                provider_org_id=p.provider.org_id or "",
                provider_name=p.provider.name,
                provider_type=p.provider.org_type,
                funder_org_id=p.funding_stream.funder.org_id or "",
                funder_name=p.funding_stream.funder.name,
                award=p.award_amount,
                cap_per_participant=caps.get(p.pk),
                participants=len(starts[p.pk]),
                metrics=metrics,
                results=results,
                transactions=payments[p.pk],
            )
        )
    return contracts
