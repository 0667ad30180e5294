"""The budgets and payments-by-results API: shapes, permissions, rules and query counts."""

from decimal import Decimal

import pytest

from grants.models import OutcomeReturn, Payment, Programme
from tests.factories import (
    FundingStreamFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)
from tests.finance.conftest import post_at_once

pytestmark = pytest.mark.django_db
D = Decimal


def _payment(pbr_q2_submitted, **overrides):
    body = {"programme": pbr_q2_submitted.pk, "financial_year": "2009/10", "quarter": 1, "amount": "5333.33",
            "paid_on": "2009-08-01", "reference": "REM-1"}  # fmt: skip
    body.update(overrides)
    return body


# --- budgets ------------------------------------------------------------------------------------


def test_funding_streams_carry_budget_figures_for_staff(api, finance, provider, pbr_q2_submitted):
    ProgrammeFactory(funding_stream=pbr_q2_submitted.funding_stream, award_amount=D("40000"),
                     status=Programme.Status.DECOMMISSIONED)  # fmt: skip
    [row] = api(finance).get("/api/funding-streams/").json()["results"]
    assert row["figures"] == {
        "budget": "1000000.00",
        "awarded": "60000.00",  # the decommissioned programme's award is not counted
        "available": "940000.00",
        "spent": "0.00",  # payments made: none yet
        "spend_returned": "21000.00",
        "percent_spent": "0.0",
        "percent_awarded": "6.0",
        "over_committed": False,
    }
    assert api(finance).get(f"/api/funding-streams/{row['id']}/").json()["figures"]["awarded"] == "60000.00"
    assert api(provider).get("/api/funding-streams/").json()["results"][0]["figures"] is None


def test_stream_budget_endpoint_lists_programmes(api, commissioner, provider, pbr_q2_submitted):
    url = f"/api/funding-streams/{pbr_q2_submitted.funding_stream_id}/budget/"
    body = api(commissioner).get(url).json()
    assert body["figures"]["spend_returned"] == "21000.00" and body["figures"]["spent"] == "0.00"
    assert body["programmes"] == [
        {"id": pbr_q2_submitted.pk, "reference": "SSP-PBR1", "title": pbr_q2_submitted.title,
         "provider": pbr_q2_submitted.provider_id, "provider_name": "St Giles Trust", "status": "active", "commissioning_model": "pbr",
         "award_amount": "60000.00", "counted": True, "spent": "0.00", "spend_returned": "21000.00"}
    ]  # fmt: skip
    assert api(provider).get(url).status_code == 403
    assert api(commissioner).get("/api/funding-streams/99999/budget/").status_code == 404


def test_queried_spend_waits_and_a_quarter_counts_once(api, finance, pbr_q2_submitted):
    measure2 = ProgrammeTargetFactory(programme=pbr_q2_submitted, quarter=1).measure
    OutcomeReturnFactory(
        programme=pbr_q2_submitted, measure=measure2, quarter=1, spend=D("12000")
    )  # same quarter's spend
    OutcomeReturn.objects.filter(quarter=2).update(status=OutcomeReturn.Status.QUERIED, query_reason="?")
    [row] = api(finance).get("/api/funding-streams/").json()["results"]
    assert row["figures"]["spend_returned"] == "12000.00"


def test_stream_list_queries_do_not_grow(api, finance, pbr_q2_submitted, django_assert_max_num_queries):
    for _ in range(10):
        ProgrammeFactory()
    client = api(finance)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/funding-streams/").json()["results"]) == 11


def test_over_commitment_is_refused_and_nothing_saved(api, commissioner, org_a, priority_id):
    stream = FundingStreamFactory(budget=D("200000"))
    ProgrammeFactory(funding_stream=stream, award_amount=D("150000"))
    body = {"reference": "SSP-NEW", "title": "New", "provider": org_a.pk, "funding_stream": stream.pk,
            "award_amount": "60000.00", "start_date": "2010-04-01", "end_date": "2011-03-31",
            "primary_priority": priority_id}  # fmt: skip
    response = api(commissioner).post("/api/programmes/", body, format="json")
    assert response.status_code == 400
    assert response.json()["award_amount"] == [
        f"This award of £60,000 would over-commit {stream}: its budget is £200,000 and £150,000 is "
        "already awarded, so at most £50,000 is available."
    ]
    assert not Programme.objects.filter(reference="SSP-NEW").exists()
    # Decommissioned programmes do not count: once the first is decommissioned the award fits.
    Programme.objects.filter(funding_stream=stream).update(status=Programme.Status.DECOMMISSIONED)
    assert api(commissioner).post("/api/programmes/", body, format="json").status_code == 201


