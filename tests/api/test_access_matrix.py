"""Who can see what: every endpoint × provider / provider2 / commissioner / finance / anonymous."""

import pytest

from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db

ROLES = ["provider", "provider2", "commissioner", "finance", "anonymous"]
REFERENCE = [
    "/api/priorities/",
    "/api/themes/",
    "/api/indicators/",
    "/api/measures/",
    "/api/funding-streams/",
]


@pytest.fixture
def users(provider, provider2, commissioner, finance):
    return {"provider": provider, "provider2": provider2, "commissioner": commissioner, "finance": finance,
            "anonymous": None}  # fmt: skip


@pytest.fixture
def returns(portfolio, provider, provider2):
    a = OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)
    b = OutcomeReturnFactory(programme=portfolio["b"], measure=portfolio["measure"], submitted_by=provider2)
    return {"a": a, "b": b}


# Expected status for reading programme/return A (provider's organisation) and B (provider2's).
EXPECT_A = {"provider": 200, "provider2": 404, "commissioner": 200, "finance": 200, "anonymous": 401}
EXPECT_B = {"provider": 404, "provider2": 200, "commissioner": 200, "finance": 200, "anonymous": 401}


@pytest.mark.parametrize("role", ROLES)
def test_reference_endpoints_need_sign_in_only(api, users, portfolio, role):
    for url in REFERENCE:
        assert api(users[role]).get(url).status_code == (401 if role == "anonymous" else 200), url


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["programmes", "returns", "organisations"])
def test_detail_visibility(api, users, portfolio, returns, role, kind):
    ids = {
        "programmes": (portfolio["a"].pk, portfolio["b"].pk),
        "returns": (returns["a"].pk, returns["b"].pk),
        "organisations": (portfolio["a"].provider_id, portfolio["b"].provider_id),
    }[kind]
    client = api(users[role])
    assert client.get(f"/api/{kind}/{ids[0]}/").status_code == EXPECT_A[role]
    assert client.get(f"/api/{kind}/{ids[1]}/").status_code == EXPECT_B[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["programmes", "returns"])
def test_lists_only_show_what_a_role_may_see(api, users, portfolio, returns, role, kind):
    response = api(users[role]).get(f"/api/{kind}/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    seen = {row["id"] for row in response.json()["results"]}
    a, b = (
        (portfolio["a"].pk, portfolio["b"].pk) if kind == "programmes" else (returns["a"].pk, returns["b"].pk)
    )
    assert (a in seen) == (EXPECT_A[role] == 200)
    assert (b in seen) == (EXPECT_B[role] == 200)


@pytest.mark.parametrize("role", ROLES)
def test_nested_targets_and_history_follow_visibility(api, users, portfolio, returns, role):
    client = api(users[role])
    assert client.get(f"/api/programmes/{portfolio['a'].pk}/targets/").status_code == EXPECT_A[role]
    assert client.get(f"/api/returns/{returns['b'].pk}/history/").status_code == EXPECT_B[role]


WRITE_EXPECT = {
    # role: (submit return for A, amend return A, verify return A, create target on A)
    "provider": (409, 200, 403, 403),
    "provider2": (404, 404, 404, 404),
    "commissioner": (403, 403, 200, 201),
    "finance": (403, 403, 403, 403),
    "anonymous": (401, 401, 401, 401),
}


@pytest.mark.parametrize("role", ROLES)
def test_writes_by_role(api, users, portfolio, returns, role):
    client = api(users[role])
    a = portfolio["a"]
    body = {
        "programme": a.pk,
        "measure": portfolio["measure"].pk,
        "financial_year": "2009/10",
        "quarter": 1,
        "value": "1",
    }
    codes = (
        client.post("/api/returns/", body, format="json").status_code,
        client.patch(f"/api/returns/{returns['a'].pk}/", {"value": "2"}, format="json").status_code,
        client.post(f"/api/returns/{returns['a'].pk}/verify/").status_code,
        client.post(
            f"/api/programmes/{a.pk}/targets/",
            {
                "measure": portfolio["measure"].pk,
                "financial_year": "2010/11",
                "quarter": 2,
                "target_value": "5",
            },
            format="json",
        ).status_code,
    )
    assert codes == WRITE_EXPECT[role]
