"""Token authentication reads the user's roles and organisations with the token, in one query."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import return_payload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_of_two_organisations_sees_both(api, org_a, org_b, portfolio):
    both = UserFactory(username="t-both", role="Provider", organisations=[org_a, org_b])
    ids = {p["id"] for p in api(both).get("/api/programmes/").json()["results"]}
    assert ids == {portfolio["a"].pk, portfolio["b"].pk}


def test_roles_from_several_groups_all_count(api, org_a, portfolio):
    user = UserFactory(username="t-two-roles", role="Provider", organisations=[org_a])
    user.groups.add(Group.objects.get(name="Finance officer"))
    # Finance sees the whole portfolio; the provider role alone would see only org_a's programme.
    assert api(user).get("/api/programmes/").json()["count"] == 2


def test_a_user_without_roles_sees_nothing(api, org_a, portfolio):
    user = UserFactory(username="t-nobody", organisations=[org_a])
    assert api(user).get("/api/programmes/").json()["count"] == 0
    assert api(user).post("/api/returns/", return_payload(portfolio), format="json").status_code == 404


def test_bad_or_inactive_tokens_are_refused(api, provider):
    client = api(provider)
    assert client.get("/api/returns/").status_code == 200
    provider.is_active = False
    provider.save()  # deactivation revokes the person's tokens (tests/accounts/test_tokens.py)
    response = client.get("/api/returns/")
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}
    stranger = api()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert stranger.get("/api/returns/").json() == {"detail": "Invalid token."}


def test_one_return_costs_a_fixed_handful_of_queries(api, provider, portfolio):
    client = api(provider)  # its token was just used: no last-used write (at most once a minute)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/returns/", return_payload(portfolio), format="json")
    assert response.status_code == 201
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # token with roles and organisations; programme, measure and target; the return with its
    # history (one statement on PostgreSQL, two INSERTs elsewhere). The test wraps everything in
    # a transaction, so the service's own shows as a savepoint.
    writes = ["WITH"] if connection.vendor == "postgresql" else ["INSERT", "INSERT"]
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "SELECT", *writes]
