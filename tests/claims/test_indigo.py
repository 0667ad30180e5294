"""GET /api/export/indigo.json: the outcomes contracts as INDIGO projects, every key checked
against the INDIGO project schema (4.1.0) and the whole validated with jsonschema."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from claims.models import ClaimTerms
from grants.models import Payment, Programme
from grants.services import payment_clawback, payment_record, payment_reverse
from tests.claims.test_audits import make_claims

pytestmark = pytest.mark.django_db
URL = "/api/export/indigo.json"
SCHEMA = Path(__file__).resolve().parents[2] / "claims" / "schema" / "indigo" / "project-schema-4.1.0.json"
SHARED = Path("/work/shared/data/indigo/project-schema-4.1.0.json")
TODAY = date(2010, 10, 20)


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": TODAY}


@pytest.fixture
def contract(portfolio, provider, finance):
    """Programme A pays £600 per sustained job (targets 10 a quarter in 2009/10): 5 verified claims
    in 2010/11 Q1, 3 paid in Q2, 2 rejected (not counted); a payment, a reversal, a clawback."""
    programme = portfolio["a"]
    Programme.objects.filter(pk=programme.pk).update(
        commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, service_fee=Decimal("8000")
    )
    programme.refresh_from_db()
    ClaimTerms.objects.create(programme=programme, cap_per_participant=Decimal("2000"))
    claims = make_claims(programme, portfolio["measure"], provider, 10)
    payment = payment_record(
        user=finance, programme=programme, financial_year="2010/11", quarter=1, amount=Decimal("1000"),
        paid_on=date(2010, 7, 1), reference="REM-1",
    )  # fmt: skip
    for claim, (status, day) in zip(
        claims,
        [("verified", date(2010, 5, 1))] * 5 + [("paid", date(2010, 8, 2))] * 3 + [("rejected", date(2010, 5, 2))] * 2,
        strict=True,
    ):
        claim.status, claim.achieved_on, claim.reason = status, day, "Not sustained" if status == "rejected" else ""
        claim.payment = payment if status == "paid" else None
        claim.save()
    payment_reverse(user=finance, payment=payment, reason="Paid twice")
    payment_clawback(
        user=finance, programme=programme, financial_year="2010/11", quarter=1, amount=Decimal("250.50"),
        reason="Audit 1: error rate 10% by value",
    )  # fmt: skip
    return programme


def schema() -> dict:
    return json.loads(SCHEMA.read_text())


def unknown_keys(instance, node, root, path="") -> list[str]:
    """Every key in `instance` that the schema does not name at that place."""
    while "$ref" in node:
        node = root["definitions"][node["$ref"].split("/")[-1]]
    found = []
    if isinstance(instance, dict):
        properties = node.get("properties", {})
        for key, value in instance.items():
            if key not in properties:
                found.append(f"{path}/{key}")
            else:
                found += unknown_keys(value, properties[key], root, f"{path}/{key}")
    elif isinstance(instance, list):
        for i, item in enumerate(instance):
            found += unknown_keys(item, node.get("items", {}), root, f"{path}/{i}")
    return found


def test_the_vendored_schema_is_the_shared_one():
    if not SHARED.exists():
        pytest.skip("no shared INDIGO data on this machine")
    assert json.loads(SHARED.read_text()) == schema()


def test_the_export_matches_the_indigo_project_schema(api, finance, contract):
    response = api(finance).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["indigo_schema"] == "project 4.1.0" and body["generated"] == "2010-10-20"
    [project] = body["projects"]
    root = schema()
    assert unknown_keys(project, root, root) == []
    errors = sorted(Draft7Validator(root).iter_errors(project), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_export_carries_the_contract(api, commissioner, contract, portfolio):
    [project] = api(commissioner).get(URL).json()["projects"]
    assert project["name"] == {"value": "Through-the-gate"}
    assert project["alternative_names"] == {"value": contract.reference}
    assert project["stage_development"] == {"value": "Implementation"}
    assert project["dates"]["start_date_of_service_provision"] == {"value": "2009-04-01"}
    metric_id = f"outcomemetric{portfolio['measure'].pk}"
    [metric] = project["outcome_metrics"]
    assert metric["id"] == metric_id and metric["definition"] == {"value": "Sustained job entries"}
    assert metric["targeted_number_of_service_users_or_beneficiaries_total"] == {"value": 40.0}  # 10 a quarter for 4 quarters
    assert "Claimed per participant with evidence (Payslip)" in metric["outcome_validation_method"]["value"]
    [pricing] = project["outcome_pricings"]
    assert pricing["outcome_metric_id"] == {"value": metric_id}
    assert pricing["price_per_unit"] == {"amount": {"value": 600.0}}
    assert pricing["maximum_price_if_all_targets_achieved"] == {"amount": {"value": "24000.00"}}
    assert "at most £2,000.00 per participant" in pricing["price_description"]["value"]
    results = {r["period"]["start_date"]["value"]: r for r in project["results"]}
    assert len(results) == 7  # the quarters started by 20 Oct 2010: 2009/10 Q1 to 2010/11 Q3
    assert results["2010-04-01"]["number_with_positive_social_outcomes"] == {"value": 5}  # rejected not counted
    assert results["2010-07-01"]["number_with_positive_social_outcomes"] == {"value": 3}
    assert results["2010-04-01"]["number_engaged_in_impact_bond"] == {"value": 10}
    assert results["2010-04-01"]["result_type"] == {"value": "Interim"}
    amounts = [(t["money"]["amount"]["value"], t["notes"]) for t in project["transactions"]]
    assert amounts[0] == (1000.0, "Payment for 2010/11 Q1 (remittance REM-1)")
    assert sorted(a for a, _ in amounts) == [-1000.0, -250.5, 1000.0]
    assert any(n.startswith("Clawback for 2010/11 Q1: Audit 1") for _, n in amounts)
    assert Payment.objects.count() == 3


def test_only_commissioners_and_finance_export(api, provider, contract):
    assert api().get(URL).status_code == 401
    response = api(provider).get(URL)
    assert response.status_code == 403 and "commissioners and finance" in response.json()["detail"]