def test_raising_an_award_or_reactivating_is_checked(api, commissioner):
    stream = FundingStreamFactory(budget=D("200000"))
    kept = ProgrammeFactory(funding_stream=stream, award_amount=D("150000"))
    old = ProgrammeFactory(
        funding_stream=stream, award_amount=D("100000"), status=Programme.Status.DECOMMISSIONED
    )
    client = api(commissioner)
    assert (
        client.patch(f"/api/programmes/{kept.pk}/", {"award_amount": "200000.01"}, format="json").status_code
        == 400
    )
    assert client.patch(f"/api/programmes/{old.pk}/", {"status": "active"}, format="json").status_code == 400
    assert (
        client.patch(f"/api/programmes/{kept.pk}/", {"award_amount": "200000"}, format="json").status_code
        == 200
    )
    kept.refresh_from_db()
    assert kept.award_amount == D("200000")
    # A stream left over-committed (its budget cut) still lets changes that add nothing through.
    stream.budget = D("100")
    stream.save()
    assert client.patch(f"/api/programmes/{kept.pk}/", {"title": "Renamed"}, format="json").status_code == 200
    assert (
        client.patch(f"/api/programmes/{kept.pk}/", {"award_amount": "150000"}, format="json").status_code
        == 200
    )


@pytest.fixture
def priority_id(db):
    from tests.factories import PriorityFactory

    return PriorityFactory().pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_cannot_both_pass(on_postgres, commissioner, org_a, priority_id):
    """Two awards that each fit but not together, made at the same moment: exactly one is saved."""
    stream = FundingStreamFactory(budget=D("100000"))
    bodies = [
        {"reference": f"SSP-C{n}", "title": f"Race {n}", "provider": org_a.pk, "funding_stream": stream.pk,
         "award_amount": "60000.00", "start_date": "2010-04-01", "end_date": "2011-03-31",
         "primary_priority": priority_id}
        for n in (1, 2)
    ]  # fmt: skip
    codes = post_at_once(commissioner, "/api/programmes/", bodies)
    assert sorted(codes) == [201, 400]
    assert Programme.objects.filter(funding_stream=stream).count() == 1


# --- payments by results ----------------------------------------------------------------------------


def test_programme_payments_schedule_shape(api, provider, pbr_q2_submitted):
    body = api(provider).get(f"/api/programmes/{pbr_q2_submitted.pk}/payments/").json()
    assert body["payment_by_results"] is True
    assert body["totals"] == {"total_due": "12000.00", "due_to_date": "12000.00", "paid": "0.00",
                              "outstanding": "12000.00", "capped": "0.00"}  # fmt: skip
    q1, q2, q3 = body["quarters"]
    assert q1 == {
        "financial_year": "2009/10", "quarter": 1, "started": True, "fee_share": "3333.33",
        "outcome_payment": "2000.00", "capped": "0.00", "due": "5333.33", "paid": "0.00",
        "outstanding": "5333.33",
        "outcomes": [{"measure": q1["outcomes"][0]["measure"], "measure_name": q1["outcomes"][0]["measure_name"],
                      "verified_value": "4.00", "tariff": "500.00", "amount": "2000.00"}],
    }  # fmt: skip
    assert q2["outcome_payment"] == "0.00" and q2["outcomes"] == []  # submitted, not verified
    assert q3["fee_share"] == "3333.34"


def test_payments_of_other_providers_are_invisible(api, provider2, finance, pbr_q2_submitted):
    assert api(provider2).get(f"/api/programmes/{pbr_q2_submitted.pk}/payments/").status_code == 404
    api(finance).post("/api/payments/", _payment(pbr_q2_submitted), format="json")
    assert api(provider2).get("/api/payments/").json()["results"] == []
    payment = Payment.objects.get()
    assert api(provider2).get(f"/api/payments/{payment.pk}/").status_code == 404
    assert api(provider2).get("/api/payments/summary/").json() == []


