"""Review rounds through the API: rounds, rubric, scores, conflicts, decisions, VfM, permissions."""

import csv
import io

import pytest
from openpyxl import load_workbook

from commissioning.models import ReviewRound, Score
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db
URL = "/api/review-rounds/"


@pytest.fixture
def open_round(api, commissioner, portfolio):
    body = api(commissioner).post(URL, {"name": "2009/10 review", "first_year": "2009/10", "last_year": "2009/10"},
                                  format="json").json()  # fmt: skip
    api(commissioner).patch(f"{URL}{body['id']}/", {"status": "open"}, format="json")
    return ReviewRound.objects.get(pk=body["id"])


def score_body(review_round, programme, score=4, rationale="Clear evidence of outcomes", index=0):
    criterion = review_round.criteria.order_by("order")[index]
    return {"programme": programme.pk, "criterion": criterion.pk, "score": score, "rationale": rationale}


def test_create_round_with_default_rubric(api, commissioner):
    response = api(commissioner).post(
        URL, {"name": "Review", "first_year": "2009/10", "last_year": "2010/11"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert [c["name"] for c in body["criteria"]] == ["Strategic fit to priorities", "Outcomes delivered",
                                                     "Value for money", "Delivery quality", "Risk"]  # fmt: skip
    assert sum(c["weight"] for c in body["criteria"]) == 100


def test_weights_must_sum_to_100(api, commissioner):
    criteria = [{"name": "Outcomes", "weight": 60}, {"name": "Cost", "weight": 30}]
    response = api(commissioner).post(URL, {"name": "R", "first_year": "2009/10", "last_year": "2009/10",
                                            "criteria": criteria}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert "add up to 90" in response.json()["criteria"][0]
    assert not ReviewRound.objects.exists()


def test_round_lifecycle_and_rubric_only_changes_in_draft(api, commissioner):
    body = (
        api(commissioner)
        .post(URL, {"name": "R", "first_year": "2009/10", "last_year": "2009/10"}, format="json")
        .json()
    )
    url = f"{URL}{body['id']}/"
    criteria = [{"name": "Outcomes", "weight": 70}, {"name": "Cost", "weight": 30}]
    assert api(commissioner).patch(url, {"criteria": criteria}, format="json").status_code == 200
    assert api(commissioner).patch(url, {"status": "closed"}, format="json").status_code == 409
    assert api(commissioner).patch(url, {"status": "open"}, format="json").json()["status"] == "open"
    assert api(commissioner).patch(url, {"criteria": criteria}, format="json").status_code == 409
    assert api(commissioner).patch(url, {"status": "closed"}, format="json").json()["status"] == "closed"
    assert api(commissioner).patch(url, {"status": "open"}, format="json").status_code == 403  # admins reopen


def test_scoring_rules(api, commissioner, open_round, portfolio):
    client = api(commissioner)
    url = f"{URL}{open_round.pk}/scores/"
    assert (
        client.post(url, score_body(open_round, portfolio["a"], rationale=""), format="json").status_code
        == 400
    )
    assert (
        client.post(url, score_body(open_round, portfolio["a"], rationale="   "), format="json").status_code
        == 400
    )
    assert client.post(url, score_body(open_round, portfolio["a"], score=6), format="json").status_code == 400
    created = client.post(url, score_body(open_round, portfolio["a"]), format="json")
    assert created.status_code == 201 and created.json()["commissioner"] == "t-commissioner"
    changed = client.post(url, score_body(open_round, portfolio["a"], score=2), format="json")
    assert changed.status_code == 201 and Score.objects.get().score == 2
    assert Score.objects.get().history.count() == 2


def test_conflicted_commissioner_cannot_score(api, commissioner, open_round, portfolio):
    client = api(commissioner)
    client.post(f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["a"]), format="json")
    declared = client.post(f"{URL}{open_round.pk}/conflicts/",
                           {"programme": portfolio["a"].pk, "description": "Trustee of the provider"}, format="json")  # fmt: skip
    assert declared.status_code == 201
    assert not Score.objects.exists()  # withdrawn
    refused = client.post(
        f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["a"]), format="json"
    )
    assert refused.status_code == 403 and "conflict of interest" in refused.json()["detail"]
    assert (
        client.post(
            f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["b"]), format="json"
        ).status_code
        == 201
    )


