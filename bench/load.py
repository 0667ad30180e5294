"""Load test of the returns API and the signed-in pages under `make serve`'s set-up: gunicorn with
4 workers on PostgreSQL, DEBUG off, static files by whitenoise, the database cache shared by the
workers, behind a (simulated) TLS-terminating proxy.

    .venv/bin/python bench/load.py [--seconds 15] [--threads 16] [--workers 4] [--only floor-page,mixed]

Scenarios, one after another, each for --seconds with --threads concurrent clients:
  returns-list   GET  /api/returns/           a commissioner's token, 50 returns a page
  returns-post   POST /api/returns/           a provider's token, one new return per request
  floor-page     GET  /bench/page/            the floor: a signed-in page of the layout, one heading
  home-commissioner, home-finance, home-provider
                 GET  /                       each role's home page, as the demo's user of that role
  programme-list GET  /programmes/            a commissioner's programme list (first page)
  mixed          returns list, returns post and the commissioner's home at once, a third each

Prints requests per second, p50/p99 latency and errors per scenario, then each page's throughput
as a share of the floor page's, served by the same server in the same run (goal: at least 50%);
exits non-zero if any request failed (a status other than the expected one, or no answer) or a
page is under the goal. The server runs bench.floor.settings: the product plus the floor page.
Only 127.0.0.1 is contacted; every wait is bounded (timeouts per request, a fixed duration per
scenario)."""

import argparse
import http.client
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._server import PYTHON, ROOT, env, fresh_database, gunicorn  # noqa: E402

DATABASE = "bench_load"
MEASURES = 100  # bench measures per bench programme: 8 quarters each, so 800 return slots
SERVE_ARGS = ("--config", "config/gunicorn_conf.py")  # make serve's
PAGES = ("home-commissioner", "home-finance", "home-provider", "programme-list")
FLOOR = "floor-page"
SCENARIOS = ("returns-list", "returns-post", "floor-page", *PAGES, "mixed")
GOAL = 0.5  # each page's throughput at least this share of the floor page's

SETUP = r"""
import json, math, sys
from datetime import date
from decimal import Decimal
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from accounts.tokens import token_issue
from grants.models import FundingStream, Membership, Organisation, Programme, ProgrammeTarget
from outcomes.models import OutcomeMeasure
call_command("load_demo", "--force", verbosity=0)
call_command("createcachetable", verbosity=0)
programmes_needed, measures_per = int(sys.argv[1]), int(sys.argv[2])
org = Organisation.objects.create(name="Load test provider", org_id="GB-CHC-9999998", org_type="voluntary")
stream = FundingStream.objects.order_by("pk").first()
measures = OutcomeMeasure.objects.bulk_create([OutcomeMeasure(code=f"load-{i}", name=f"Load measure {i}", unit_cost=1,
    unit_cost_source="load test", unit_cost_price_year="2009/10") for i in range(measures_per)])
programmes = Programme.objects.bulk_create([Programme(reference=f"LOAD-{i:04d}", title=f"Load {i}", provider=org,
    funding_stream=stream, award_amount=1000, start_date=date(2009, 4, 1), end_date=date(2011, 3, 31))
    for i in range(programmes_needed)])
ProgrammeTarget.objects.bulk_create([ProgrammeTarget(programme=p, measure=m, financial_year=fy, quarter=q, target_value=5)
    for p in programmes for m in measures for fy in ("2009/10", "2010/11") for q in (1, 2, 3, 4)], batch_size=5000)
User = get_user_model()
provider = User.objects.create_user("load-provider", password="load-test-pass-1")
provider.groups.add(Group.objects.get(name="Provider"))
Membership.objects.create(user=provider, organisation=org)
commissioner = User.objects.get(username="commissioner")
sessions = {}
for username in ("commissioner", "finance", "provider"):
    client = Client()
    client.force_login(User.objects.get(username=username))
    sessions[username] = client.cookies["sessionid"].value
print(json.dumps({
    "provider_token": token_issue(user=provider, name='bench').key,
    "commissioner_token": token_issue(user=commissioner, name='bench').key,
    "sessions": sessions,
    "programmes": [p.pk for p in programmes], "measures": [m.pk for m in measures],
}))
"""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


