"""Funding streams, priorities, themes and wards in the web app: who may add and change them,
what is refused, and the history kept."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import FundingStream
from outcomes.models import Priority, Theme, Ward
from tests.conftest import login
from tests.factories import FunderFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def stream_form(**overrides) -> dict:
    form = {"name": "Safer Stronger Communities Fund", "funder": FunderFactory().pk,
            "financial_year": "2010/11", "budget": "400000", "code": "", "description": ""}  # fmt: skip
    return form | overrides


@pytest.mark.parametrize("who", ["finance", "commissioner"])
def test_finance_officers_and_commissioners_add_a_stream(client, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("stream-new")).status_code == 200
    response = client.post(reverse("stream-new"), stream_form())
    stream = FundingStream.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("finance-stream", args=[stream.pk])
    assert stream.code == "safer-stronger-communities-fund-2010-11"


@pytest.mark.parametrize("who", ["provider", "provider2"])
def test_providers_cannot_add_or_change_streams(client, request, setup, who):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("stream-new")).status_code == 403
    assert client.post(reverse("stream-new"), stream_form()).status_code == 403
    assert client.get(reverse("stream-edit", args=[setup["stream"].pk])).status_code == 403


def test_a_budget_below_the_awards_is_refused_on_the_form(client, finance, setup):
    login(client, finance)
    stream = setup["stream"]
    ProgrammeFactory(funding_stream=stream, award_amount=Decimal("250000"))
    form = stream_form(name=stream.name, funder=stream.funder_id, financial_year=stream.financial_year,
                       budget="300000", code=stream.code)  # fmt: skip
    response = client.post(reverse("stream-edit", args=[stream.pk]), form)
    assert response.status_code == 200
    assert "£350,000 is already awarded" in response.content.decode()
    stream.refresh_from_db()
    assert stream.budget == Decimal("500000")
    form["budget"] = "350000"
    assert client.post(reverse("stream-edit", args=[stream.pk]), form).status_code == 302
    stream.refresh_from_db()
    assert stream.budget == Decimal("350000") and stream.history.first().history_user == finance


def test_a_malformed_year_is_refused_on_its_field(client, finance):
    login(client, finance)
    response = client.post(reverse("stream-new"), stream_form(financial_year="2010-11"))
    assert response.status_code == 200
    assert "2010/11" in response.content.decode()
    assert not FundingStream.objects.exists()


# --- the plan: priorities, themes, wards ------------------------------------------------------


@pytest.mark.parametrize("who, status", [("commissioner", 200), ("finance", 200), ("provider", 403)])
def test_the_plan_page_is_for_partnership_staff(client, request, setup, who, status):
    login(client, request.getfixturevalue(who))
    response = client.get(reverse("framework"))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Violent crime" in page and "Worklessness" in page and "Peckham" in page
        assert (reverse("priority-new") in page) == (who == "commissioner")


def test_finance_officers_read_the_plan_but_cannot_change_it(client, finance, setup):
    login(client, finance)
    for url in (reverse("priority-new"), reverse("theme-new"), reverse("ward-new"),
                reverse("priority-edit", args=[setup["violent"].pk])):  # fmt: skip
        assert client.get(url).status_code == 403
    assert client.post(reverse("ward-new"), {"name": "Livesey"}).status_code == 403
    assert not Ward.objects.filter(name="Livesey").exists()


def test_a_commissioner_adds_a_priority_a_theme_and_a_ward(client, commissioner, setup):
    login(client, commissioner)
    response = client.post(reverse("priority-new"), {"name": "Drugs and alcohol", "description": ""})
    assert response.status_code == 302 and response["Location"] == reverse("framework")
    priority = Priority.objects.get(name="Drugs and alcohol")
    assert priority.plan == setup["plan"] and priority.order == 3
    client.post(reverse("theme-new"), {"name": "Regeneration", "description": "Places"})
    client.post(reverse("ward-new"), {"name": "Livesey", "code": "e05000544"})
    assert Theme.objects.get(name="Regeneration").history.get().history_user == commissioner
    assert Ward.objects.get(name="Livesey").code == "E05000544"


def test_duplicates_are_refused_on_the_name_field(client, commissioner, setup):
    login(client, commissioner)
    response = client.post(reverse("priority-new"), {"name": "violent crime"})
    assert response.status_code == 200
    assert "already has a priority called “violent crime”" in response.content.decode()
    response = client.post(reverse("ward-new"), {"name": "Peckham"})
    assert "There is already a ward called “Peckham”." in response.content.decode()
    assert Ward.objects.filter(name__iexact="peckham").count() == 1


def test_a_commissioner_renames_a_ward_and_sees_its_history(client, commissioner, setup):
    login(client, commissioner)
    url = reverse("ward-edit", args=[setup["peckham"].pk])
    assert client.post(url, {"name": "Peckham Rye", "code": "E05000549"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'value="Peckham Rye"' in page and commissioner.username in page
