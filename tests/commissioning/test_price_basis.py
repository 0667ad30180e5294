"""A round's price year and GDP deflator series chosen on the web form and through the API (the
same service), validated with clear messages, named by the VfM API, and moving its figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning import selectors
from commissioning.models import ReviewRound
from outcomes.models import DeflatorSeries
from outcomes.prices import HMT_MARCH_2015_NAME
from outcomes.services.unit_costs import deflator_series_load
from tests.commissioning.test_vfm_green_book_example import _example
from tests.conftest import login

pytestmark = pytest.mark.django_db
URL = "/api/review-rounds/"


@pytest.fixture
def newer(db):
    """A second series loaded after the HM Treasury one, so the newest by default."""
    return deflator_series_load(name="Test deflators 2020", source="Test",
                                years=[("2009/10", 80, False), ("2010/11", 82, False),
                                       ("2012/13", 85, False), ("2013/14", 86, False)])  # fmt: skip


def _post(client, **extra):
    body = {"name": "2010/11 review", "first_year": "2010/11", "last_year": "2010/11", **extra}
    return client.post(reverse("commissioning:rounds"), body)


def test_form_offers_the_loaded_series_and_saves_a_valid_choice(client, commissioner, newer):
    login(client, commissioner)
    page = client.get(reverse("commissioning:rounds")).content.decode()
    hmt = DeflatorSeries.objects.get(name=HMT_MARCH_2015_NAME)
    assert 'name="price_year"' in page and f'<option value="{hmt.pk}">' in page
    assert "The newest loaded (Test deflators 2020)" in page
    made = _post(client, price_year="2009/10", deflator_series=str(hmt.pk))
    assert made.status_code == 302
    saved = ReviewRound.objects.get(name="2010/11 review")
    assert (saved.price_year, saved.deflator_series) == ("2009/10", hmt)


def test_form_blank_keeps_the_defaults(client, commissioner, newer):
    login(client, commissioner)
    assert _post(client, price_year="", deflator_series="").status_code == 302
    saved = ReviewRound.objects.get(name="2010/11 review")
    assert (saved.price_year, saved.deflator_series) == ("", None)
    inputs = selectors.vfm_inputs(saved)
    assert (inputs.price_year, inputs.deflator_series) == ("2010/11", "Test deflators 2020")


@pytest.mark.parametrize(
    ("year", "message"),
    [("2010-11", "is not a financial year"), ("2010/12", "2010 is followed by 11"),
     ("2030/31", "has no index for 2030/31: choose a price year from 1989/90 to 2019/20")],
)  # fmt: skip
def test_form_refuses_a_bad_price_year_and_keeps_what_was_typed(client, commissioner, year, message):
    login(client, commissioner)
    hmt = DeflatorSeries.objects.get(name=HMT_MARCH_2015_NAME)
    page = _post(client, price_year=year, deflator_series=str(hmt.pk)).content.decode()
    assert message in page and 'href="#round-price-year"' in page and f'value="{year}"' in page
    assert not ReviewRound.objects.filter(name="2010/11 review").exists()


@pytest.mark.parametrize("series", ["999999", "not-an-id", "9" * 30])
def test_form_refuses_an_unknown_series(client, commissioner, series):
    login(client, commissioner)
    page = _post(client, price_year="2010/11", deflator_series=series).content.decode()
    assert (
        "Choose a GDP deflator series from those loaded" in page and 'href="#round-deflator-series"' in page
    )
    assert not ReviewRound.objects.exists()


def test_api_create_and_change_the_price_basis(api, commissioner, newer):
    hmt = DeflatorSeries.objects.get(name=HMT_MARCH_2015_NAME)
    client = api(commissioner)
    plain = client.post(
        URL, {"name": "A", "first_year": "2010/11", "last_year": "2010/11"}, format="json"
    ).json()
    assert (plain["price_year"], plain["price_year_chosen"], plain["deflator_series"]) == (
        "2010/11",
        "",
        None,
    )
    body = {"name": "B", "first_year": "2010/11", "last_year": "2010/11", "price_year": "2013/14",
            "deflator_series": hmt.pk}  # fmt: skip
    made = client.post(URL, body, format="json").json()
    assert (made["price_year"], made["price_year_chosen"], made["deflator_series"]) == (
        "2013/14",
        "2013/14",
        hmt.pk,
    )
    bad = client.post(
        URL, {**body, "name": "C", "price_year": "2013-14", "deflator_series": 999999}, format="json"
    )
    assert bad.status_code == 400 and "is not a financial year" in bad.json()["price_year"][0]
    assert "Choose a GDP deflator series" in bad.json()["deflator_series"][0]
    url = f"{URL}{made['id']}/"
    changed = client.patch(url, {"price_year": "2012/13"}, format="json").json()
    assert (changed["price_year"], changed["deflator_series"]) == ("2012/13", hmt.pk)  # the series is kept
    reset = client.patch(url, {"price_year": "", "deflator_series": None}, format="json").json()
    assert (reset["price_year"], reset["price_year_chosen"], reset["deflator_series"]) == (
        "2010/11",
        "",
        None,
    )
    assert client.patch(url, {"price_year": "2040/41"}, format="json").status_code == 400
    assert ReviewRound.objects.get(pk=made["id"]).price_year == ""  # a refusal loses nothing


def test_closed_round_price_basis_cannot_change(api, commissioner):
    client = api(commissioner)
    made = client.post(
        URL, {"name": "A", "first_year": "2010/11", "last_year": "2010/11"}, format="json"
    ).json()
    ReviewRound.objects.filter(pk=made["id"]).update(status="closed")
    response = client.patch(f"{URL}{made['id']}/", {"price_year": "2012/13"}, format="json")
    assert response.status_code == 409 and ReviewRound.objects.get(pk=made["id"]).price_year == ""


def test_vfm_figures_move_with_the_price_year_and_the_api_names_it(api, commissioner, monkeypatch):
    """docs/vfm.md's second example, in 2013/14 prices, then in 2012/13 prices: every benefit falls
    by the deflator's ratio, costs (cash) stay put, and the VfM response names the basis."""
    review_round, _, _ = _example(commissioner, monkeypatch)
    monkeypatch.setattr("core.clock.today", lambda: date(2013, 6, 1))
    client = api(commissioner)
    url = f"{URL}{review_round.pk}/vfm/"
    before = client.get(url)
    assert before["Price-Year"] == "2013/14" and before["Deflator-Series"] == HMT_MARCH_2015_NAME.encode(
        "latin-1", "replace").decode("latin-1")  # fmt: skip
    rows = {r["reference"]: r for r in before.json()}
    assert Decimal(rows["R"]["benefit"]) == Decimal("384170.60")
    assert (
        client.patch(f"{URL}{review_round.pk}/", {"price_year": "2012/13"}, format="json").status_code == 200
    )
    after = client.get(url)
    assert after["Price-Year"] == "2012/13"
    moved = {r["reference"]: r for r in after.json()}
    index = dict(
        DeflatorSeries.objects.get(name=HMT_MARCH_2015_NAME).years.values_list("financial_year", "index")
    )
    ratio = index["2012/13"] / index["2013/14"]
    assert moved["R"]["cost"] == rows["R"]["cost"]
    assert Decimal(moved["R"]["benefit"]) < Decimal(rows["R"]["benefit"])
    assert Decimal(moved["R"]["benefit"]) == pytest.approx(
        Decimal(rows["R"]["benefit"]) * ratio, abs=Decimal("0.05")
    )
    assert client.get(url + "?format=csv")["Price-Year"] == "2012/13"


