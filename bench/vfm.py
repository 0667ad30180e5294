"""The value-for-money engine over a large portfolio, against a raw SQL aggregate of the same rows.

    .venv/bin/python bench/vfm.py [--programmes 10000] [--returns-per-programme 60]

Builds a fresh PostgreSQL database (bench_vfm) with 10,000 programmes and 600,000 verified
returns (3 measures × 20 quarters, 2009/10 to 2013/14, with as many targets), loaded with COPY
(the totals triggers fire as for any write), then times, in the same run: the engine
(commissioning.selectors.round_vfm: programmes, measures and scores one query per table, the
targets and returns as two grouped queries over the per-year totals the triggers keep, pandas on
whole columns) and one raw SQL aggregate that reads the same return rows. Prints both, the ratio
(goal: engine ≤ 2× the aggregate) and the engine's time (goal ≤ 3 s); also the time to rebuild
every total from the rows (manage.py rebuild_totals).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._portfolio import copy_targets_and_returns  # noqa: E402
from bench._server import setup_django_on_fresh_database  # noqa: E402

YEARS = ["2009/10", "2010/11", "2011/12", "2012/13", "2013/14"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (the median is reported)")
    args = parser.parse_args()
    setup_django_on_fresh_database("bench_vfm")
    started = time.perf_counter()
    review_round, returns = _generate(args.programmes)
    print(f"Generated {args.programmes:,} programmes and {returns:,} returns in {time.perf_counter() - started:.1f} s",
          flush=True)  # fmt: skip

    from django.db import connection

    from commissioning import selectors
    from core import clock

    def engine():
        return selectors.round_vfm(review_round)

    def aggregate():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT programme_id, measure_id, SUM(value), MAX(spend), COUNT(*) FROM grants_outcomereturn "
                "WHERE financial_year = ANY(%s) AND status = 'verified' GROUP BY programme_id, measure_id",
                [YEARS],
            )
            return cursor.fetchall()

    def engine_sql():
        """The grouped queries the engine's inputs come from, without the engine."""
        return selectors.vfm_totals(
            selectors.round_programmes(review_round), years=YEARS, today=clock.today(), include_submitted=False
        )

    result = engine()  # warm up all three
    rows = aggregate()
    engine_sql()
    assert len(result.programmes) == args.programmes and len(rows) == args.programmes * 3
    engine_s = _median(engine, args.repeat)
    aggregate_s = _median(aggregate, args.repeat)
    sql_s = _median(engine_sql, args.repeat)
    print(f"programmes: {args.programmes:,}; returns read: {returns:,}; targets read: {returns:,}")
    print(f"raw SQL aggregate of the returns:  {aggregate_s:.3f} s")
    print(f"the engine's own SQL (targets, outcomes, spend, missing returns): {sql_s:.3f} s")
    from grants import totals

    started = time.perf_counter()
    measure_years, programme_years = totals.rebuild()
    print(f"rebuilding the totals from every row ({measure_years:,} measure-years, {programme_years:,} "
          f"programme-years): {time.perf_counter() - started:.3f} s")  # fmt: skip
    print(f"value-for-money engine (all figures): {engine_s:.3f} s (goal <= 3 s)")
    print(f"ratio engine / aggregate: {engine_s / aggregate_s:.2f} (goal <= 2)")
    print(f"ratio engine / its own SQL: {engine_s / sql_s:.2f}")


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _generate(count: int):
    """Bulk-load the portfolio with COPY; deterministic."""
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from commissioning import services
    from grants.models import FundingStream, Organisation, Programme, ProgrammePriority
    from outcomes.models import OutcomeMeasure, Partnership, Plan, Priority

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-pass-1")
    partnership = Partnership.objects.create(name="Bench", slug="bench", area="Bench")
    plan = Plan.objects.create(partnership=partnership, title="Bench", version="1", first_year=YEARS[0],
                               last_year=YEARS[-1], is_current=True)  # fmt: skip
    priority = Priority.objects.create(plan=plan, name="Bench priority", slug="bench")
    provider = Organisation.objects.create(
        name="Bench provider", org_id="GB-CHC-999999", org_type="voluntary"
    )
    stream = FundingStream.objects.create(name="Bench stream", code="bench", funder=provider, financial_year=YEARS[0],
                                          budget=Decimal("999999999999"))  # fmt: skip
    measures = [OutcomeMeasure.objects.create(code=f"m{i}", name=f"Measure {i}", unit_cost=1000 + 500 * i,
                                              unit_cost_source="bench", unit_cost_price_year="2009/10",
                                              polarity="lower" if i == 2 else "higher") for i in range(3)]  # fmt: skip
    Programme.objects.bulk_create(
        [Programme(reference=f"B-{i:06d}", title=f"Bench programme {i}", provider=provider, funding_stream=stream,
                   award_amount=Decimal(100_000 + i), start_date=date(2009, 4, 1), end_date=date(2014, 3, 31))
         for i in range(count)], batch_size=5000,
    )  # fmt: skip
    ids = list(Programme.objects.order_by("id").values_list("id", flat=True))
    ProgrammePriority.objects.bulk_create(
        [ProgrammePriority(programme_id=i, priority=priority, is_primary=True) for i in ids], batch_size=5000
    )
    copy_targets_and_returns(ids, measures, YEARS, user_id=user.pk, spend_base=1000, submitted_at="2014-05-01 10:00:00+00")
    review_round = services.round_create(
        user=user, name="Bench round", first_year=YEARS[0], last_year=YEARS[-1]
    )
    return review_round, count * len(measures) * len(YEARS) * 4


if __name__ == "__main__":
    main()