class Slots:
    """Unique (programme, measure, year, quarter) slots for new returns, handed out once each."""

    def __init__(self, programmes: list[int], measures: list[int]):
        quarters = [("2009/10", q) for q in (1, 2, 3, 4)] + [
            ("2010/11", q) for q in (1, 2)
        ]  # started by 2010-10-20
        self._iter = ((p, m, fy, q) for p, m, (fy, q) in itertools.product(programmes, measures, quarters))
        self._lock = threading.Lock()

    def next(self):
        with self._lock:
            return next(self._iter, None)


def request(conn: http.client.HTTPConnection, method: str, path: str, headers: dict, body: bytes | None):
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def make_scenarios(setup: dict, slots: Slots) -> dict:
    proxy = {"X-Forwarded-Proto": "https"}  # as the reverse proxy in docs/deploy.md sends it
    commissioner_api = {
        **proxy,
        "Authorization": f"Token {setup['commissioner_token']}",
        "Accept": "application/json",
    }
    provider_api = {**proxy, "Authorization": f"Token {setup['provider_token']}", "Accept": "application/json",
                    "Content-Type": "application/json"}  # fmt: skip
    signed_in = {
        role: {**proxy, "Cookie": f"sessionid={key}", "Accept": "text/html"}
        for role, key in setup["sessions"].items()
    }

    def returns_list():
        return "GET", "/api/returns/?page_size=50", commissioner_api, None, 200

    def returns_post():
        slot = slots.next()
        if slot is None:
            return None
        programme, measure, year, quarter = slot
        body = {"programme": programme, "measure": measure, "financial_year": year, "quarter": quarter,
                "value": "7", "spend": "1000.00"}  # fmt: skip
        return "POST", "/api/returns/", provider_api, json.dumps(body).encode(), 201

    def page(name: str, path: str, role: str):
        def make():
            return "GET", path, signed_in[role], None, 200

        make.__name__ = name
        return make

    floor = page(FLOOR, "/bench/page/", "commissioner")
    homes = [page(f"home-{role}", "/", role) for role in ("commissioner", "finance", "provider")]
    programmes = page("programme-list", "/programmes/", "commissioner")
    scenarios = {"returns-list": [returns_list], "returns-post": [returns_post], FLOOR: [floor]}
    scenarios |= {maker.__name__: [maker] for maker in (*homes, programmes)}
    scenarios["mixed"] = [returns_list, returns_post, homes[0]]
    return scenarios


