"""Demo data for the claims ledger: two payment-by-results programmes paying per participant,
a few hundred synthetic participants (generated, marked synthetic), claims across quarters, a
duplicate claim across two providers caught, a cap reached, and an audit with invalid claims and
its clawback. Everything goes through the services, so every rule is applied as in real use.

Create-only and safe to repeat: a programme that already has payable outcomes is left as it is
(whatever people have done since), and so is one that already has an audit. Needs the
participant key (PARTICIPANT_KEY, which `make run` generates); without one it says so and skips.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role
from claims import services
from claims.keys import chain_in_force
from claims.models import Claim, ClaimAudit, ClaimTerms, EvidenceType, Participant, PayableOutcome
from claims.services.audits import AuditRequest
from core.clock import today
from core.errors import Conflict, DomainError
from grants.models import Membership, Organisation, Programme
from outcomes.models import OutcomeMeasure

DEMO_PASSWORD = "yardstick-demo"
SEED = 2010
JOBS, TRAINING = "sustained-job-entries", "training-completions"
WORK_EVIDENCE = [EvidenceType.PAYSLIP, EvidenceType.HMRC_RECORD, EvidenceType.EMPLOYER_LETTER]

# programme reference: (participants, cap per participant, {measure slug: (tariff, evidence,
# sustainment weeks, earliest claim days, times per participant, exclusivity group)})
PROGRAMMES = {
    "SSP-0918": (
        120,
        Decimal("1800"),
        {
            JOBS: (Decimal("1500"), WORK_EVIDENCE, 13, 28, 1, ""),
            TRAINING: (Decimal("300"), [EvidenceType.CERTIFICATE], 0, 14, 2, ""),
        },
    ),
    "SSP-0924": (
        200,
        None,
        {
            JOBS: (Decimal("2400"), WORK_EVIDENCE, 26, 28, 1, ""),
            TRAINING: (Decimal("300"), [EvidenceType.CERTIFICATE], 0, 14, 1, ""),
        },
    ),
}
SHARED = 12  # people enrolled by both providers
PECAN_USER = ("provider3", "Pam", "Pecan-Provider")


def load(log=print) -> Counter:
    counts: Counter = Counter()
    programmes = {p.reference: p for p in Programme.objects.filter(reference__in=PROGRAMMES)}
    if len(programmes) < len(PROGRAMMES):
        return counts  # the grants demo is not loaded
    try:
        chain_in_force()
    except DomainError as exc:
        log(f"Claims demo skipped: {exc.message}")
        return counts
    if any(PayableOutcome.objects.filter(programme=p).exists() for p in programmes.values()):
        return counts  # loaded before: leave the ledger as people have left it
    User = get_user_model()
    commissioner = User.objects.get(username="commissioner")
    submitters = {
        "SSP-0918": User.objects.get(username="provider"),
        "SSP-0924": _pecan_user(programmes["SSP-0924"].provider, counts),
    }
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, not security
    measures = {m.code: m for m in OutcomeMeasure.objects.filter(code__in=[JOBS, TRAINING])}
    for reference, (_, cap, outcomes) in PROGRAMMES.items():
        programme = programmes[reference]
        for slug, (tariff, evidence, weeks, earliest, times, group) in outcomes.items():
            PayableOutcome.objects.create(
                programme=programme, measure=measures[slug], tariff=tariff, evidence_types=list(evidence),
                sustainment_weeks=weeks, earliest_claim_days=earliest, max_claims_per_participant=times,
                exclusivity_group=group,
            )  # fmt: skip
            counts["PayableOutcome"] += 1
        ClaimTerms.objects.create(programme=programme, cap_per_participant=cap)
        counts["ClaimTerms"] += 1
    people = _enrol(programmes, submitters, rng, counts)
    _claim(programmes, submitters, measures, people, rng, counts, log)
    _review(commissioner)
    return counts


def load_audit(log=print) -> Counter:
    """The audit of Pecan's claims, after the payments' demo: an audit samples claims as they are
    once paid, and its clawback comes off what was paid."""
    counts: Counter = Counter()
    pecan = Programme.objects.filter(reference="SSP-0924").first()
    if pecan is None or not PayableOutcome.objects.filter(programme=pecan).exists():
        return counts  # the claims demo is not loaded (no participant key)
    User = get_user_model()
    commissioner = User.objects.get(username="commissioner")
    _audit(pecan, commissioner, User.objects.get(username="finance"), counts, log)
    return counts


def _pecan_user(pecan: Organisation, counts: Counter):
    username, first, last = PECAN_USER
    user, new = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_active": True,
        },
    )
    if new:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=Role.PROVIDER.value)])
        counts["User"] += 1
    Membership.objects.get_or_create(user=user, organisation=pecan)
    return user


def _enrol(programmes, submitters, rng, counts) -> dict[str, list[tuple[str, date]]]:
    """Synthetic people (names "Synthetic" + a number, generated dates of birth), enrolled in
    2009/10; the first SHARED of Pecan's are Through-the-gate's too."""
    people: dict[str, list[tuple[str, date]]] = {reference: [] for reference in PROGRAMMES}
    for reference, (count, _, _) in PROGRAMMES.items():
        programme = programmes[reference]
        offset = 0 if reference == "SSP-0918" else 1000
        for n in range(count):
            number = n if reference == "SSP-0924" and n < SHARED else offset + n
            start = date(2009, 4, 6) + timedelta(days=rng.randrange(0, 330))
            born = date(1970, 1, 1) + timedelta(days=(number * 977) % 12000)
            enrolment = services.participant_enrol(
                user=submitters[reference],
                data=services.EnrolmentInput(
                    programme_id=programme.pk,
                    start_date=start,
                    date_of_birth=born,
                    surname=f"Synthetic{number:04d}",
                    forename="Demo",
                    eligibility={
                        "synthetic": True,
                        "referral": rng.choice(["Probation", "Jobcentre Plus", "Self"]),
                    },
                    synthetic=True,
                ),
            )
            people[reference].append((enrolment.participant.reference, start))
            counts["Enrolment"] += 1
    counts["Participant"] = Participant.objects.filter(synthetic=True).count()
    return people


def _claim(programmes, submitters, measures, people, rng, counts, log) -> None:
    """About half the participants find sustained work and most complete training, spread over
    the quarters from 2009/10 Q2; sent as one bulk per programme through the service."""
    for reference, (_, _, outcomes) in PROGRAMMES.items():
        programme = programmes[reference]
        items = []
        for index, (participant, start) in enumerate(people[reference]):
            if reference == "SSP-0918" and index < SHARED:
                continue  # these people's jobs are claimed by Pecan (below: the duplicate)
            for slug, (_, evidence, weeks, earliest, _times, _) in outcomes.items():
                chance = 0.55 if slug == JOBS else 0.7
                if rng.random() > chance:
                    continue
                achieved = start + timedelta(days=earliest + rng.randrange(0, 200))
                latest = min(today() - timedelta(weeks=weeks), programme.end_date)
                if achieved > latest:
                    continue
                items.append(
                    services.ClaimInput(
                        participant=participant, programme_id=programme.pk, measure_id=measures[slug].pk,
                        achieved_on=achieved, evidence_type=rng.choice(evidence), notes="Synthetic demo claim",
                    )
                )  # fmt: skip
        services.claims_bulk_submit(user=submitters[reference], items=items)
        counts["Claim"] += len(items)
    # The cap: a Through-the-gate participant with a job and a qualification (£1,800, the cap)
    # is refused a second qualification.
    ttg, pecan = programmes["SSP-0918"], programmes["SSP-0924"]
    participant, start = people["SSP-0918"][SHARED]
    for slug, evidence, day in ((JOBS, EvidenceType.PAYSLIP, 60), (TRAINING, EvidenceType.CERTIFICATE, 30)):
        if not Claim.objects.filter(
            participant__reference=participant, programme=ttg, measure=measures[slug]
        ).exists():
            services.claim_submit(
                user=submitters["SSP-0918"],
                data=services.ClaimInput(
                    participant, ttg.pk, measures[slug].pk, start + timedelta(days=day), evidence
                ),
            )
            counts["Claim"] += 1
    try:
        services.claim_submit(
            user=submitters["SSP-0918"],
            data=services.ClaimInput(
                participant,
                ttg.pk,
                measures[TRAINING].pk,
                start + timedelta(days=90),
                EvidenceType.CERTIFICATE,
            ),
        )
    except Conflict as exc:
        log(f"Claims demo: cap reached for {participant}: {exc.message}")
    # The duplicate: Pecan has claimed a job for someone both providers work with; St Giles's
    # claim for the same person's job is caught.
    shared, _ = people["SSP-0918"][0]
    pecan_start = dict(people["SSP-0924"])[shared]
    if not Claim.objects.filter(
        participant__reference=shared, programme=pecan, measure=measures[JOBS]
    ).exists():
        services.claim_submit(
            user=submitters["SSP-0924"],
            data=services.ClaimInput(
                shared,
                pecan.pk,
                measures[JOBS].pk,
                pecan_start + timedelta(days=35),
                EvidenceType.HMRC_RECORD,
            ),
        )
        counts["Claim"] += 1
    try:
        services.claim_submit(
            user=submitters["SSP-0918"],
            data=services.ClaimInput(
                shared, ttg.pk, measures[JOBS].pk, pecan_start + timedelta(days=42), EvidenceType.PAYSLIP
            ),
        )
    except Conflict as exc:
        log(f"Claims demo: duplicate across providers caught for {shared}: {exc.message}")


def _review(commissioner) -> None:
    """The commissioner verifies claims achieved before 2010/11 Q2 (and one is rejected): 2009/10's
    are then paid by the payments' demo, 2010/11 Q1's are due; later ones wait in the queue."""
    claims = Claim.objects.filter(participant__synthetic=True, status=Claim.Status.SUBMITTED).order_by("pk")
    for index, claim in enumerate(claims.filter(achieved_on__lt=date(2010, 7, 1))):
        if index == 7:
            services.claim_reject(
                user=commissioner, claim=claim, reason="The payslip is for a different employer's address."
            )
        else:
            services.claim_verify(user=commissioner, claim=claim)


def _audit(programme, commissioner, finance, counts, log) -> None:
    """A random sample of Pecan's verified claims for 2009/10 Q4, three found invalid, concluded,
    and the clawback posted."""
    if ClaimAudit.objects.filter(programme=programme).exists():
        return
    try:
        audit = services.audit_draw(
            user=commissioner,
            data=AuditRequest(programme.pk, "2009/10", 4, "random", size=15, seed=20101020),
        )
    except DomainError as exc:
        log(f"Claims demo: no audit drawn: {exc.message}")
        return
    for index, item in enumerate(audit.items.order_by("id")):
        invalid = index in (2, 7, 11)
        services.audit_claim_mark(
            user=commissioner,
            audit=audit,
            item_id=item.pk,
            valid=not invalid,
            reason="The evidence does not show the outcome was sustained." if invalid else "",
        )
    audit = services.audit_conclude(user=commissioner, audit=audit)
    counts["ClaimAudit"] += 1
    if audit.clawback_amount and audit.clawback_amount > 0:
        services.audit_post_clawback(user=finance, audit=audit)
        counts["Payment"] += 1
    log(
        f"Claims demo: audit {audit.pk} of {programme.reference} 2009/10 Q4: error rate "
        f"{audit.error_rate * 100:.2f}% by value, recovery £{audit.recovery:,.2f}."
    )