def test_web_edit_of_a_round_price_basis(client, commissioner, newer):
    login(client, commissioner)
    review_round = ReviewRound.objects.create(name="R", first_year="2010/11", last_year="2010/11",
                                              created_by=commissioner)  # fmt: skip
    overview = client.get(reverse("commissioning:round", args=[review_round.pk])).content.decode()
    url = reverse("commissioning:price-basis", args=[review_round.pk])
    assert f'href="{url}"' in overview and "2010/11 prices, Test deflators 2020" in overview
    assert 'id="round-price-year"' in client.get(url).content.decode()
    hmt = DeflatorSeries.objects.get(name=HMT_MARCH_2015_NAME)
    bad = client.post(url, {"price_year": "2010/12", "deflator_series": str(hmt.pk)}).content.decode()
    assert "2010 is followed by 11" in bad and 'value="2010/12"' in bad
    review_round.refresh_from_db()
    assert (review_round.price_year, review_round.deflator_series) == ("", None)
    assert client.post(url, {"price_year": "2009/10", "deflator_series": str(hmt.pk)}).status_code == 302
    review_round.refresh_from_db()
    assert (review_round.price_year, review_round.deflator_series) == ("2009/10", hmt)
    page = client.get(reverse("commissioning:round", args=[review_round.pk])).content.decode()
    assert f"2009/10 prices, {HMT_MARCH_2015_NAME}" in page
    ReviewRound.objects.filter(pk=review_round.pk).update(status="closed")
    refused = client.post(url, {"price_year": "2010/11", "deflator_series": ""}, follow=True).content.decode()
    assert "closed and read-only" in refused
    review_round.refresh_from_db()
    assert review_round.price_year == "2009/10"