def run(base: str, makers: list, seconds: float, threads: int) -> tuple[dict[str, Tally], float]:
    """`threads` clients, each sending requests made by one of `makers` (round robin over the
    clients), until `seconds` have passed; returns a tally per maker and the elapsed time."""
    address = urlsplit(base)
    tallies = {maker.__name__.replace("_", "-"): Tally() for maker in makers}  # kind -> tally
    deadline = time.perf_counter() + seconds

    def client(maker):
        tally = tallies[maker.__name__.replace("_", "-")]
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        while time.perf_counter() < deadline:
            made = maker()
            if made is None:
                break  # no return slots left
            method, path, headers, body, expected = made
            started = time.perf_counter()
            try:
                status = request(conn, method, path, headers, body)
                error = None if status == expected else f"{method} {path}: {status} (expected {expected})"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                error = f"{method} {path}: {exc!r}"
            tally.add(time.perf_counter() - started, error)
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(makers[i % len(makers)],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 60)
    return tallies, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="duration of each scenario")
    parser.add_argument("--threads", type=int, default=16, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--only", default="", help="comma-separated scenarios to run (default: all), e.g. floor-page,mixed"
    )
    args = parser.parse_args()
    if not 1 <= args.seconds <= 300:
        raise SystemExit("--seconds must be between 1 and 300")
    unknown = set(filter(None, args.only.split(","))) - {*SCENARIOS}
    if unknown:
        raise SystemExit(
            f"--only: no scenario {', '.join(sorted(unknown))}; there are {', '.join(SCENARIOS)}"
        )

    print(f"Preparing a fresh PostgreSQL database ({DATABASE}) with the demo data...", flush=True)
    url = fresh_database(DATABASE)
    cache = {"CACHE_URL": "dbcache://yardstick_cache"}
    secret = {"SECRET_KEY": "load-test-only-" + "x" * 50}  # the session is signed with it
    server_env = {
        **cache, **secret, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
        "THROTTLE_WRITES": "100000000/minute", "CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "bench.floor.settings",  # the product plus the floor page
        "YARDSTICK_TODAY": "2010-10-20",  # the demo's date (make run): home pages with work on them
        "MFA_REQUIRED": "false",  # the staff sessions are made with force_login, without a second factor
    }  # fmt: skip
    # enough return slots for 500 POSTs a second over both POST scenarios
    programmes = max(2, -(-int(args.seconds * 2 * 500) // (MEASURES * 6)))
    out = subprocess.run([PYTHON, "-c", "import django; django.setup()\n" + SETUP, str(programmes), str(MEASURES)],
                         cwd=ROOT, env=env(url, **cache, **secret, MFA_REQUIRED="false"), check=True, capture_output=True, text=True)  # fmt: skip
    setup = json.loads(out.stdout.strip().splitlines()[-1])
    slots = Slots(setup["programmes"], setup["measures"])

    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=env(url, **server_env), check=True)  # fmt: skip
    results = []
    load_before = os.getloadavg()[0]
    with gunicorn(url, workers=args.workers, args=SERVE_ARGS, **server_env) as base:
        scenarios = make_scenarios(setup, slots)
        run(base, scenarios["mixed"], 2, 6)  # warm-up: imports, connections, caches
        if args.only:
            scenarios = {name: makers for name, makers in scenarios.items() if name in args.only.split(",")}
        for name, makers in scenarios.items():
            tallies, elapsed = run(base, makers, args.seconds, args.threads)
            if len(tallies) > 1:  # the mixed run: the whole, then each kind within it
                results.append((name, Tally(sum((t.latencies for t in tallies.values()), []),
                                            sum((t.errors for t in tallies.values()), [])), elapsed))  # fmt: skip
                results += [(f"  {kind}", tally, elapsed) for kind, tally in tallies.items()]
            else:
                results += [(name, tally, elapsed) for tally in tallies.values()]
            print(f"  {name}: done", flush=True)

    print(f"\ngunicorn workers: {args.workers} (make serve flags), client threads: {args.threads}, "
          f"{args.seconds:g} s per scenario, PostgreSQL, DEBUG off, CPUs: {os.cpu_count()}, "
          f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print(f"{'scenario':<14} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    failed = 0
    for name, tally, elapsed in results:
        count = len(tally.latencies)
        print(f"{name:<14} {count:>9} {count / elapsed:>8.1f} {percentile(tally.latencies, 0.50) * 1000:>8.1f} "
              f"{percentile(tally.latencies, 0.99) * 1000:>8.1f} {len(tally.errors):>7}")  # fmt: skip
        if not name.startswith(" "):  # a mixed run's parts are already counted in its whole
            failed += len(tally.errors)
        for error in tally.errors[:3]:
            print(f"    e.g. {error}")
    rates = {name: len(tally.latencies) / elapsed for name, tally, elapsed in results}
    under = []
    if rates.get(FLOOR):
        print(f"\npages against the floor page ({rates[FLOOR]:.1f} req/s), goal >= {GOAL:.0%}:")
        for name in (page for page in PAGES if page in rates):
            share = rates[name] / rates[FLOOR]
            print(
                f"  {name:<18} {rates[name]:>8.1f} req/s  {share:>6.0%}{'' if share >= GOAL else '  UNDER GOAL'}"
            )
            if share < GOAL:
                under.append(name)
    if failed:
        raise SystemExit(f"{failed} requests failed")
    if under:
        raise SystemExit(f"under {GOAL:.0%} of the floor page: {', '.join(under)}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
