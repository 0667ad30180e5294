"""Details of the returns contract providers integrate against: body shapes, types and messages."""

import pytest

from api.fields import StrictFieldsMixin
from grants.models import OutcomeReturn
from outcomes.models import OutcomeMeasure
from tests.api.conftest import return_payload

pytestmark = pytest.mark.django_db
URL = "/api/returns/"


def test_one_answer_lists_every_mistake_including_unknown_fields(api, provider, portfolio):
    body = return_payload(portfolio, value="12abc", quarter=9, colour="blue")
    response = api(provider).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"value", "quarter", "colour"}
    assert errors["colour"] == [StrictFieldsMixin.unknown_field_message]
    assert not OutcomeReturn.objects.exists()


def test_spend_and_notes_are_optional(api, provider, portfolio):
    body = return_payload(portfolio)
    del body["spend"], body["notes"]
    response = api(provider).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["spend"] is None and response.json()["notes"] == ""


def test_json_numbers_are_accepted_and_returned_as_decimal_strings(api, provider, portfolio):
    # An amount measure takes decimals (a count takes whole numbers: tests/grants/test_high_values.py).
    OutcomeMeasure.objects.filter(pk=portfolio["measure"].pk).update(kind=OutcomeMeasure.Kind.AMOUNT)
    body = return_payload(portfolio, value=12.5, spend=1000)
    response = api(provider).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "12.50" and response.json()["spend"] == "1000.00"


@pytest.mark.parametrize("value", [True, [], {"amount": 1}, "", "1e999", "NaN"])
def test_values_that_are_not_plain_numbers_are_refused(api, provider, portfolio, value):
    response = api(provider).post(URL, return_payload(portfolio, value=value), format="json")
    assert response.status_code == 400 and "value" in response.json()


def test_body_must_be_a_json_object(api, provider, portfolio):
    client = api(provider)
    assert client.post(URL, [return_payload(portfolio)], format="json").status_code == 400
    response = client.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    form = client.post(URL, return_payload(portfolio))  # multipart form: the API speaks JSON only
    assert form.status_code == 415


def test_another_organisations_return_is_not_found_and_unchanged(api, provider, provider2, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    url = f"{URL}{created['id']}/"
    for response in (
        api(provider2).get(url),
        api(provider2).patch(url, {"value": "1"}, format="json"),
        api(provider2).get(f"{url}history/"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "No return with that id is visible to you."}
    assert OutcomeReturn.objects.get().revision == 1


def test_not_found_messages_name_the_object(api, provider, portfolio):
    client = api(provider)
    programme_b = portfolio["b"].pk
    assert client.get(f"/api/programmes/{programme_b}/").json() == {
        "detail": "No programme with that id is visible to you."
    }
    assert client.get(f"/api/programmes/{programme_b}/targets/").json() == {
        "detail": "No programme with that id is visible to you."
    }
    assert client.get("/api/measures/999999/").json() == {
        "detail": "No measure with that id is visible to you."
    }


def test_history_records_the_query_reason_and_reviewer(api, provider, commissioner, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    url = f"{URL}{created['id']}/"
    api(commissioner).post(f"{url}query/", {"reason": "Spend looks high"}, format="json")
    history = api(commissioner).get(f"{url}history/").json()
    assert [h["action"] for h in history] == ["created", "changed"]
    assert history[1]["changed_by"] == "t-commissioner"
    assert history[1]["changes"]["query_reason"] == {"from": "", "to": "Spend looks high"}
    assert history[1]["changes"]["status"] == {"from": "submitted", "to": "queried"}


def test_query_and_verify_reject_unknown_fields(api, provider, commissioner, portfolio):
    created = api(provider).post(URL, return_payload(portfolio), format="json").json()
    response = api(commissioner).post(
        f"{URL}{created['id']}/query/", {"reason": "Check", "urgent": True}, format="json"
    )
    assert response.status_code == 400 and "urgent" in response.json()
    assert OutcomeReturn.objects.get().status == "submitted"


def test_session_sign_in_also_works(client, provider, portfolio):
    client.force_login(provider)
    response = client.get(URL)
    assert response.status_code == 200 and set(response.json()) == {"count", "next", "previous", "results"}


def test_schema_documents_errors_for_every_operation(api):
    schema = api().get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if path == "/api/auth/token/":
                assert codes == {"200", "400", "429"}  # 429: locked after repeated failures
                continue
            if path == "/api/public/calls/":
                assert codes == {"200", "400", "404"}  # the open-call feed needs no sign-in
                continue
            assert "401" in codes, (method, path)
            if method in ("post", "patch", "delete"):
                assert {"400", "403", "404", "409", "429"} <= codes, (method, path)
    assert "/api/returns/{id}/" in schema["paths"]
    assert "delete" not in schema["paths"]["/api/returns/{id}/"]


def test_swagger_ui_is_served_without_a_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page.lower()
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
