"""Priorities, themes and wards: created and changed through outcomes.services by commissioners
only, with clear refusals, history naming who did it, and the admin saving through the same
services."""

import pytest

from core.errors import NotPermitted, ValidationFailed
from outcomes import services
from outcomes.models import Priority, Theme, Ward
from outcomes.permissions import COMMISSIONERS_CHANGE_FRAMEWORK
from tests.factories import PartnershipFactory, PlanFactory, PriorityFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(version="2009 revision", is_current=True)


def test_a_commissioner_creates_a_priority_listed_last_with_a_slug_and_history(commissioner, plan):
    PriorityFactory(plan=plan, order=4)
    priority = services.priority_create(
        user=commissioner, plan=plan, name="  Drugs and  alcohol ", description="Treatment first."
    )
    assert (priority.name, priority.slug, priority.order) == ("Drugs and alcohol", "drugs-and-alcohol", 5)
    record = priority.history.get()
    assert record.history_type == "+" and record.history_user == commissioner


def test_a_second_priority_with_the_same_slug_gets_its_own(commissioner, plan):
    first = services.priority_create(user=commissioner, plan=plan, name="Drugs & alcohol")
    second = services.priority_create(user=commissioner, plan=plan, name="Drugs alcohol")
    third = services.priority_create(user=commissioner, plan=plan, name="Drugs-alcohol!")
    assert [first.slug, second.slug, third.slug] == ["drugs-alcohol", "drugs-alcohol-2", "drugs-alcohol-3"]


def test_a_duplicate_priority_name_is_refused_whatever_its_case(commissioner, plan):
    services.priority_create(user=commissioner, plan=plan, name="Violent crime")
    with pytest.raises(ValidationFailed) as refused:
        services.priority_create(user=commissioner, plan=plan, name="violent CRIME")
    assert refused.value.errors == {
        "name": [services.DUPLICATE_PRIORITY.format(plan=plan, name="violent CRIME")]
    }
    assert Priority.objects.filter(plan=plan).count() == 1


def test_the_same_priority_name_is_allowed_in_another_plan(commissioner, plan):
    services.priority_create(user=commissioner, plan=plan, name="Violent crime")
    other = PlanFactory(partnership=plan.partnership)
    assert services.priority_create(user=commissioner, plan=other, name="Violent crime").pk


def test_a_blank_name_is_refused(commissioner, plan):
    with pytest.raises(ValidationFailed) as refused:
        services.priority_create(user=commissioner, plan=plan, name="   ")
    assert refused.value.errors == {"name": [services.NAME_REQUIRED]}


def test_renaming_a_priority_keeps_its_slug_and_records_the_change(commissioner, plan):
    priority = services.priority_create(user=commissioner, plan=plan, name="Youth crime")
    services.priority_update(user=commissioner, priority=priority, name="Young people", description="x")
    priority.refresh_from_db()
    assert (priority.name, priority.slug, priority.description) == ("Young people", "youth-crime", "x")
    assert priority.history.count() == 2
    assert priority.history.first().history_user == commissioner


def test_renaming_onto_a_sibling_is_refused_but_keeping_ones_own_name_is_not(commissioner, plan):
    one = services.priority_create(user=commissioner, plan=plan, name="One")
    services.priority_create(user=commissioner, plan=plan, name="Two")
    with pytest.raises(ValidationFailed):
        services.priority_update(user=commissioner, priority=one, name="two")
    assert services.priority_update(user=commissioner, priority=one, name="One", order=9).order == 9


@pytest.mark.parametrize("who", ["finance", "provider"])
def test_only_commissioners_change_the_framework(request, plan, who):
    user = request.getfixturevalue(who)
    partnership = plan.partnership
    for attempt in (
        lambda: services.priority_create(user=user, plan=plan, name="P"),
        lambda: services.theme_create(user=user, partnership=partnership, name="T"),
        lambda: services.ward_create(user=user, partnership=partnership, name="W"),
    ):
        with pytest.raises(NotPermitted) as refused:
            attempt()
        assert refused.value.message == COMMISSIONERS_CHANGE_FRAMEWORK
    assert not Priority.objects.exists() and not Theme.objects.exists() and not Ward.objects.exists()


def test_themes_are_unique_by_name_and_recorded(commissioner):
    partnership = PartnershipFactory()
    ThemeFactory(partnership=partnership, name="Worklessness", slug="worklessness")
    theme = services.theme_create(user=commissioner, partnership=partnership, name="Regeneration")
    assert theme.slug == "regeneration" and theme.history.get().history_user == commissioner
    with pytest.raises(ValidationFailed) as refused:
        services.theme_create(user=commissioner, partnership=partnership, name="worklessness")
    assert refused.value.errors == {"name": [services.DUPLICATE_THEME.format(name="worklessness")]}
    updated = services.theme_update(user=commissioner, theme=theme, name="Regeneration", description="d")
    assert updated.description == "d"


def test_wards_are_unique_by_name_and_code(commissioner):
    partnership = PartnershipFactory()
    peckham = services.ward_create(user=commissioner, partnership=partnership, name="Peckham", code="e05000549")
    assert peckham.code == "E05000549"
    with pytest.raises(ValidationFailed) as by_name:
        services.ward_create(user=commissioner, partnership=partnership, name="PECKHAM")
    assert by_name.value.errors == {"name": [services.DUPLICATE_WARD.format(name="PECKHAM")]}
    with pytest.raises(ValidationFailed) as by_code:
        services.ward_create(user=commissioner, partnership=partnership, name="Nunhead", code="E05000549")
    assert by_code.value.errors == {
        "code": [services.DUPLICATE_WARD_CODE.format(code="E05000549", ward="Peckham")]
    }
    services.ward_update(user=commissioner, ward=peckham, name="Peckham Rye", code="E05000549")
    assert Ward.objects.get().name == "Peckham Rye"
    assert peckham.history.count() == 2


def test_the_admin_saves_priorities_through_the_service(client, admin_user, plan):
    PriorityFactory(plan=plan, name="Violent crime", slug="violent-crime")
    client.force_login(admin_user)
    form = {"plan": plan.pk, "name": "violent crime", "order": "3", "description": "",
            "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post("/admin/outcomes/priority/add/", form, follow=True)
    assert "already has a priority called" in response.content.decode()
    form["name"] = "Anti-social behaviour"
    assert client.post("/admin/outcomes/priority/add/", form).status_code == 302
    created = Priority.objects.get(name="Anti-social behaviour")
    assert created.slug == "anti-social-behaviour"
    assert created.history.get().history_user == admin_user
