"""Outcome claims through the API: every rule of a payable outcome, review, bulk, isolation."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import services
from claims.models import Claim, ClaimTerms, EvidenceType, PayableOutcome
from claims.services.claims import ALREADY_CLAIMED_ELSEWHERE
from tests.factories import OutcomeMeasureFactory

pytestmark = pytest.mark.django_db
URL = "/api/claims/"
KEY = "a-test-participant-key-of-at-least-32-characters"


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": KEY, "TODAY": date(2010, 10, 20)}


@pytest.fixture
def ledger(portfolio, provider, provider2):
    """Programme A pays £1,000 per sustained job (13 weeks, payslip or HMRC record), and Level 1 or
    Level 2 qualifications (£400 / £700, exclusive); B pays for jobs too. One person, Ann, is
    enrolled on both (by each provider); Ben only on A."""
    job, level1, level2 = portfolio["measure"], OutcomeMeasureFactory(name="Level 1"), OutcomeMeasureFactory(name="Level 2")
    evidence = [EvidenceType.PAYSLIP, EvidenceType.HMRC_RECORD]
    for programme in (portfolio["a"], portfolio["b"]):
        PayableOutcome.objects.create(
            programme=programme, measure=job, tariff=Decimal("1000"), evidence_types=evidence,
            sustainment_weeks=13, earliest_claim_days=7,
        )
    for measure, tariff in ((level1, "400"), (level2, "700")):
        PayableOutcome.objects.create(
            programme=portfolio["a"], measure=measure, tariff=Decimal(tariff),
            evidence_types=[EvidenceType.CERTIFICATE], exclusivity_group="Level",
        )
    ann = services.participant_enrol(
        user=provider, data=services.EnrolmentInput(portfolio["a"].pk, date(2010, 1, 4), ni_number="AB123456C")
    ).participant
    services.participant_enrol(
        user=provider2, data=services.EnrolmentInput(portfolio["b"].pk, date(2010, 2, 1), ni_number="AB123456C")
    )
    ben = services.participant_enrol(
        user=provider, data=services.EnrolmentInput(portfolio["a"].pk, date(2010, 3, 1), ni_number="CE654321A")
    ).participant
    return {"ann": ann.reference, "ben": ben.reference, "job": job, "level1": level1, "level2": level2, **portfolio}


def claim(ledger, who="ann", programme="a", outcome="job", **overrides) -> dict:
    body = {
        "participant": ledger[who],
        "programme": ledger[programme].pk,
        "measure": ledger[outcome].pk,
        "achieved_on": "2010-05-03",
        "evidence_type": "payslip",
        "notes": "",
    }
    return body | overrides


def test_provider_claims_at_the_tariff(api, provider, ledger):
    response = api(provider).post(URL, claim(ledger), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["price"] == "1000.00" and body["status"] == "submitted"
    assert body["participant"] == ledger["ann"] and body["submitted_by"] == "t-provider"


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"evidence_type": "certificate"}, "evidence_type", "accepts: Payslip, HMRC employment record"),
        ({"achieved_on": "2010-01-06"}, "achieved_on", "counts from 11 January 2010"),
        ({"achieved_on": "2010-09-01"}, "achieved_on", "sustained for 13 weeks"),
        ({"achieved_on": "2010-11-01"}, "achieved_on", "cannot be achieved in the future"),
        ({"participant": "P-22222222"}, "participant", "No participant with this reference is enrolled"),
        ({"participant": "ann"}, "participant", "reference as enrolment returned it"),
        ({"measure": 999999}, "measure", "does not pay per participant"),
        ({"evidence_type": "rumour"}, "evidence_type", "not a valid choice"),
    ],
)
def test_claims_breaking_a_rule_get_a_clear_error(api, provider, ledger, overrides, field, words):
    response = api(provider).post(URL, claim(ledger, **overrides), format="json")
    assert response.status_code == 400, response.json()
    assert words in " ".join(response.json()[field]), response.json()
    assert not Claim.objects.exists()


def test_the_same_outcome_claimed_by_another_provider_is_caught(api, provider, provider2, ledger):
    assert api(provider).post(URL, claim(ledger), format="json").status_code == 201
    second = api(provider2).post(URL, claim(ledger, programme="b", achieved_on="2010-06-01"), format="json")
    assert second.status_code == 409
    assert second.json()["detail"] == ALREADY_CLAIMED_ELSEWHERE
    assert Claim.objects.count() == 1


def test_an_outcome_paid_once_cannot_be_claimed_twice(api, provider, ledger):
    assert api(provider).post(URL, claim(ledger), format="json").status_code == 201
    again = api(provider).post(URL, claim(ledger, achieved_on="2010-06-01"), format="json")
    assert again.status_code == 409 and "paid once per participant" in again.json()["detail"]


def test_exclusive_outcomes_pay_one_of_the_group(api, provider, ledger):
    level1 = claim(ledger, outcome="level1", evidence_type="certificate", achieved_on="2010-04-01")
    assert api(provider).post(URL, level1, format="json").status_code == 201
    level2 = claim(ledger, outcome="level2", evidence_type="certificate", achieved_on="2010-08-01")
    refused = api(provider).post(URL, level2, format="json")
    assert refused.status_code == 409 and "\u201cLevel\u201d group" in refused.json()["detail"]


def test_the_cap_per_participant_holds_across_outcomes(api, provider, ledger):
    ClaimTerms.objects.create(programme=ledger["a"], cap_per_participant=Decimal("1200"))
    assert api(provider).post(URL, claim(ledger), format="json").status_code == 201
    level1 = claim(ledger, outcome="level1", evidence_type="certificate", achieved_on="2010-04-01")
    refused = api(provider).post(URL, level1, format="json")
    assert refused.status_code == 409
    assert "cap of £1,200.00 (£1,000.00 already claimed)" in refused.json()["detail"]


def test_bulk_is_all_or_nothing_with_errors_by_index(api, provider, ledger):
    good = [claim(ledger), claim(ledger, who="ben", achieved_on="2010-04-01")]
    bad = [*good, claim(ledger, who="ben", achieved_on="2010-04-01"), {"participant": 3}]
    refused = api(provider).post(URL + "bulk/", bad, format="json")
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert set(errors) == {"2", "3"}
    assert "already been claimed for this participant on this date" in str(errors["2"])
    assert not Claim.objects.exists()
    created = api(provider).post(URL + "bulk/", good, format="json")
    assert created.status_code == 201 and len(created.json()) == 2


def test_commissioner_verifies_and_rejects_with_a_reason(api, provider, commissioner, finance, ledger):
    first = api(provider).post(URL, claim(ledger), format="json").json()
    second = api(provider).post(URL, claim(ledger, who="ben", achieved_on="2010-04-01"), format="json").json()
    assert api(provider).post(f"{URL}{first['id']}/verify/").status_code == 403
    assert api(finance).post(f"{URL}{first['id']}/verify/").status_code == 403
    verified = api(commissioner).post(f"{URL}{first['id']}/verify/")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert api(commissioner).post(f"{URL}{first['id']}/verify/").status_code == 409
    no_reason = api(commissioner).post(f"{URL}{second['id']}/reject/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    rejected = api(commissioner).post(f"{URL}{second['id']}/reject/", {"reason": "No payslip attached"}, format="json")
    assert rejected.json()["status"] == "rejected" and rejected.json()["reason"] == "No payslip attached"
    # A rejected claim no longer counts: the outcome can be claimed again, with evidence.
    again = api(provider).post(URL, claim(ledger, who="ben", achieved_on="2010-04-01"), format="json")
    assert again.status_code == 201
    assert [h.status for h in Claim.objects.get(pk=second["id"]).history.order_by("history_id")] == [
        "submitted", "rejected",
    ]


def test_providers_see_only_their_own_claims(api, provider, provider2, commissioner, ledger):
    mine = api(provider).post(URL, claim(ledger), format="json").json()
    assert api(provider2).get(f"{URL}{mine['id']}/").status_code == 404
    assert api(provider2).get(URL).json()["count"] == 0
    assert api(provider2).post(URL, claim(ledger), format="json").status_code == 404
    assert api(commissioner).get(URL, {"participant": ledger["ann"]}).json()["count"] == 1
    assert api(provider).get(URL, {"status": "verified"}).json()["count"] == 0
    assert api().get(URL).status_code == 401


def test_listing_claims_takes_a_fixed_number_of_queries(api, provider, ledger, django_assert_max_num_queries):
    api(provider).post(URL, claim(ledger), format="json")
    api(provider).post(URL, claim(ledger, who="ben", achieved_on="2010-04-01"), format="json")
    client = api(provider)
    with django_assert_max_num_queries(8):
        assert client.get(URL).json()["count"] == 2


def _enrol_many(user, programme, count: int) -> list[str]:
    return [
        services.participant_enrol(
            user=user,
            data=services.EnrolmentInput(
                programme.pk, date(2010, 1, 4), date_of_birth=date(1980, 1, 1 + i), surname="Bulk", forename="Test"
            ),
        ).participant.reference
        for i in range(count)
    ]


def test_a_bulk_takes_the_same_queries_whatever_its_size(api, provider, ledger):
    """The ledger loads what the checks need in a fixed number of queries (ids sent as one array
    on PostgreSQL), and the claims come back with what the response shows of them attached."""
    references = _enrol_many(provider, ledger["a"], 12)
    client = api(provider)

    def queries_for(people: list[str]) -> int:
        body = [claim(ledger, participant=p, achieved_on="2010-05-03") for p in people]
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL + "bulk/", body, format="json")
        assert response.status_code == 201, response.json()
        assert [c["participant"] for c in response.json()] == people
        assert {c["submitted_by"] for c in response.json()} == {"t-provider"}
        return len(queries)

    assert queries_for(references[:2]) == queries_for(references[2:])


def test_a_bulk_writes_each_claim_and_its_history_as_stored(api, provider, ledger):
    references = _enrol_many(provider, ledger["a"], 3)
    body = [claim(ledger, participant=p, notes=f"Claim {i}") for i, p in enumerate(references)]
    created = api(provider).post(URL + "bulk/", body, format="json").json()
    ids = [c["id"] for c in created]
    assert ids == sorted(ids) and [c["notes"] for c in created] == ["Claim 0", "Claim 1", "Claim 2"]
    for row in created:
        stored = Claim.objects.get(pk=row["id"])
        [record] = stored.history.all()
        assert (record.history_type, record.history_user.username) == ("+", "t-provider")
        assert (record.participant.reference, record.notes, record.price, record.status) == (
            row["participant"], row["notes"], Decimal("1000.00"), "submitted",
        )  # fmt: skip
        assert record.submitted_at == stored.submitted_at and record.payable_outcome_id == stored.payable_outcome_id


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_concurrent_claims_end_as_one(on_postgres, api, provider, ledger):
    credentials = api(provider)._credentials
    body, threads_n = claim(ledger), 20
    barrier, codes, lock = threading.Barrier(threads_n), [], threading.Lock()

    def submit() -> None:
        client = APIClient()
        client.credentials(**credentials)
        try:
            barrier.wait(timeout=30)
            code = client.post(URL, body, format="json").status_code
        finally:
            connection.close()
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=submit) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [201] + [409] * (threads_n - 1)
    assert Claim.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_cannot_together_break_a_cap(on_postgres, api, provider, ledger):
    ClaimTerms.objects.create(programme=ledger["a"], cap_per_participant=Decimal("1200"))
    credentials = api(provider)._credentials
    bodies = [claim(ledger), claim(ledger, outcome="level2", evidence_type="certificate", achieved_on="2010-04-01")]
    barrier, codes, lock = threading.Barrier(2), [], threading.Lock()

    def submit(body) -> None:
        client = APIClient()
        client.credentials(**credentials)
        try:
            barrier.wait(timeout=30)
            code = client.post(URL, body, format="json").status_code
        finally:
            connection.close()
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=submit, args=(b,)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [201, 409]
    assert Claim.objects.count() == 1
