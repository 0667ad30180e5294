"""Refusals reach people with their reason: 403 and 404 pages and API responses."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.permissions import AUDIT_STAFF_ONLY
from commissioning.permissions import FUNDING_REVIEWS_STAFF_ONLY
from commissioning.selectors import ROUND_NOT_FOUND
from grants.permissions import (
    BUDGETS_STAFF_ONLY,
    COMMISSIONERS_REVIEW_RETURNS,
    EXPORT_STAFF_ONLY,
    PROGRAMME_NOT_VISIBLE,
    RETURN_NOT_VISIBLE,
)
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def return_a(portfolio, provider):
    return OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)


# --- the API ----------------------------------------------------------------------------------


def test_api_refusal_carries_its_reason(api, provider):
    response = api(provider).get("/api/audit/")
    assert response.status_code == 403
    assert response.json() == {"detail": AUDIT_STAFF_ONLY}
    response = api(provider).get("/api/export/360giving.json")
    assert (response.status_code, response.json()) == (403, {"detail": EXPORT_STAFF_ONLY})


def test_api_verify_by_finance_is_refused_with_the_reason(api, finance, return_a):
    response = api(finance).post(f"/api/returns/{return_a.pk}/verify/")
    assert (response.status_code, response.json()) == (403, {"detail": COMMISSIONERS_REVIEW_RETURNS})


def test_api_another_organisations_programme_is_not_found(api, provider2, portfolio):
    response = api(provider2).get(f"/api/programmes/{portfolio['a'].pk}/targets/")
    assert (response.status_code, response.json()) == (404, {"detail": PROGRAMME_NOT_VISIBLE})


def test_api_payment_for_an_invisible_programme_names_the_field(api, finance, provider2, portfolio):
    response = api(provider2).post(
        "/api/payments/",
        {"programme": portfolio["a"].pk, "financial_year": "2009/10", "quarter": 1, "amount": "10.00",
         "paid_on": "2009-07-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 404
    assert response.json() == {"detail": PROGRAMME_NOT_VISIBLE, "field": "programme"}


# --- the pages --------------------------------------------------------------------------------


def test_page_refusal_carries_its_reason(client, provider):
    client.force_login(provider)
    for url, reason in [
        (reverse("finance-budgets"), BUDGETS_STAFF_ONLY),
        (reverse("returns-queue"), COMMISSIONERS_REVIEW_RETURNS),
        (reverse("funding-reviews:hub"), FUNDING_REVIEWS_STAFF_ONLY),
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert escape(reason) in response.content.decode(), url


def test_page_for_another_organisations_objects_is_not_found(client, provider2, return_a):
    client.force_login(provider2)
    response = client.get(reverse("programme-detail", args=[return_a.programme_id]))
    assert response.status_code == 404
    assert escape(PROGRAMME_NOT_VISIBLE) in response.content.decode()
    response = client.get(reverse("return-edit", args=[return_a.pk]))
    assert response.status_code == 404
    assert escape(RETURN_NOT_VISIBLE) in response.content.decode()


def test_page_for_a_missing_round_is_not_found_with_the_message(client, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("commissioning:round", args=[999999]))
    assert response.status_code == 404
    assert escape(ROUND_NOT_FOUND) in response.content.decode()


def test_verify_page_refuses_finance_with_the_reason(client, finance, return_a):
    client.force_login(finance)
    response = client.post(reverse("return-verify", args=[return_a.pk]))
    assert response.status_code == 403
    assert escape(COMMISSIONERS_REVIEW_RETURNS) in response.content.decode()