def test_closed_round_is_read_only(api, commissioner, open_round, portfolio):
    client = api(commissioner)
    client.patch(f"{URL}{open_round.pk}/", {"status": "closed", "confirm": True}, format="json")
    response = client.post(
        f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["a"]), format="json"
    )
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    decision = {"programme": portfolio["a"].pk, "outcome": "continue", "rationale": "Good"}
    assert client.post(f"{URL}{open_round.pk}/decisions/", decision, format="json").status_code == 409


def test_decisions(api, commissioner, open_round, portfolio):
    client = api(commissioner)
    url = f"{URL}{open_round.pk}/decisions/"
    assert client.post(url, {"programme": portfolio["a"].pk, "outcome": "conditions", "rationale": "Mixed"},
                       format="json").status_code == 400  # conditions required  # fmt: skip
    made = client.post(
        url,
        {"programme": portfolio["a"].pk, "outcome": "recommission", "rationale": "Poor VfM"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["decided_by"] == "t-commissioner"
    listed = client.get(url).json()
    assert [d["outcome"] for d in listed] == ["recommission"]


def test_permissions(api, commissioner, provider, provider2, finance, open_round, portfolio):
    api(commissioner).post(
        f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["a"]), format="json"
    )
    api(commissioner).post(
        f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["b"]), format="json"
    )
    for user in (provider, finance):
        assert (
            api(user)
            .post(URL, {"name": "X", "first_year": "2009/10", "last_year": "2009/10"}, format="json")
            .status_code
            == 403
        )
        assert api(user).post(
            f"{URL}{open_round.pk}/scores/", score_body(open_round, portfolio["a"]), format="json"
        ).status_code in (403, 404)
    assert api(finance).get(f"{URL}{open_round.pk}/scores/").json().__len__() == 2
    assert api(provider).get(f"{URL}{open_round.pk}/scores/").json() == []  # open round: nothing
    assert api(provider).get(f"{URL}{open_round.pk}/vfm/").status_code == 403
    assert api().get(URL).status_code == 401
    api(commissioner).patch(f"{URL}{open_round.pk}/", {"status": "closed", "confirm": True}, format="json")
    own = api(provider).get(f"{URL}{open_round.pk}/scores/").json()
    assert [s["programme"] for s in own] == [portfolio["a"].pk]  # only its own programme's, once closed
    assert [s["programme"] for s in api(provider2).get(f"{URL}{open_round.pk}/scores/").json()] == [
        portfolio["b"].pk
    ]


def test_vfm_table_filters_and_downloads(api, commissioner, finance, open_round, portfolio):
    OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], value=12, spend=1000, status="verified"
    )
    rows = api(finance).get(f"{URL}{open_round.pk}/vfm/").json()
    assert {r["reference"] for r in rows} == {portfolio["a"].reference, portfolio["b"].reference}
    a = next(r for r in rows if r["programme"] == portfolio["a"].pk)
    assert a["cost"] == "1000.00" and a["cost_estimated"] is False and a["rank"] == 1
    b = next(r for r in rows if r["programme"] == portfolio["b"].pk)
    assert b["cost_estimated"] is True and "cost_estimated" in b["flags"] and "missing_returns" in b["flags"]
    assert [
        r["programme"]
        for r in api(finance).get(f"{URL}{open_round.pk}/vfm/", {"flag": "cost_estimated"}).json()
    ] == [portfolio["b"].pk]
    assert api(finance).get(f"{URL}{open_round.pk}/vfm/", {"ordering": "colour"}).status_code == 400
    ordered = api(finance).get(f"{URL}{open_round.pk}/vfm/", {"ordering": "-cost"}).json()
    assert [float(r["cost"]) for r in ordered] == sorted((float(r["cost"]) for r in ordered), reverse=True)
    text = api(finance).get(f"{URL}{open_round.pk}/vfm/", {"format": "csv"}).content.decode()
    table = list(csv.DictReader(io.StringIO(text)))
    assert table[0]["reference"] == portfolio["a"].reference and table[0]["cost"] == "1000.00"
    book = load_workbook(
        io.BytesIO(api(finance).get(f"{URL}{open_round.pk}/vfm/", {"format": "xlsx"}).content)
    )
    assert book.active["A1"].value == "rank" and book.active.max_row == 3
