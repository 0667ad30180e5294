"""The demo loader: what it loads, that it is idempotent, and that it refuses production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.roles import Role, roles_of
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


def test_running_twice_changes_nothing():
    load()
    before = {m.__name__: m.objects.count() for m in MODELS}
    user = get_user_model().objects.get(username="provider")
    user.set_password("changed-by-someone")
    user.save()
    load()
    assert {m.__name__: m.objects.count() for m in MODELS} == before
    assert get_user_model().objects.get(username="provider").check_password("yardstick-demo")


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    settings.YARDSTICK = {**settings.YARDSTICK, "ALLOW_DEMO_DATA": False}
    with pytest.raises(CommandError, match="DEBUG off"):
        load()
    assert not Programme.objects.exists()
    call_command("load_demo", "--force", verbosity=0)
    assert Programme.objects.exists()
