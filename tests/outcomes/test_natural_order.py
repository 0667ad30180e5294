"""Indicators sort as people count: NI 15 before NI 111 (issue 12, defect 9), on the indicator
list, the priority pages and in the API."""

import pytest
from django.urls import reverse

from core.sorting import natural_key
from outcomes.models import Indicator
from tests.conftest import login
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

CODES = ["NI 111", "NI 15", "NI 152", "ni 2", "LPI 7", "NI 40"]
NATURAL = ["LPI 7", "ni 2", "NI 15", "NI 40", "NI 111", "NI 152"]


def test_natural_key_orders_digit_runs_by_value():
    assert sorted(CODES, key=natural_key) == NATURAL
    assert natural_key("NI 015") == natural_key("ni 15")


@pytest.fixture
def indicators():
    return [IndicatorFactory(code=code) for code in CODES]


def test_the_model_orders_naturally_and_keeps_the_key_when_the_code_changes(indicators):
    assert [i.code for i in Indicator.objects.all()] == NATURAL
    first = Indicator.objects.get(code="LPI 7")
    first.code = "NI 999"
    first.save(update_fields=["code"])
    assert [i.code for i in Indicator.objects.all()][-1] == "NI 999"


def test_the_indicator_page_lists_them_naturally(client, commissioner, indicators):
    page = login(client, commissioner).get(reverse("indicator-list")).content.decode()
    positions = [page.index(f">{code} ") for code in NATURAL]
    assert positions == sorted(positions)


def test_the_api_lists_them_naturally(api, commissioner, indicators):
    body = api(commissioner).get("/api/indicators/", {"page_size": 50}).json()
    results = body["results"] if isinstance(body, dict) else body
    assert [i["code"] for i in results] == NATURAL
