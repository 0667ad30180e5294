"""Filters given a value must be able to use it: a bad one is a 400 naming the parameter, never a
silently unfiltered list."""

from tests.factories import FundingStreamFactory


def test_funding_streams_filter_by_year_and_refuse_a_malformed_one(api, commissioner, db):
    FundingStreamFactory(financial_year="2009/10")
    FundingStreamFactory(financial_year="2010/11")
    client = api(commissioner)
    listed = client.get("/api/funding-streams/", {"financial_year": "2010/11"}).json()["results"]
    assert [s["financial_year"] for s in listed] == ["2010/11"]
    refused = client.get("/api/funding-streams/", {"financial_year": "2010-11"})
    assert refused.status_code == 400
    assert list(refused.json()) == ["financial_year"]


def test_an_empty_status_is_refused_not_ignored(api, commissioner, db):
    for path in ("/api/programmes/", "/api/returns/", "/api/review-rounds/"):
        response = api(commissioner).get(path, {"status": ""})
        assert response.status_code == 400, path
        assert list(response.json()) == ["status"], path
