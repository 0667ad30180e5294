"""A bulk of 10,000 outcome claims through the real service, every check applied, on PostgreSQL,
against a plain COPY of the same rows measured in the same run.

    .venv/bin/python bench/claims.py [--claims 10000] [--repeat 3] [--profile]

Builds a fresh PostgreSQL database (bench_claims) with one payment-by-results programme paying
for two outcomes (one in an exclusivity group) under a cap per participant, and `--claims` ×
`--repeat` participants enrolled on it; then times claims.services.claims_bulk_submit for one claim per
participant (the participants' row locks, enrolment, evidence, earliest date, sustainment,
duplicates, times per participant, exclusivity, cap; the rows and their history written), and
a COPY of the same rows into a table shaped like the claims table. It does so `--repeat` times,
each bulk for new participants (the database checkpointed first), and prints each pair of times,
their medians and the ratio of the medians (goal: the service within 2 s). Only 127.0.0.1 is
contacted.
"""

import argparse
import hashlib
import io
import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._server import setup_django_on_fresh_database  # noqa: E402

TODAY = date(2010, 10, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="bulks of --claims each (new participants)")
    parser.add_argument("--profile", action="store_true", help="print the last bulk's 25 costliest calls")
    args = parser.parse_args()
    os.environ["YARDSTICK_TODAY"] = TODAY.isoformat()
    os.environ.setdefault("PARTICIPANT_KEY", "bench-only-participant-key-" + "x" * 40)
    setup_django_on_fresh_database("bench_claims")

    started = time.perf_counter()
    user, items = _generate(args.claims * args.repeat)
    print(
        f"Generated {args.claims * args.repeat:,} enrolled participants in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    from django.db import connection

    from claims.models import Claim
    from claims.services import claims_bulk_submit

    columns = ["participant_id", "programme_id", "payable_outcome_id", "measure_id", "achieved_on",
               "evidence_type", "notes", "price", "status", "reason", "submitted_by_id", "submitted_at"]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_claim_copy (LIKE claims_claim INCLUDING DEFAULTS)")
        cursor.execute("ALTER TABLE bench_claim_copy ALTER COLUMN id SET DEFAULT 0")
        # Start from a clean slate: the migration's and the generator's writes flushed to disk.
        cursor.execute("CHECKPOINT")
    service_times, copy_times = [], []
    for run in range(args.repeat):
        batch = items[run * args.claims : (run + 1) * args.claims]
        profiler = None
        if args.profile and run == args.repeat - 1:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        created = claims_bulk_submit(user=user, items=batch)
        service_s = time.perf_counter() - started
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        assert len(created) == args.claims and Claim.objects.count() == args.claims * (run + 1)

        ids = (created[0].pk, created[-1].pk)  # reserved in order, and nothing else writes claims
        rows = Claim.objects.filter(pk__range=ids).order_by("pk").values_list(*columns)
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in row) + "\n")
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_claim_copy")
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY bench_claim_copy ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            copy_s = time.perf_counter() - started
            cursor.execute("SELECT count(*) FROM bench_claim_copy")
            assert cursor.fetchone()[0] == args.claims
        service_times.append(service_s)
        copy_times.append(copy_s)
        print(f"bulk {run + 1}: service {service_s:.3f} s, COPY {copy_s:.3f} s, ratio {service_s / copy_s:.1f}")

    service_s, copy_s = statistics.median(service_times), statistics.median(copy_times)
    print(f"claims_bulk_submit, {args.claims:,} claims with every check: {service_s:.3f} s median of "
          f"{args.repeat} (best {min(service_times):.3f} s; goal <= 2 s)")  # fmt: skip
    print(f"plain COPY of the same {args.claims:,} rows:                {copy_s:.3f} s median")
    print(f"ratio service / COPY (medians): {service_s / copy_s:.1f}")


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _generate(count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import pseudonyms
    from claims.keys import chain_in_force
    from claims.models import ClaimTerms, Enrolment, EvidenceType, Participant, PayableOutcome
    from claims.services import ClaimInput
    from grants.models import FundingStream, Membership, Organisation, Programme, ProgrammePriority
    from outcomes.models import OutcomeMeasure
    from tests.factories import PlanFactory, PriorityFactory

    plan = PlanFactory(is_current=True)
    priority = PriorityFactory(plan=plan)
    org = Organisation.objects.create(name="Bench provider", org_id="GB-CHC-999999", org_type="voluntary")
    funder = Organisation.objects.create(name="Bench funder", org_id="GB-LAE-BEN", org_type="statutory")
    stream = FundingStream.objects.create(
        name="Bench", code="bench", funder=funder, financial_year="2009/10", budget=Decimal("1e11")
    )
    programme = Programme.objects.create(
        reference="B-CLAIMS", title="Bench claims", provider=org, funding_stream=stream,
        award_amount=Decimal("1e10"), start_date=date(2009, 4, 1), end_date=date(2011, 3, 31),
        commissioning_model=Programme.Model.PAYMENT_BY_RESULTS,
    )  # fmt: skip
    ProgrammePriority.objects.create(programme=programme, priority=priority, is_primary=True)
    jobs, level = (
        OutcomeMeasure.objects.create(
            code=code, name=name, unit_cost=1, unit_cost_source="bench", unit_cost_price_year="2009/10"
        )
        for code, name in (("bench-jobs", "Sustained jobs"), ("bench-level", "Level 2"))
    )
    PayableOutcome.objects.create(
        programme=programme, measure=jobs, tariff=Decimal("1500"), sustainment_weeks=13, earliest_claim_days=28,
        evidence_types=[EvidenceType.PAYSLIP, EvidenceType.HMRC_RECORD],
    )  # fmt: skip
    PayableOutcome.objects.create(
        programme=programme, measure=level, tariff=Decimal("700"), exclusivity_group="Level",
        evidence_types=[EvidenceType.CERTIFICATE],
    )  # fmt: skip
    ClaimTerms.objects.create(programme=programme, cap_per_participant=Decimal("2000"))
    user = get_user_model().objects.create_user("bench")
    user.groups.add(Group.objects.get(name="Provider"))
    Membership.objects.create(user=user, organisation=org)
    from django.db import transaction

    with transaction.atomic():
        keys = chain_in_force()
    participants = Participant.objects.bulk_create(
        [
            Participant(pseudonym=pseudonyms.pseudonym(keys, hashlib.sha256(str(i).encode()).hexdigest()))
            for i in range(count)
        ],
        batch_size=2000,
    )
    starts = [date(2009, 4, 6) + timedelta(days=i % 300) for i in range(count)]
    Enrolment.objects.bulk_create(
        [
            Enrolment(participant=p, programme=programme, start_date=s)
            for p, s in zip(participants, starts, strict=True)
        ],
        batch_size=2000,
    )
    items = []
    for i, (participant, start) in enumerate(zip(participants, starts, strict=True)):
        if i % 2:
            items.append(
                ClaimInput(
                    participant.reference, programme.pk, jobs.pk, start + timedelta(days=40), "payslip"
                )
            )
        else:
            items.append(
                ClaimInput(
                    participant.reference, programme.pk, level.pk, start + timedelta(days=10), "certificate"
                )
            )
    return user, items


if __name__ == "__main__":
    main()
