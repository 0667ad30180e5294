"""The portfolio pages: rendering, empty states, role isolation, history, query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Programme
from outcomes.models import Plan
from tests.conftest import login_demo
from tests.factories import PlanFactory, PriorityFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in [reverse("home"), reverse("programme-list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_and_rejects_bad_password(client, demo):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"login": "commissioner", "password": "wrong"})
    assert "is not right" in response.content.decode()
    response = client.post(reverse("login"), {"login": "commissioner", "password": "yardstick-demo"})
    assert response.status_code == 302


def test_dashboard_shows_the_six_priorities_with_awards_and_indicators(client, demo):
    login_demo(client, "commissioner")
    page = client.get(reverse("home")).content.decode()
    current = Plan.objects.get(is_current=True)
    for priority in current.priorities.all():
        assert priority.name in page
    assert "Safer Southwark Partnership" in page
    assert "NI 111" in page and 'class="govuk-tag govuk-tag--' in page
    total = sum(p.award_amount for p in Programme.objects.all())
    assert f"£{total:,.0f}" in page


def test_provider_sees_only_its_own_organisations_programmes(client, demo):
    login_demo(client, "provider")
    own = Programme.objects.filter(provider__members__username="provider")
    others = Programme.objects.exclude(provider__members__username="provider")
    assert own.exists() and others.exists()
    for url in [reverse("home"), reverse("programme-list") + "?page_size=100"]:
        page = client.get(url).content.decode()
        assert all(p.title in page for p in own)
        assert not any(p.title in page for p in others)
    assert client.get(reverse("programme-detail", args=[own.first().pk])).status_code == 200
    response = client.get(reverse("programme-detail", args=[others.first().pk]))
    assert response.status_code == 404
    assert "No programme with that id is visible to you" in response.content.decode()


def test_provider2_cannot_open_provider_programme(client, demo):
    login_demo(client, "provider2")
    theirs = Programme.objects.filter(provider__members__username="provider").first()
    assert client.get(reverse("programme-detail", args=[theirs.pk])).status_code == 404


def test_programme_page_shows_targets_returns_and_priorities(client, demo):
    login_demo(client, "commissioner")
    programme = Programme.objects.get(reference="SSP-0918")
    page = client.get(reverse("programme-detail", args=[programme.pk])).content.decode()
    assert programme.title in page and "St Giles Trust" in page
    assert "Offenders not reconvicted within 12 months" in page
    assert "2009/10 Q1" in page and "Verified" in page
    assert "Primary</strong>" in page and "£2,500" in page  # PbR tariff


def test_priority_page_shows_actions_indicators_and_programmes(client, demo):
    login_demo(client, "commissioner")
    priority = Plan.objects.get(is_current=True).priorities.get(slug="preventing-youth-crime")
    page = client.get(reverse("priority-detail", args=[priority.pk])).content.decode()
    assert "priority patrol task force" in page
    assert "NI 111" in page and "First time entrants" in page
    assert "Targeted youth support and diversion" in page


def test_empty_states(client, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("home")).content.decode()
    assert "No plan has been set up yet" in page
    plan = PlanFactory(is_current=True)
    PriorityFactory(plan=plan, name="Youth crime")
    page = client.get(reverse("home")).content.decode()
    assert "Youth crime" in page and "No plan has been set up yet" not in page
    page = client.get(reverse("programme-list") + "?q=nothing-matches").content.decode()
    assert "No programme matches these filters" in page


def test_unknown_pages_say_what_happened(client, commissioner):
    client.force_login(commissioner)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is no page at this address" in response.content.decode()
    assert client.get(reverse("programme-detail", args=[999999])).status_code == 404
    assert client.get(reverse("priority-detail", args=[999999])).status_code == 404


def test_award_change_is_recorded_with_who_and_what(client, commissioner):
    programme = ProgrammeFactory(award_amount=Decimal("1000.00"))
    programme._history_user = commissioner
    programme.award_amount = Decimal("1500.00")
    programme.save()
    latest = programme.history.first()
    assert latest.history_user == commissioner
    assert latest.award_amount == Decimal("1500.00")
    client.force_login(commissioner)
    page = client.get(reverse("programme-detail", args=[programme.pk])).content.decode()
    assert "Award amount changed from £1,000.00 to £1,500.00" in page
    assert "t-commissioner" in page


def test_admin_edit_records_history_user(client, admin_user):
    programme = ProgrammeFactory(title="Before")
    client.force_login(admin_user)
    url = reverse("admin:grants_programme_change", args=[programme.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    assert data  # the admin form renders with the programme's values
    programme.refresh_from_db()
    programme._history_user = admin_user
    programme.title = "After"
    programme.save()
    assert programme.history.first().history_user == admin_user


@pytest.mark.parametrize("count", [3, 12])
def test_dashboard_and_list_queries_do_not_grow_with_programmes(
    client, commissioner, count, django_assert_max_num_queries
):
    plan = PlanFactory(is_current=True)
    priority = PriorityFactory(plan=plan)
    for _ in range(count):
        ProgrammeFactory(primary_priority=priority)
    client.force_login(commissioner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(12):  # the filters' five choice lists among them
        assert client.get(reverse("programme-list")).status_code == 200


def test_list_and_export_show_the_primary_priority_only(client, commissioner):
    import csv
    import io

    plan = PlanFactory(is_current=True)
    primary, secondary = (
        PriorityFactory(plan=plan, name="Violent crime"),
        PriorityFactory(plan=plan, name="Youth"),
    )
    programme = ProgrammeFactory(primary_priority=primary, title="Mediation service")
    programme.programme_priorities.create(priority=secondary, is_primary=False)
    ProgrammeFactory(title="Unclassified work").programme_priorities.all().delete()  # none at all
    client.force_login(commissioner)

    page = client.get(reverse("programme-list")).content.decode()
    assert '<td class="govuk-table__cell">Violent crime</td>' in page
    assert '<td class="govuk-table__cell">Youth</td>' not in page
    assert '<td class="govuk-table__cell"></td>' in page  # no primary priority: an empty cell
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("programmes-export", args=["csv"])).content.decode()))
    )
    assert {r["Title"]: r["Primary priority"] for r in rows} == {"Mediation service": "Violent crime",
                                                                "Unclassified work": ""}  # fmt: skip
