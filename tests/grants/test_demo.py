"""The demo loader: what it loads, that it is idempotent, and that it refuses production."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.roles import Role, roles_of
from commissioning.models import ReviewRound
from core import clock
from grants import selectors, services
from grants.demo import DEMO_TODAY
from grants.models import FundingStream, OutcomeReturn, Programme, ProgrammePriority, ProgrammeTarget
from outcomes.models import Indicator, OutcomeMeasure, Plan, PriorityAction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_demo")]

MODELS = [Plan, PriorityAction, Indicator, OutcomeMeasure, FundingStream, Programme, ProgrammePriority,
          ProgrammeTarget, OutcomeReturn]  # fmt: skip


def load():
    call_command("load_demo", verbosity=0)


def test_loads_both_plans_with_their_priorities(demo):
    current = Plan.objects.get(is_current=True)
    assert current.version == "2009 revision"
    assert list(current.priorities.values_list("name", flat=True)) == [
        "Serious violent crime",
        "Preventing youth crime",
        "Anti social behaviour",
        "Drugs and alcohol",
        "Reducing re-offending and protecting the community",
        "Communities and communications",
    ]
    assert Plan.objects.get(version="2008 original").priorities.count() == 7
    assert (
        current.priorities.get(slug="serious-violent-crime")
        .actions.filter(text__startswith="Increase the number of intensive advocates")
        .exists()
    )


def test_portfolio_spreads_over_every_priority_with_targets(demo):
    assert Programme.objects.count() >= 20
    current = Plan.objects.get(is_current=True)
    served = current.priorities.annotate(n=Count("programme_priorities")).values_list("n", flat=True)
    assert all(n > 0 for n in served)
    assert not Programme.objects.annotate(p=Count("programme_priorities")).filter(p=0).exists()
    primaries = ProgrammePriority.objects.filter(is_primary=True).values("programme").annotate(n=Count("id"))
    assert {row["n"] for row in primaries} == {1}
    assert not Programme.objects.filter(targets__isnull=True).exists()
    assert Indicator.objects.filter(code__in=["NI 15", "NI 111", "NI 152"]).count() == 3
    assert OutcomeMeasure.objects.filter(theme__slug="worklessness").exists()
    assert all(m.unit_cost_source and m.unit_cost_price_year for m in OutcomeMeasure.objects.all())


def test_largest_stream_is_worklessness(demo):
    largest = FundingStream.objects.order_by("-budget").first()
    assert largest.name == "Working Neighbourhoods Fund"


def test_demo_users_have_their_roles_and_memberships(demo):
    users = {u.username: u for u in get_user_model().objects.all()}
    assert roles_of(users["admin"]) >= {Role.ADMIN}
    assert roles_of(users["commissioner"]) == {Role.COMMISSIONER}
    assert roles_of(users["finance"]) == {Role.FINANCE}
    assert roles_of(users["provider"]) == {Role.PROVIDER}
    assert users["provider"].check_password("yardstick-demo")
    orgs = {
        name: set(users[name].organisations.values_list("name", flat=True))
        for name in ["provider", "provider2"]
    }
    assert orgs["provider"] and orgs["provider2"] and not orgs["provider"] & orgs["provider2"]


def history_counts() -> dict[str, int]:
    historied = [m for m in apps.get_models() if hasattr(m, "history") and hasattr(m.history, "model")]
    return {m.__name__: m.history.count() for m in historied}


def test_running_twice_creates_nothing_and_leaves_peoples_work_alone():
    load()
    before = {m.__name__: m.objects.count() for m in MODELS}
    commissioner = get_user_model().objects.get(username="commissioner")
    waiting = OutcomeReturn.objects.filter(status=OutcomeReturn.Status.SUBMITTED).order_by("pk")
    verified, queried = waiting[0], waiting[1]
    services.return_verify(user=commissioner, outcome_return=verified)
    services.return_query(user=commissioner, outcome_return=queried, reason="Which cases are these?")
    programme = Programme.objects.get(reference="SSP-0918")
    programme.wards.clear()
    user = get_user_model().objects.get(username="provider")
    user.set_password("changed-by-someone")
    user.save()
    history = history_counts()

    load()

    assert {m.__name__: m.objects.count() for m in MODELS} == before
    assert history_counts() == history  # not a row re-saved, so no empty "changed" entries
    verified.refresh_from_db()
    queried.refresh_from_db()
    assert verified.status == OutcomeReturn.Status.VERIFIED
    assert (queried.status, queried.query_reason) == (OutcomeReturn.Status.QUERIED, "Which cases are these?")
    assert not programme.wards.exists()
    assert get_user_model().objects.get(username="provider").check_password("changed-by-someone")


def test_a_second_run_fills_in_what_is_missing():
    load()
    before = {m.__name__: m.objects.count() for m in MODELS}
    OutcomeReturn.objects.filter(programme__reference="SSP-0925", financial_year="2009/10", quarter=1).delete()
    history = history_counts()
    load()
    assert {m.__name__: m.objects.count() for m in MODELS} == before
    assert OutcomeReturn.history.count() == history["OutcomeReturn"] + 1
    assert Programme.history.count() == history["Programme"]


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    settings.YARDSTICK = {**settings.YARDSTICK, "ALLOW_DEMO_DATA": False}
    with pytest.raises(CommandError, match="DEBUG off"):
        load()
    assert not Programme.objects.exists()
    call_command("load_demo", "--force", verbosity=0)
    assert Programme.objects.exists()


def test_at_the_demo_date_a_newcomer_sees_every_state(demo, settings):
    """At `make run`'s date every state shows: returns due, late, queried and verified, returns
    waiting for verification, an open round, payments due (issue 12, defect 10)."""
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": DEMO_TODAY}
    users = {u.username: u for u in get_user_model().objects.all()}
    for username in ["provider", "provider2", "commissioner"]:
        slots = selectors.return_slots(users[username], today=clock.today(), window_days=30)
        states = {s["state"] for s in slots}
        assert {"due", "verified"} <= states, username
        submitted = [s["return"].submitted_at.date() for s in slots if s["return"]]
        assert max(submitted) <= DEMO_TODAY, username  # nothing sent after "today"
    provider_states = {s["state"] for s in selectors.return_slots(users["provider"], today=DEMO_TODAY, window_days=30)}
    assert {"late", "queried", "submitted"} <= provider_states
    assert ReviewRound.objects.filter(status=ReviewRound.Status.OPEN).exists()
    schedules = selectors.payment_schedules(selectors.pbr_programmes_visible_to(users["finance"]), today=DEMO_TODAY)
    assert schedules and all(s.paid > 0 and s.outstanding > 0 for s in schedules.values())
    assert not Programme.objects.filter(end_date__lt=DEMO_TODAY, status=Programme.Status.ACTIVE).exists()


def dry_run_make(env: dict) -> str:
    """The commands `make run` would run (make -n runs none of them)."""
    make = shutil.which("make") or "make"
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(  # noqa: S603 - make with fixed arguments
        [make, "-n", "-C", str(root), "run"], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_pins_the_demo_date_unless_the_environment_sets_it():
    env = {k: v for k, v in os.environ.items() if k != "YARDSTICK_TODAY"}
    assert f"YARDSTICK_TODAY={DEMO_TODAY:%Y-%m-%d} " in dry_run_make(env)
    chosen = dry_run_make({**env, "YARDSTICK_TODAY": "2011-01-05"})
    assert "YARDSTICK_TODAY=2011-01-05 " in chosen and "2010-10-20" not in chosen
