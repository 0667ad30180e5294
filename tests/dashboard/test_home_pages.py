"""The role home pages and the ward map pages: each role sees its own work, figures agree with
the selectors, providers see only their organisations' programmes, query counts stay fixed."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import OutcomeReturn, Programme
from outcomes.models import Ward
from tests.conftest import login, login_demo

DEMO_TODAY = "2010-10-20"


@pytest.fixture
def demo_today(settings):
    from datetime import date

    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date.fromisoformat(DEMO_TODAY)}


def _page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_commissioner_home_lists_verification_rounds_off_target_and_the_portfolio_once(
    client, demo, demo_today
):
    login_demo(client, "commissioner")
    page = _page(client)
    waiting = OutcomeReturn.objects.filter(status="submitted").count()
    assert "What needs doing" in page and "Verify returns" in page
    assert f"{waiting} waiting" in page
    assert "Score and decide: 2009/10 review of partnership-funded activity" in page
    assert "Programmes off target" in page and "Indicators off target (red)" in page
    total = sum(p.award_amount for p in Programme.objects.all())
    assert "counted once, under its <strong>primary</strong> priority" in page
    assert f"£{total:,.0f}" in page and "£12,1" not in page
    assert reverse("ward-map") in page
    assert "NI 111" in page and "govuk-tag" in page


def test_provider_home_is_a_task_list_of_their_own_programmes_only(client, demo, demo_today):
    login_demo(client, "provider")
    page = _page(client)
    own = Programme.objects.filter(provider__members__username="provider")
    others = Programme.objects.exclude(provider__members__username="provider")
    assert all(p.title in page for p in own)
    assert not any(p.title in page for p in others)
    assert "govuk-task-list" in page and "Your programmes" in page
    assert "Verify returns" not in page and "Portfolio by priority" not in page  # nothing of other roles


def test_finance_home_lists_payments_budgets_and_reviews(client, demo, demo_today):
    login_demo(client, "finance")
    page = _page(client)
    assert "Payments by results due" in page and "Budgets near or over commitment" in page
    assert "Funding reviews to produce and sign off" in page
    assert "Verify returns" not in page


def test_a_user_without_a_role_is_told_what_to_ask_for(client, django_user_model):
    user = django_user_model.objects.create_user("no-role", password="x-long-password-1")
    client.force_login(user)
    assert "Your account has no role yet" in _page(client)


@pytest.mark.parametrize("username", ["commissioner", "finance", "provider"])
def test_home_query_counts_are_fixed(client, demo, demo_today, username):
    login_demo(client, username)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    Programme.objects.filter(reference="SSP-0901").update(award_amount=Decimal("123456"))
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(before) == len(after) <= 40


def test_ward_map_shows_every_ward_with_the_attribution_and_figures_that_add_up(client, demo):
    login_demo(client, "commissioner")
    page = _page(client, reverse("ward-map"))
    assert page.count('<path d="M') == 21
    assert "Contains Ordnance Survey and Office for National Statistics data" in page
    assert "Open Government Licence v3.0" in page
    assert 'role="group" aria-labelledby="ward-map-title ward-map-desc"' in page
    total = sum(p.award_amount for p in Programme.objects.all())
    assert f"£{total:,.2f}" in page
    for ward in Ward.objects.all():
        assert reverse("ward-detail", args=[ward.pk]) in page


def test_ward_page_lists_the_programmes_serving_it_for_a_provider_only_their_own(client, demo):
    ward = Ward.objects.filter(programmes__provider__members__username="provider").first()
    login_demo(client, "provider")
    page = _page(client, reverse("ward-detail", args=[ward.pk]))
    own = ward.programmes.filter(provider__members__username="provider")
    assert all(p.title in page for p in own)
    assert not any(p.title in page for p in ward.programmes.exclude(provider__members__username="provider"))
    response = client.get(reverse("ward-detail", args=[999999]))
    assert response.status_code == 404 and "There is no ward with that number" in response.content.decode()


def test_ward_map_empty_for_a_new_partnership(client, commissioner):
    login(client, commissioner)
    page = _page(client, reverse("ward-map"))
    assert "No programmes yet" in page


def test_the_priority_page_links_to_the_ward_map(client, demo):
    from outcomes.models import Plan

    login_demo(client, "commissioner")
    priority = Plan.objects.get(is_current=True).priorities.first()
    assert reverse("ward-map") in _page(client, reverse("priority-detail", args=[priority.pk]))
