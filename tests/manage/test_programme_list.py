"""The programme list: filters by priority, provider, stream, ward, status, theme and search;
sorting; paging; what each role sees; a query count that does not grow with the rows."""

import re
from decimal import Decimal

import pytest

from grants.models import Programme
from tests.conftest import login
from tests.factories import FundingStreamFactory, OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
URL = "/programmes/"


@pytest.fixture
def listed(setup, org_a, org_b):
    """Besides programme A: B (org_b, youth crime, Nunhead, suspended) and C (org_b, another stream)."""
    b = ProgrammeFactory(reference="SSP-0002", provider=org_b, title="Mediation", primary_priority=setup["youth"],
                         status=Programme.Status.SUSPENDED, award_amount=Decimal("50000"))  # fmt: skip
    b.wards.add(setup["nunhead"])
    c = ProgrammeFactory(reference="SSP-0003", provider=org_b, title="Street pastors",
                         funding_stream=FundingStreamFactory(name="Home Office"), award_amount=Decimal("70000"))  # fmt: skip
    a = setup["programme"]
    a.wards.add(setup["peckham"])
    a.themes.add(setup["theme"])
    return {"a": a, "b": b, "c": c}


def titles(response) -> list[str]:
    page = response.content.decode()
    return [t for t in ("Through-the-gate", "Mediation", "Street pastors") if f">{t}<" in page]


def shown_in_order(response) -> list[str]:
    page = response.content.decode()
    found = {t: page.find(f">{t}<") for t in ("Through-the-gate", "Mediation", "Street pastors")}
    return [t for t, at in sorted(found.items(), key=lambda kv: kv[1]) if at >= 0]


@pytest.mark.parametrize("query, expected", [
    (lambda s, x: {"priority": s["youth"].pk}, ["Mediation"]),
    (lambda s, x: {"provider": x["b"].provider_id}, ["Mediation", "Street pastors"]),
    (lambda s, x: {"stream": s["stream"].pk}, ["Through-the-gate"]),
    (lambda s, x: {"ward": s["nunhead"].pk}, ["Mediation"]),
    (lambda s, x: {"theme": s["theme"].pk}, ["Through-the-gate"]),
    (lambda s, x: {"status": "suspended"}, ["Mediation"]),
    (lambda s, x: {"q": "street"}, ["Street pastors"]),
    (lambda s, x: {"q": "st giles"}, ["Through-the-gate"]),  # the provider's name
    (lambda s, x: {"q": "ssp-0002"}, ["Mediation"]),
    (lambda s, x: {"status": "active", "provider": x["b"].provider_id}, ["Street pastors"]),
])  # fmt: skip
def test_each_filter_narrows_the_list(client, commissioner, setup, listed, query, expected):
    login(client, commissioner)
    response = client.get(URL, query(setup, listed))
    assert response.status_code == 200
    assert titles(response) == expected


def test_the_export_follows_the_filters(client, commissioner, setup, listed):
    login(client, commissioner)
    body = client.get("/programmes/export.csv", {"ward": setup["nunhead"].pk}).content.decode()
    assert "Mediation" in body and "Street pastors" not in body


@pytest.mark.parametrize("sort, order", [
    ("title", ["Mediation", "Street pastors", "Through-the-gate"]),
    ("-award", ["Through-the-gate", "Street pastors", "Mediation"]),
    ("reference", ["Mediation", "Street pastors", "Through-the-gate"]),
])  # fmt: skip
def test_the_list_sorts_by_a_column(client, commissioner, setup, listed, sort, order):
    login(client, commissioner)
    Programme.objects.filter(pk=listed["a"].pk).update(reference="SSP-0009")
    assert shown_in_order(client.get(URL, {"sort": sort})) == order


def test_a_choice_that_does_not_exist_is_an_error_beside_its_filter(client, commissioner, setup, listed):
    login(client, commissioner)
    response = client.get(URL, {"ward": "99999", "status": "sleeping"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page


def test_a_provider_sees_only_its_organisations_programmes_and_providers(client, provider, setup, listed):
    login(client, provider)
    response = client.get(URL)
    assert titles(response) == ["Through-the-gate"]
    page = response.content.decode()
    assert "Southwark Mediation Centre" not in page  # not even as a filter choice
    response = client.get(URL, {"provider": listed["b"].provider_id})  # not theirs: not a choice
    assert "Select a valid choice" in response.content.decode()
    assert titles(response) == ["Through-the-gate"]


def test_the_list_pages_through_many_programmes_in_a_fixed_number_of_queries(
    client, commissioner, setup, django_assert_max_num_queries
):
    login(client, commissioner)
    stream = FundingStreamFactory(budget=Decimal("1e9"))
    for n in range(60):
        provider = OrganisationFactory(org_id=f"GB-CHC-LIST{n}")
        ProgrammeFactory(reference=f"SSP-X{n:03d}", funding_stream=stream, provider=provider,
                         primary_priority=setup["violent"])  # fmt: skip
    with django_assert_max_num_queries(16) as few:
        client.get(URL, {"sort": "title"})
    with django_assert_max_num_queries(len(few)) as many:
        page = client.get(URL, {"sort": "title", "page": 3}).content.decode()
    assert len(many) == len(few)
    assert re.search(r"Page 3 of 3", page)
