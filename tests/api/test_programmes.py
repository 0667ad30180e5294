"""Programmes and targets through the API: commissioners write; filters; query counts."""

from datetime import date
from decimal import Decimal

import pytest

from grants.models import Programme, ProgrammeTarget
from tests.factories import (
    FundingStreamFactory,
    OrganisationFactory,
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    PriorityFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def programme_body(**overrides) -> dict:
    stream = overrides.pop("stream", None) or FundingStreamFactory(budget=Decimal("500000"))
    body = {
        "reference": "SSP-1001",
        "title": "Knife crime referral programme",
        "provider": OrganisationFactory().pk,
        "funding_stream": stream.pk,
        "award_amount": "120000.00",
        "start_date": "2010-04-01",
        "end_date": "2012-03-31",
        "primary_priority": PriorityFactory().pk,
    }
    body.update(overrides)
    return body


def test_commissioner_creates_and_changes_a_programme(api, commissioner):
    secondary, theme = PriorityFactory(), ThemeFactory()
    body = programme_body(priorities=[secondary.pk], themes=[theme.pk])
    response = api(commissioner).post("/api/programmes/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["award_amount"] == "120000.00" and created["targets"] == []
    assert [p["is_primary"] for p in created["priorities"]].count(True) == 1
    assert len(created["priorities"]) == 2 and created["themes"] == [theme.pk]
    changed = api(commissioner).patch(f"/api/programmes/{created['id']}/", {"award_amount": "130000.00",
                                      "primary_priority": secondary.pk}, format="json")  # fmt: skip
    assert changed.status_code == 200, changed.json()
    primary = [p for p in changed.json()["priorities"] if p["is_primary"]]
    assert primary == [{"id": secondary.pk, "name": secondary.name, "is_primary": True}]
    history = Programme.objects.get(pk=created["id"]).history.all()
    assert history.first().history_user == commissioner and history.first().award_amount == Decimal(
        "130000.00"
    )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"award_amount": "-1"}, "award_amount"),
        ({"end_date": "2010-03-01"}, "__all__"),
        ({"primary_priority": None}, "primary_priority"),
        ({"unknown": 1}, "unknown"),
        ({"award_amount": "600000.00"}, "award_amount"),  # more than the stream's budget
    ],
)
def test_invalid_programmes_are_refused_with_messages(api, commissioner, overrides, field):
    response = api(commissioner).post("/api/programmes/", programme_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Programme.objects.exists()


def test_over_commitment_message_names_what_is_available(api, commissioner):
    stream = FundingStreamFactory(budget=Decimal("200000"))
    ProgrammeFactory(funding_stream=stream, award_amount=Decimal("150000"))
    response = api(commissioner).post(
        "/api/programmes/", programme_body(stream=stream, award_amount="60000"), format="json"
    )
    assert response.status_code == 400
    assert "at most £50,000 is available" in response.json()["award_amount"][0]


def test_providers_and_finance_cannot_create_programmes(api, provider, finance):
    for user in (provider, finance):
        assert api(user).post("/api/programmes/", programme_body(), format="json").status_code == 403


def test_targets_create_update_delete(api, commissioner, provider, org_a):
    programme = ProgrammeFactory(provider=org_a)
    measure = OutcomeMeasureFactory()
    url = f"/api/programmes/{programme.pk}/targets/"
    body = {
        "measure": measure.pk,
        "financial_year": "2009/10",
        "quarter": 3,
        "target_value": "15",
        "tariff": "250.00",
    }
    created = api(commissioner).post(url, body, format="json")
    assert created.status_code == 201, created.json()
    again = api(commissioner).post(url, {**body, "target_value": "18"}, format="json")
    assert again.status_code == 200 and again.json()["target_value"] == "18.00"
    assert ProgrammeTarget.objects.count() == 1
    target_url = f"{url}{created.json()['id']}/"
    assert (
        api(commissioner).patch(target_url, {"target_value": "20"}, format="json").json()["target_value"]
        == "20.00"
    )
    assert api(commissioner).patch(target_url, {"target_value": "-2"}, format="json").status_code == 400
    outside = api(commissioner).post(url, {**body, "financial_year": "2012/13"}, format="json")
    assert outside.status_code == 400 and "outside the programme's dates" in outside.json()["quarter"][0]
    assert api(provider).get(url).json()[0]["target_value"] == "20.00"
    OutcomeReturnFactory(programme=programme, measure=measure, quarter=3)
    blocked = api(commissioner).delete(target_url)
    assert blocked.status_code == 409 and "cannot be deleted" in blocked.json()["detail"]
    OutcomeReturnFactory._meta.model.objects.all().delete()
    assert api(commissioner).delete(target_url).status_code == 204
    assert not ProgrammeTarget.objects.exists()


def test_programme_detail_includes_targets(api, commissioner):
    target = ProgrammeTargetFactory()
    body = api(commissioner).get(f"/api/programmes/{target.programme_id}/").json()
    assert body["targets"][0]["measure"] == target.measure_id


def test_programme_filters(api, commissioner):
    youth, asb = PriorityFactory(), PriorityFactory()
    theme = ThemeFactory()
    p1 = ProgrammeFactory(primary_priority=youth, title="Youth diversion", start_date=date(2009, 4, 1),
                          end_date=date(2010, 3, 31))  # fmt: skip
    p1.themes.add(theme)
    p2 = ProgrammeFactory(primary_priority=asb, title="Mediation", start_date=date(2010, 4, 1),
                          end_date=date(2011, 3, 31), status="completed")  # fmt: skip
    target = ProgrammeTargetFactory(programme=p2, financial_year="2010/11")
    client = api(commissioner)

    def ids(**params):
        response = client.get("/api/programmes/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(priority=youth.pk) == {p1.pk}
    assert ids(theme=theme.pk) == {p1.pk}
    assert ids(measure=target.measure_id) == {p2.pk}
    assert ids(status="completed") == {p2.pk}
    assert ids(financial_year="2009/10") == {p1.pk}
    assert ids(financial_year="2010/11") == {p2.pk}
    assert ids(search="diversion") == {p1.pk}
    assert ids(provider=p2.provider_id) == {p2.pk}
    assert ids(funding_stream=p1.funding_stream_id) == {p1.pk}
    ordered = client.get("/api/programmes/", {"ordering": "-title"}).json()["results"]
    assert [r["title"] for r in ordered] == ["Youth diversion", "Mediation"]
    assert client.get("/api/programmes/", {"financial_year": "2009"}).status_code == 400


def test_pagination_contract(api, commissioner):
    for _ in range(3):
        ProgrammeFactory()
    body = api(commissioner).get("/api/programmes/", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and "page=2" in body["next"]
    assert api(commissioner).get("/api/programmes/", {"page": 9}).status_code == 404
    assert api(commissioner).get("/api/programmes/?page=").status_code == 404
    capped = api(commissioner).get("/api/programmes/", {"page_size": 100000}).json()
    assert len(capped["results"]) == 3


@pytest.mark.parametrize(
    "url",
    ["/api/programmes/", "/api/returns/", "/api/indicators/", "/api/measures/", "/api/organisations/",
     "/api/priorities/", "/api/funding-streams/", "/api/themes/"],
)  # fmt: skip
def test_list_queries_are_constant_whatever_the_page_size(api, commissioner, url, django_assert_num_queries):
    from tests.factories import IndicatorFactory

    for _ in range(6):
        programme = ProgrammeFactory()
        programme.themes.add(ThemeFactory())
        OutcomeReturnFactory(programme=programme)
        IndicatorFactory()
    client = api(commissioner)
    counts = []
    for size in (2, 6):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{url}: {counts}"
    assert counts[1] <= 10
