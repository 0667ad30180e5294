"""Outcome returns through the API: the contract and every rule."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tokens import BAD_CREDENTIALS
from grants.models import OutcomeReturn
from outcomes.periods import Quarter
from tests.api.conftest import return_payload
from tests.factories import ProgrammeFactory, ProgrammeTargetFactory

pytestmark = pytest.mark.django_db
URL = "/api/returns/"


def test_token_for_good_credentials_and_clear_error_for_bad(api, provider):
    ok = api().post(
        "/api/auth/token/", {"username": "t-provider", "password": "test-pass-123!"}, format="json"
    )
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    bad = api().post("/api/auth/token/", {"username": "t-provider", "password": "nope"}, format="json")
    assert bad.status_code == 400
    assert bad.json() == {"non_field_errors": [BAD_CREDENTIALS]}
    assert api().get(URL).status_code == 401


def test_provider_submits_a_return(api, provider, portfolio):
    response = api(provider).post(URL, return_payload(portfolio), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["value"] == "12.00" and body["spend"] == "25000.00"
    assert body["status"] == "submitted" and body["revision"] == 1
    assert body["submitted_by"] == "t-provider" and body["financial_year"] == "2009/10"
    assert body["late"] is True  # 2009/10 Q1 ended long ago
    assert set(body) >= {"id", "programme", "measure", "quarter", "notes", "submitted_at"}


def test_second_submission_is_a_conflict_naming_the_existing_return(api, provider, portfolio):
    first = api(provider).post(URL, return_payload(portfolio), format="json").json()
    second = api(provider).post(URL, return_payload(portfolio, value="3"), format="json")
    assert second.status_code == 409
    assert second.json()["existing_id"] == first["id"]
    assert OutcomeReturn.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"value": "12abc"}, "value", "valid number"),
        ({"value": "-1"}, "value", "cannot be negative"),
        ({"spend": "-5"}, "spend", "cannot be negative"),
        ({"quarter": 5}, "quarter", "less than or equal to 4"),
        ({"financial_year": "2009-10"}, "financial_year", "2009/10"),
        ({"financial_year": "2009/11"}, "financial_year", "2009/10"),
        ({"financial_year": "2008/09"}, "quarter", "outside the programme's dates"),
        ({"colour": "blue"}, "colour", "Unknown field"),
        ({"value": None}, "value", "null"),
    ],
)
def test_bad_input_gets_a_400_that_says_what_to_fix(api, provider, portfolio, overrides, field, words):
    response = api(provider).post(URL, return_payload(portfolio, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert words in " ".join(response.json()[field])
    assert not OutcomeReturn.objects.exists()


def test_measure_must_have_a_target_on_the_programme(api, provider, portfolio):
    from tests.factories import OutcomeMeasureFactory

    other = OutcomeMeasureFactory(name="Unrelated measure")
    response = api(provider).post(URL, return_payload(portfolio, measure=other.pk), format="json")
    assert response.status_code == 400
    assert "no target" in response.json()["measure"][0]
    response = api(provider).post(URL, return_payload(portfolio, measure=999999), format="json")
    assert response.status_code == 400


def test_negative_values_only_where_the_measure_allows(api, provider, portfolio):
    body = return_payload(portfolio, measure=portfolio["negative"].pk, value="-4")
    assert api(provider).post(URL, body, format="json").status_code == 201


def test_no_return_for_a_quarter_that_has_not_started(api, provider, org_a):
    today = timezone.localdate()
    programme = ProgrammeFactory(
        provider=org_a, start_date=today - timedelta(days=30), end_date=today + timedelta(days=800)
    )
    future = Quarter.containing(today).next().next()
    current = Quarter.containing(today)
    for quarter in (current, future):
        ProgrammeTargetFactory(programme=programme, measure__name=f"M{quarter.number}",
                               financial_year=quarter.financial_year.label, quarter=quarter.number)  # fmt: skip
    targets = {t.quarter: t for t in programme.targets.all()}
    body = {"programme": programme.pk, "financial_year": future.financial_year.label, "quarter": future.number,
            "measure": targets[future.number].measure_id, "value": "1"}  # fmt: skip
    response = api(_user(org_a)).post(URL, body, format="json")
    assert response.status_code == 400 and "has not started yet" in response.json()["quarter"][0]
    body.update(financial_year=current.financial_year.label, quarter=current.number,
                measure=targets[current.number].measure_id)  # fmt: skip
    response = api(_user(org_a)).post(URL, body, format="json")
    assert response.status_code == 201 and response.json()["late"] is False


def _user(org):
    return org.members.get()


def test_other_organisations_programmes_are_invisible(api, provider2, commissioner, portfolio):
    response = api(provider2).post(URL, return_payload(portfolio, programme="a"), format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "No programme with that id is visible to you."
    assert api(commissioner).post(URL, return_payload(portfolio), format="json").status_code == 403


def test_amend_bumps_revision_and_verified_is_locked(api, provider, commissioner, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    url = f"{URL}{created['id']}/"
    amended = api(provider).patch(url, {"value": "14", "notes": "Corrected count"}, format="json")
    assert amended.status_code == 200
    assert amended.json()["revision"] == 2 and amended.json()["value"] == "14.00"
    assert api(provider).patch(url, {"value": "-1"}, format="json").status_code == 400
    assert api(provider).patch(url, {"bogus": 1}, format="json").status_code == 400
    assert api(commissioner).post(f"{url}verify/").status_code == 200
    locked = api(provider).patch(url, {"value": "15"}, format="json")
    assert locked.status_code == 409 and "locked" in locked.json()["detail"]
    assert OutcomeReturn.objects.get().value == Decimal("14")


def test_query_then_provider_amends_and_commissioner_verifies(api, provider, commissioner, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    url = f"{URL}{created['id']}/"
    assert api(commissioner).post(f"{url}query/", {"reason": ""}, format="json").status_code == 400
    queried = api(commissioner).post(f"{url}query/", {"reason": "Attach job start evidence"}, format="json")
    assert queried.status_code == 200 and queried.json()["status"] == "queried"
    assert queried.json()["query_reason"] == "Attach job start evidence"
    assert api(commissioner).post(f"{url}verify/").status_code == 409  # waiting for the provider
    again = api(provider).patch(url, {"value": "11"}, format="json").json()
    assert again["status"] == "submitted" and again["revision"] == 2
    assert api(commissioner).post(f"{url}verify/").json()["status"] == "verified"
    assert api(commissioner).post(f"{url}verify/").status_code == 409


def test_providers_cannot_verify_or_query(api, provider, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    assert api(provider).post(f"{URL}{created['id']}/verify/").status_code == 403
    assert (
        api(provider).post(f"{URL}{created['id']}/query/", {"reason": "x"}, format="json").status_code == 403
    )


def test_history_lists_every_revision_with_who_and_what(api, provider, commissioner, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    url = f"{URL}{created['id']}/"
    api(provider).patch(url, {"value": "13"}, format="json")
    api(commissioner).post(f"{url}verify/")
    history = api(provider).get(f"{url}history/").json()
    assert [h["revision"] for h in history] == [1, 2, 2]
    assert [h["changed_by"] for h in history] == ["t-provider", "t-provider", "t-commissioner"]
    assert history[1]["changes"]["value"] == {"from": "12.00", "to": "13.00"}
    assert history[2]["changes"]["status"] == {"from": "submitted", "to": "verified"}


def test_returns_are_never_deleted(api, provider, admin_user, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    assert api(admin_user).delete(f"{URL}{created['id']}/").status_code == 405
    assert (
        api(provider).put(f"{URL}{created['id']}/", return_payload(portfolio), format="json").status_code
        == 405
    )
    assert OutcomeReturn.objects.count() == 1


def test_bulk_is_all_or_nothing(api, provider, portfolio):
    items = [return_payload(portfolio, quarter=q) for q in (1, 2, 3)]
    created = api(provider).post(f"{URL}bulk/", items, format="json")
    assert created.status_code == 201 and len(created.json()) == 3
    bad = [return_payload(portfolio, financial_year="2010/11", quarter=q) for q in (1, 2)]
    bad.append(return_payload(portfolio, financial_year="2010/11", quarter=3, value="lots"))
    bad.append(return_payload(portfolio, financial_year="2009/10", quarter=1))  # exists already
    bad.append(return_payload(portfolio, financial_year="2010/11", quarter=1))  # duplicate of item 0
    response = api(provider).post(f"{URL}bulk/", bad, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"2", "3", "4"}
    assert "value" in errors["2"] and "existing_id" in errors["3"] and "Duplicates item 0" in str(errors["4"])
    assert "3 of 5 returns have errors; nothing was saved." in response.json()["non_field_errors"]
    assert OutcomeReturn.objects.count() == 3


def test_bulk_limits(api, provider, portfolio):
    assert api(provider).post(f"{URL}bulk/", {"not": "a list"}, format="json").status_code == 400
    assert api(provider).post(f"{URL}bulk/", [], format="json").status_code == 400
    too_many = [return_payload(portfolio)] * 5001
    response = api(provider).post(f"{URL}bulk/", too_many, format="json")
    assert response.status_code == 400 and "5,000" in str(response.json())


def test_filters(api, provider, commissioner, portfolio):
    for q in (1, 2):
        api(provider).post(URL, return_payload(portfolio, quarter=q), format="json")
    client = api(commissioner)
    assert client.get(URL, {"quarter": 2}).json()["count"] == 1
    assert client.get(URL, {"financial_year": "2009/10", "status": "submitted"}).json()["count"] == 2
    assert client.get(URL, {"provider": portfolio["b"].provider_id}).json()["count"] == 0
    assert client.get(URL, {"financial_year": "bad"}).status_code == 400


def test_throttling_limits_writes_per_user(api, provider, portfolio, monkeypatch):
    from django.core.cache import cache

    from api.throttles import WriteRateThrottle

    cache.clear()
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "2/minute"})
    client = api(provider)
    codes = [
        client.post(URL, return_payload(portfolio, quarter=q), format="json").status_code for q in (1, 2, 3)
    ]
    assert codes == [201, 201, 429]
    assert client.get(URL).status_code == 200  # reads are not throttled
    cache.clear()


def test_late_window_is_a_setting(api, provider, org_a, settings):
    today = timezone.localdate()
    previous = _previous(Quarter.containing(today))
    programme = ProgrammeFactory(
        provider=org_a, start_date=previous.start, end_date=today + timedelta(days=400)
    )
    target = ProgrammeTargetFactory(
        programme=programme, financial_year=previous.financial_year.label, quarter=previous.number
    )
    days_since_end = (today - previous.end).days
    settings.YARDSTICK = {**settings.YARDSTICK, "RETURN_WINDOW_DAYS": days_since_end + 1}
    body = {"programme": programme.pk, "measure": target.measure_id, "financial_year": previous.financial_year.label,
            "quarter": previous.number, "value": "3"}  # fmt: skip
    assert api(provider).post(URL, body, format="json").json()["late"] is False
    OutcomeReturn.objects.all().delete()
    settings.YARDSTICK = {**settings.YARDSTICK, "RETURN_WINDOW_DAYS": days_since_end - 1}
    assert api(provider).post(URL, body, format="json").json()["late"] is True


def _previous(quarter: Quarter) -> Quarter:
    day = quarter.start - timedelta(days=1)
    return Quarter.containing(day)


def test_date_helpers_behave():
    assert _previous(Quarter.of("2010/11", 1)) == Quarter.of("2009/10", 4)
    assert date(2010, 3, 31) == Quarter.of("2009/10", 4).end


@pytest.mark.parametrize("query", ["programme=99999999999999999999", "measure=0", "provider=-3", "programme=1.5"])
def test_out_of_range_id_filters_are_a_clear_400(api, commissioner, query):
    response = api(commissioner).get(f"/api/returns/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()
