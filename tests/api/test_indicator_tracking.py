"""GET /api/indicators/{id}/tracking/: years with RAG, contributions narrowed by role, schema."""

from decimal import Decimal

import pytest

from outcomes.models import Indicator, IndicatorYear
from tests.factories import IndicatorFactory, OutcomeMeasureFactory, ProgrammeFactory, ProgrammeTargetFactory

pytestmark = pytest.mark.django_db


def url(pk) -> str:
    return f"/api/indicators/{pk}/tracking/"


def test_needs_a_signed_in_caller(api):
    assert api().get(url(IndicatorFactory().pk)).status_code == 401


def test_demo_indicator_years_and_statuses(api, demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="finance")
    indicator = Indicator.objects.get(code="NI 111")
    response = api(user).get(url(indicator.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "NI 111" and body["polarity"] == "lower" and body["tolerance"] == "0.050"
    assert body["latest_year"] == "2009/10"
    assert body["latest_status"] == {"code": "green", "label": "On target"}
    assert [(y["financial_year"], y["status"]["code"]) for y in body["years"]] == [
        ("2008/09", "red"),
        ("2009/10", "green"),
        ("2010/11", "grey"),
    ]
    first = body["years"][0]
    assert (first["baseline"], first["target"], first["actual"], first["gap"]) == (
        "2050.000",
        "1950.000",
        "2110.000",
        "-160.000",
    )
    assert body["years"][2]["actual"] is None and body["years"][2]["gap"] is None
    assert body["contributions"], "NI 111 has contributing demo programmes"
    row = body["contributions"][0]
    assert set(row) == {
        "programme", "programme_reference", "programme_title", "provider", "measure", "measure_name",
        "target", "returned", "verified", "achieved",
    }  # fmt: skip


def test_no_baseline_is_grey(api, commissioner):
    indicator = IndicatorFactory()
    IndicatorYear.objects.create(indicator=indicator, financial_year="2009/10", target=5, actual=4)
    body = api(commissioner).get(url(indicator.pk)).json()
    assert body["latest_status"] == {"code": "grey", "label": "Baseline not yet established"}


def test_contributions_are_narrowed_to_the_providers_programmes(api, provider, commissioner, org_a, org_b):
    indicator = IndicatorFactory()
    measure = OutcomeMeasureFactory(indicator=indicator)
    own = ProgrammeFactory(provider=org_a)
    theirs = ProgrammeFactory(provider=org_b)
    ProgrammeTargetFactory(programme=own, measure=measure, target_value=Decimal("4"))
    ProgrammeTargetFactory(programme=theirs, measure=measure)
    seen = [c["programme"] for c in api(provider).get(url(indicator.pk)).json()["contributions"]]
    assert seen == [own.pk]
    everyone = {c["programme"] for c in api(commissioner).get(url(indicator.pk)).json()["contributions"]}
    assert everyone == {own.pk, theirs.pk}


def test_unknown_indicator_is_a_json_404(api, commissioner):
    response = api(commissioner).get(url(987654))
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no indicator with that id."}


def test_schema_documents_the_endpoint(api, commissioner):
    schema = api(commissioner).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/indicators/{id}/tracking/"]["get"]
    assert "200" in operation["responses"] and "404" in operation["responses"]
    assert "IndicatorTracking" in schema["components"]["schemas"]
