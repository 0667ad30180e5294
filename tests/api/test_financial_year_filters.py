"""A financial year filter quotes what was sent in its error; a % in it must not turn the 400 into
a 500 (django-filter %-formats the messages)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/returns/", "/api/programmes/", "/api/funding-streams/"])
def test_a_year_with_a_percent_sign_is_a_400_not_a_500(api, finance, portfolio, url):
    response = api(finance).get(url, {"financial_year": "20%s/1%"})
    assert response.status_code == 400
    assert response.json()["financial_year"] == ['"20%s/1%" is not a financial year; write it like "2009/10".']
