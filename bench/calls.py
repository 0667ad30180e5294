"""Ranking a large call, beside the value-for-money table of a round of as many programmes.

    .venv/bin/python bench/calls.py [--bids 300] [--assessors 5] [--criteria 6] [--repeat 5]

Builds a fresh SQLite database in a temporary directory (or the PostgreSQL one DATABASE_URL
names, if it is set) with one call of `--bids` submitted bids in one lot, each scored by
`--assessors` assessors on `--criteria` quality criteria plus social value, and a review round of
as many programmes with quarterly targets over two years; then times, in the same run and through
the API as a commissioner sees them, GET /api/calls/{id}/ranking/ and GET
/api/review-rounds/{id}/vfm/, and prints both medians and their ratio.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=300)
    parser.add_argument("--assessors", type=int, default=5)
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed requests of each (the median is reported)"
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-calls-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "true"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrated a fresh database in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    call, review_round, commissioner, scores = _generate(args.bids, args.assessors, args.criteria)
    print(f"Generated {args.bids} bids with {scores:,} scores and {args.bids} programmes "
          f"in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip

    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(commissioner)
    ranking_url, vfm_url = f"/api/calls/{call.pk}/ranking/", f"/api/review-rounds/{review_round.pk}/vfm/"

    def get(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
        return len(body["results"] if isinstance(body, dict) else body)

    assert get(ranking_url) == args.bids  # warm up both
    assert get(vfm_url) == args.bids
    ranking_s = _median(lambda: get(ranking_url), args.repeat)
    vfm_s = _median(lambda: get(vfm_url), args.repeat)
    print(f"GET ranking of {args.bids} bids × {args.assessors} assessors × {args.criteria} criteria: "
          f"{ranking_s * 1000:.0f} ms per request")  # fmt: skip
    print(f"GET value-for-money table of a {args.bids}-programme round: {vfm_s * 1000:.0f} ms per request")
    print(f"ratio ranking / VfM table: {ranking_s / vfm_s:.2f}")


def _median(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _generate(count: int, assessors: int, criteria_count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from commissioning import services as round_services
    from commissioning.calls import models as c
    from grants import models as g
    from grants.totals import rebuild
    from outcomes import models as o

    user_model = get_user_model()
    group = Group.objects.get(name="Commissioner")
    users = [user_model.objects.create(username=f"assessor{n}") for n in range(assessors)]
    for user in users:
        user.groups.add(group)
    partnership = o.Partnership.objects.create(name="Bench", slug="bench", area="Bench")
    plan = o.Plan.objects.create(partnership=partnership, title="Plan", version="1", first_year="2010/11",
                                 last_year="2011/12", is_current=True)  # fmt: skip
    priority = o.Priority.objects.create(plan=plan, name="Priority", slug="priority")
    measure = o.OutcomeMeasure.objects.create(code="m", name="Outcomes", unit_cost=Decimal(4000),
                                              unit_cost_source="bench", unit_cost_price_year="2010/11")  # fmt: skip
    funder = g.Organisation.objects.create(name="Funder", org_id="GB-BENCH-0", org_type="statutory")
    stream = g.FundingStream.objects.create(name="Stream", code="s", funder=funder, financial_year="2010/11",
                                            budget=Decimal("999999999"))  # fmt: skip
    orgs = g.Organisation.objects.bulk_create(
        [
            g.Organisation(name=f"Bidder {n}", org_id=f"GB-BENCH-{n + 1}", org_type="voluntary")
            for n in range(count)
        ]
    )
    opens, closes = datetime(2010, 1, 4, tzinfo=UTC), datetime(2010, 2, 1, tzinfo=UTC)
    call = c.Call.objects.create(
        reference="BENCH-1", title="Bench", specification="Bench", funding_stream=stream, opens_at=opens,
        closes_at=closes, clarification_deadline=closes, service_start=date(2010, 4, 1),
        service_end=date(2012, 3, 31), status="open", created_by=users[0],
    )  # fmt: skip
    lot = c.Lot.objects.create(call=call, number=1, title="Lot", budget=Decimal("999999999"))
    c.LotMeasure.objects.create(lot=lot, measure=measure, minimum_volume=0)
    criteria = c.Criterion.objects.bulk_create(
        [c.Criterion(call=call, name=f"Criterion {n}", weight=w, descriptors=["d"] * 6, order=n)
         for n, w in enumerate(_weights(criteria_count))]
        + [c.Criterion(call=call, kind="social_value", name="Social value", weight=100, descriptors=["d"] * 6,
                       order=criteria_count)]
    )  # fmt: skip
    for n, user in enumerate(users):
        c.Assessor.objects.create(call=call, user=user, is_lead=n == 0)
    bids = c.Bid.objects.bulk_create(
        [c.Bid(call=call, lot=lot, organisation=org, title=org.name, status="submitted", price=Decimal(200000 + n * 7),
               submitted_at=opens, created_by=users[0]) for n, org in enumerate(orgs)]
    )  # fmt: skip
    c.ProposedOutcome.objects.bulk_create(
        [c.ProposedOutcome(bid=bid, measure=measure, financial_year=fy, quarter=q, volume=Decimal(5 + n % 9))
         for n, bid in enumerate(bids) for fy in ("2010/11", "2011/12") for q in (1, 2, 3, 4)]
    )  # fmt: skip
    scores = [
        c.AssessorScore(bid=bid, criterion=criterion, assessor=user, score=(n + i + k) % 6, justification="bench")
        for n, bid in enumerate(bids) for i, criterion in enumerate(criteria) for k, user in enumerate(users)
    ]  # fmt: skip
    c.AssessorScore.objects.bulk_create(scores, batch_size=2000)
    c.AssessmentSubmission.objects.bulk_create(
        [c.AssessmentSubmission(bid=bid, assessor=user) for bid in bids for user in users], batch_size=2000
    )
    programmes = g.Programme.objects.bulk_create(
        [g.Programme(reference=f"BENCH-{n}", title=f"Programme {n}", provider=org, funding_stream=stream,
                     award_amount=Decimal(200000), start_date=date(2010, 4, 1), end_date=date(2012, 3, 31))
         for n, org in enumerate(orgs)]
    )  # fmt: skip
    g.ProgrammePriority.objects.bulk_create(
        [g.ProgrammePriority(programme=p, priority=priority, is_primary=True) for p in programmes]
    )
    g.ProgrammeTarget.objects.bulk_create(
        [g.ProgrammeTarget(programme=p, measure=measure, financial_year=fy, quarter=q, target_value=Decimal(8))
         for p in programmes for fy in ("2010/11", "2011/12") for q in (1, 2, 3, 4)]
    )  # fmt: skip
    rebuild()
    review_round = round_services.round_create(
        user=users[0], name="Bench round", first_year="2010/11", last_year="2011/12"
    )
    return call, review_round, users[0], len(scores)


def _weights(count: int) -> list[int]:
    weights = [100 // count] * count
    weights[0] += 100 - sum(weights)
    return weights


if __name__ == "__main__":
    main()
