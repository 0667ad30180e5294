"""Commissioners create and change programmes and their targets in the web app, through the
services; every other role is refused; refusals are shown on the form and nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Programme, ProgrammeTarget
from grants.services.programmes import TARGET_HAS_RETURNS
from tests.conftest import login
from tests.factories import OutcomeMeasureFactory, OutcomeReturnFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
D = Decimal


def programme_form(setup, org, **overrides) -> dict:
    form = {
        "reference": "ssp-1004", "title": "Gangs exit", "description": "", "provider": org.pk,
        "funding_stream": setup["stream"].pk, "award_amount": "60000", "service_fee": "0",
        "start_date": "2010-04-01", "end_date": "2011-03-31", "status": "active",
        "commissioning_model": "grant", "evidence_grade": "", "attribution": "",
        "primary_priority": setup["youth"].pk, "other_priorities": [setup["violent"].pk],
        "themes": [setup["theme"].pk], "wards": [setup["peckham"].pk, setup["nunhead"].pk],
    }  # fmt: skip
    return form | overrides


def test_a_commissioner_creates_a_programme_then_sets_its_targets(client, commissioner, setup, org_b):
    login(client, commissioner)
    assert client.get(reverse("programme-new")).status_code == 200
    response = client.post(reverse("programme-new"), programme_form(setup, org_b))
    programme = Programme.objects.get(reference="SSP-1004")
    assert response.status_code == 302 and response["Location"] == reverse("programme-targets", args=[programme.pk])
    links = set(programme.programme_priorities.values_list("priority__name", "is_primary"))
    assert links == {("Youth crime", True), ("Violent crime", False)}
    assert set(programme.wards.values_list("name", flat=True)) == {"Peckham", "Nunhead"}
    assert {record.history_user for record in programme.history.all()} == {commissioner}


@pytest.mark.parametrize("overrides, field_message", [
    ({"end_date": "2010-03-01"}, "The end date must be after the start date."),
    ({"award_amount": "450000"}, "at most £400,000 is available"),
    ({"award_amount": "-5"}, "The award cannot be negative."),
    ({"primary_priority": ""}, "Choose the one priority this programme mainly serves."),
    ({"start_date": "2010-02-31"}, "Enter a real start date."),
])  # fmt: skip
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client, commissioner, setup, org_b, overrides,
                                                             field_message):
    login(client, commissioner)
    response = client.post(reverse("programme-new"), programme_form(setup, org_b, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert field_message in page.replace("&#x27;", "'")
    assert 'value="Gangs exit"' in page  # what was typed is kept
    assert not Programme.objects.filter(reference="SSP-1004").exists()


@pytest.mark.parametrize("who, status", [("finance", 403), ("provider", 403), ("provider2", 403)])
def test_other_roles_cannot_create_programmes(client, request, setup, org_b, who, status):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("programme-new")).status_code == status
    assert client.post(reverse("programme-new"), programme_form(setup, org_b)).status_code == status
    assert not Programme.objects.filter(reference="SSP-1004").exists()


@pytest.mark.parametrize("who, status", [("finance", 403), ("provider", 403), ("provider2", 404)])
def test_other_roles_cannot_edit_a_programme_or_its_targets(client, request, setup, who, status):
    login(client, request.getfixturevalue(who))
    programme = setup["programme"]
    for name in ("programme-edit", "programme-targets"):
        assert client.get(reverse(name, args=[programme.pk])).status_code == status


def test_a_commissioner_changes_the_award_and_the_change_is_recorded(client, commissioner, setup, org_a):
    login(client, commissioner)
    programme = setup["programme"]
    form = programme_form(setup, org_a, reference=programme.reference, title="Through-the-gate",
                          award_amount="120000", start_date="2009-04-01")  # fmt: skip
    response = client.post(reverse("programme-edit", args=[programme.pk]), form)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.award_amount == D("120000")
    assert programme.history.first().history_user == commissioner
    page = client.get(reverse("programme-edit", args=[programme.pk])).content.decode()
    assert 'value="120000.00"' in page


def test_dates_that_would_strand_targets_are_refused_on_the_form(client, commissioner, setup, org_a):
    login(client, commissioner)
    programme = setup["programme"]
    form = programme_form(setup, org_a, reference=programme.reference, start_date="2010-04-01")
    response = client.post(reverse("programme-edit", args=[programme.pk]), form)
    assert response.status_code == 200
    assert "The programme has targets outside" in response.content.decode()
    programme.refresh_from_db()
    assert programme.start_date.year == 2009


# --- the target grid --------------------------------------------------------------------------


def test_the_grid_shows_a_row_per_measure_and_a_column_per_quarter(client, commissioner, setup):
    login(client, commissioner)
    programme = setup["programme"]
    page = client.get(reverse("programme-targets", args=[programme.pk])).content.decode()
    assert "Sustained job entries" in page
    for label in ("2009/10", "2010/11"):
        assert label in page
    measure = setup["measure"]
    assert f'name="m{measure.pk}-2009-1" value="10"' in page
    assert f'name="m{measure.pk}-2010-4"' in page


def test_a_commissioner_fills_the_grid_and_adds_a_measure(client, commissioner, setup):
    login(client, commissioner)
    programme, measure = setup["programme"], setup["measure"]
    other = OutcomeMeasureFactory(name="Reconvictions avoided")
    url = reverse("programme-targets", args=[programme.pk])
    page = client.get(url, {"add": other.pk}).content.decode()
    assert f'name="m{other.pk}-2009-1"' in page
    data = {"measure": [other.pk], f"m{measure.pk}-2009-1": "12", f"m{measure.pk}-2009-2": "14",
            f"m{other.pk}-2010-3": "3"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    values = set(ProgrammeTarget.objects.filter(programme=programme).values_list(
        "measure__name", "financial_year", "quarter", "target_value"))  # fmt: skip
    assert values == {
        ("Sustained job entries", "2009/10", 1, D("12")),
        ("Sustained job entries", "2009/10", 2, D("14")),
        ("Reconvictions avoided", "2010/11", 3, D("3")),
    }


def test_a_refused_cell_is_named_and_nothing_of_the_grid_is_saved(client, commissioner, setup):
    login(client, commissioner)
    programme, measure = setup["programme"], setup["measure"]
    OutcomeReturnFactory(programme=programme, measure=measure, financial_year="2009/10", quarter=1)
    url = reverse("programme-targets", args=[programme.pk])
    response = client.post(url, {f"m{measure.pk}-2009-1": "", f"m{measure.pk}-2009-2": "7"})
    assert response.status_code == 200
    page = response.content.decode()
    assert TARGET_HAS_RETURNS in page.replace("&#x27;", "'")
    assert f'name="m{measure.pk}-2009-2" value="7"' in page  # kept to correct
    assert ProgrammeTarget.objects.filter(programme=programme).count() == 1


def test_a_cell_that_is_not_a_number_is_refused(client, commissioner, setup):
    login(client, commissioner)
    programme, measure = setup["programme"], setup["measure"]
    url = reverse("programme-targets", args=[programme.pk])
    response = client.post(url, {f"m{measure.pk}-2009-2": "lots"})
    assert "Enter a number for Sustained job entries in 2009/10 Q2." in response.content.decode()


def test_quarters_outside_the_dates_cannot_be_filled(client, commissioner, setup):
    from datetime import date

    login(client, commissioner)
    measure = setup["measure"]
    late_start = ProgrammeFactory(start_date=date(2009, 10, 1), end_date=date(2010, 9, 30))
    url = reverse("programme-targets", args=[late_start.pk])
    client.post(url, {"measure": [measure.pk], f"m{measure.pk}-2009-1": "5", f"m{measure.pk}-2009-3": "6"})
    assert list(ProgrammeTarget.objects.filter(programme=late_start).values_list("quarter", flat=True)) == [3]