def test_finance_records_a_payment_and_everyone_sees_the_outstanding(
    api, finance, provider, pbr_q2_submitted
):
    response = api(finance).post("/api/payments/", _payment(pbr_q2_submitted), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == "5333.33" and body["recorded_by"] == "t-finance"
    assert body["programme_reference"] == "SSP-PBR1"
    schedule = api(provider).get(f"/api/programmes/{pbr_q2_submitted.pk}/payments/").json()
    assert schedule["quarters"][0]["outstanding"] == "0.00"
    assert schedule["totals"]["outstanding"] == "6666.67"
    [mine] = api(provider).get("/api/payments/").json()["results"]
    assert mine["id"] == body["id"]
    [row] = api(provider).get("/api/payments/summary/").json()
    assert (row["reference"], row["totals"]["paid"], row["totals"]["outstanding"]) == (
        "SSP-PBR1",
        "5333.33",
        "6666.67",
    )


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"amount": "5333.34"}, 400, "amount"),  # a penny more than due
        ({"amount": "0"}, 400, "amount"),
        ({"quarter": 4}, 400, "quarter"),  # outside the programme (ends 31 December)
        ({"financial_year": "2009-10"}, 400, "financial_year"),
        ({"paid_on": "2999-01-01"}, 400, "paid_on"),
        ({"surprise": 1}, 400, "surprise"),
        ({"programme": 99999}, 404, None),
    ],
)
def test_invalid_payments_are_refused(api, finance, pbr_q2_submitted, overrides, code, field):
    response = api(finance).post("/api/payments/", _payment(pbr_q2_submitted, **overrides), format="json")
    assert response.status_code == code, response.json()
    if field:
        assert field in response.json()
    assert not Payment.objects.exists()


def test_duplicate_reference_is_409(api, finance, pbr_q2_submitted):
    client = api(finance)
    assert (
        client.post("/api/payments/", _payment(pbr_q2_submitted, amount="100"), format="json").status_code
        == 201
    )
    response = client.post("/api/payments/", _payment(pbr_q2_submitted, amount="100"), format="json")
    assert response.status_code == 409 and "REM-1" in response.json()["detail"]


def test_only_finance_officers_record_payments(api, commissioner, provider, pbr_q2_submitted):
    for user in (commissioner, provider):
        assert api(user).post("/api/payments/", _payment(pbr_q2_submitted), format="json").status_code == 403
    assert api().get("/api/payments/").status_code == 401
    assert not Payment.objects.exists()


def test_grant_programme_schedule_is_empty(api, finance, org_a):
    grant = ProgrammeFactory(provider=org_a)
    body = api(finance).get(f"/api/programmes/{grant.pk}/payments/").json()
    assert body["payment_by_results"] is False and body["quarters"] == [] and body["totals"] is None
    response = api(finance).post("/api/payments/", _payment(grant), format="json")
    assert response.status_code == 400 and "not payment by results" in response.json()["programme"][0]


def test_payment_endpoints_queries_do_not_grow(api, finance, pbr_q2_submitted, django_assert_max_num_queries):
    client = api(finance)
    client.post("/api/payments/", _payment(pbr_q2_submitted, amount="10"), format="json")
    for n in range(6):
        other = ProgrammeFactory(
            commissioning_model=Programme.Model.PAYMENT_BY_RESULTS, service_fee=D("8000")
        )
        client.post("/api/payments/", _payment(other, amount="10", reference=f"R{n}"), format="json")
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/payments/summary/").json()) == 7
    with django_assert_max_num_queries(6):
        assert client.get("/api/payments/").json()["count"] == 7
    with django_assert_max_num_queries(6):
        client.get(f"/api/programmes/{pbr_q2_submitted.pk}/payments/")


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_cannot_overpay(on_postgres, finance, pbr_q2_submitted):
    """Two payments of £3,000 for a quarter with £5,333.33 due, at the same moment: one is saved."""
    bodies = [_payment(pbr_q2_submitted, amount="3000", reference=f"R{n}") for n in (1, 2)]
    codes = post_at_once(finance, "/api/payments/", bodies)
    assert sorted(codes) == [201, 400]
    assert Payment.objects.count() == 1
