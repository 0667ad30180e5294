"""Returns API throughput under gunicorn on PostgreSQL, against a one-INSERT DRF floor.

    .venv/bin/python bench/returns_api.py [--requests 2000] [--threads 8] [--workers 4]

Prints single-return POST throughput of /api/returns/ and of a minimal DRF endpoint that does
one INSERT, served by the same server in the same run (alternating in rounds), their ratio
(goal >= 0.5), and the time
of one 1,000-item bulk POST (goal <= 1 s). Only 127.0.0.1 is contacted; everything is bounded.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._server import PYTHON, ROOT, env, fresh_database, gunicorn  # noqa: E402

SETUP = r"""
import sys
from datetime import date
from decimal import Decimal
from django.contrib.auth.models import Group
from django.db import connection
from accounts.tokens import token_issue
from grants.models import *
from outcomes.models import *
from tests.factories import PlanFactory, PriorityFactory
n = int(sys.argv[1])
plan = PlanFactory(is_current=True)
priority = PriorityFactory(plan=plan)
org = Organisation.objects.create(name="Bench provider", org_id="GB-CHC-999999", org_type="voluntary")
funder = Organisation.objects.create(name="Bench funder", org_id="GB-LAE-BEN", org_type="statutory")
stream = FundingStream.objects.create(name="Bench", code="bench", funder=funder, financial_year="2009/10", budget=Decimal("1e11"))
measure = OutcomeMeasure.objects.create(code="bench", name="Bench measure", unit_cost=1, unit_cost_source="bench", unit_cost_price_year="2009/10")
user = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.create_user("bench", password="bench-pass-1")
user.groups.add(Group.objects.get(name="Provider"))
Membership.objects.create(user=user, organisation=org)
programmes = Programme.objects.bulk_create([Programme(reference=f"B-{i:05d}", title=f"Bench {i}", provider=org, funding_stream=stream,
    award_amount=1000, start_date=date(2009, 4, 1), end_date=date(2011, 3, 31)) for i in range(n)])
ProgrammePriority.objects.bulk_create([ProgrammePriority(programme=p, priority=priority, is_primary=True) for p in programmes])
ProgrammeTarget.objects.bulk_create([ProgrammeTarget(programme=p, measure=measure, financial_year=fy, quarter=q, target_value=5)
    for p in programmes for fy in ("2009/10", "2010/11") for q in (1, 2, 3, 4)])
with connection.cursor() as c:
    c.execute("CREATE TABLE bench_insert (id bigserial primary key, payload jsonb not null)")
print(token_issue(user=user, name='bench').key, measure.pk, ",".join(str(p.pk) for p in programmes))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="single POSTs per endpoint")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    print("Preparing a fresh PostgreSQL database (bench_returns_api)...", flush=True)
    url = fresh_database("bench_returns_api")
    programmes_needed = args.requests // 8 + 130  # 8 quarters each, plus 1,000 for the bulk POST
    out = subprocess.run([PYTHON, "-c", _django(SETUP), str(programmes_needed)], cwd=ROOT, env=env(url),
                         check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    token, measure_id, programme_ids = out[0], int(out[1]), [int(i) for i in out[2].split(",")]
    slots = [(p, fy, q) for p in programme_ids for fy in ("2009/10", "2010/11") for q in (1, 2, 3, 4)]
    single, bulk = slots[: args.requests], slots[args.requests : args.requests + 1000]

    server_env = {"DJANGO_SETTINGS_MODULE": "bench.floor.settings", "THROTTLE_WRITES": "100000000/minute", "DEBUG": "false",
                  "SECRET_KEY": "bench-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
                  "CONN_MAX_AGE": "60"}  # fmt: skip
    with gunicorn(url, workers=args.workers, **server_env) as base:
        headers = {"Authorization": f"Token {token}"}

        def body(slot):
            programme, fy, quarter = slot
            return {"programme": programme, "measure": measure_id, "financial_year": fy, "quarter": quarter,
                    "value": "7", "spend": "1000.00"}  # fmt: skip

        _warm(base, headers)
        # Alternate the two endpoints in rounds, so that a change in the machine's load during
        # the run (other processes) affects both alike rather than skewing the ratio.
        elapsed = {"floor": 0.0, "returns": 0.0}
        for part in _rounds(single, ROUNDS):
            bodies = [body(s) for s in part]
            elapsed["floor"] += _timed(f"{base}/api/bench/insert/", bodies, headers, args.threads)
            elapsed["returns"] += _timed(f"{base}/api/returns/", bodies, headers, args.threads)
        floor, returns = len(single) / elapsed["floor"], len(single) / elapsed["returns"]
        started = time.perf_counter()
        response = requests.post(
            f"{base}/api/returns/bulk/", json=[body(s) for s in bulk], headers=headers, timeout=60
        )
        bulk_seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        assert len(response.json()) == 1000

    print(
        f"gunicorn workers: {args.workers}, client threads: {args.threads}, requests per endpoint: {args.requests}"
    )
    print(f"minimal DRF one-INSERT endpoint: {floor:8.1f} requests/s")
    print(f"POST /api/returns/ (one return):  {returns:8.1f} requests/s")
    print(f"ratio returns / floor: {returns / floor:.2f} (goal >= 0.5)")
    print(f"POST /api/returns/bulk/ with 1,000 returns: {bulk_seconds:.3f} s (goal <= 1 s)")


ROUNDS = 5


def _rounds(items: list, count: int) -> list[list]:
    size = -(-len(items) // count)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _timed(url: str, bodies: list[dict], headers: dict, threads: int) -> float:
    """Seconds to POST every body with `threads` concurrent clients (all must get 201)."""
    local = threading.local()
    errors = []

    def post(payload):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        response = session.post(url, json=payload, headers=headers, timeout=30)
        if response.status_code != 201:
            errors.append((response.status_code, response.text[:200]))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(post, bodies))
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} requests to {url} failed, e.g. {errors[0]}")
    return elapsed


def _warm(base: str, headers: dict) -> None:
    for _ in range(20):
        requests.get(f"{base}/api/measures/", headers=headers, timeout=10)


def _django(code: str) -> str:
    return "import django; django.setup()\n" + code


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
