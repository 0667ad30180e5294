"""Property-based tests of every API operation from its OpenAPI schema, as each role.

Schemathesis generates requests (valid and invalid) for every operation in /api/schema/ and
calls the app in-process: no response may be a 5xx, and every response must match the schema.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.factories import OutcomeReturnFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

ROLES = ["provider", "provider2", "commissioner", "finance", "anonymous"]


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Schemathesis calls the WSGI app directly, whose request signals would close the database
    connection mid-test (inside the test's transaction) on PostgreSQL; Django's own test client
    disconnects them in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(request, provider, provider2, commissioner, finance, portfolio):
    from tests.factories import api_token

    OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)
    users = {"provider": provider, "provider2": provider2, "commissioner": commissioner, "finance": finance}
    headers = {}
    for name, user in users.items():
        headers[name] = {"Authorization": f"Token {api_token(user)}"}
    headers["anonymous"] = {}
    return headers


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case, role, role_headers):
    # Business rules rightly refuse some schema-valid requests (wrong password, a duplicate return,
    # a quarter outside the programme): "positive data acceptance" does not apply to them.
    headers = role_headers[role]
    response = case.call(headers=headers)
    if response.status_code == 413:
        # A body over the size limit (say rows beyond maxItems) is refused before it is read: a
        # rejection, documented as 413, which schemathesis's negative-data check does not list.
        assert response.json()["detail"].startswith("The request is too large")
        return
    # The headers sent are passed on (as call_and_validate does) so the auth checks know them.
    case.validate_response(
        response,
        headers=headers,
        transport_kwargs={"headers": dict(headers)},
        excluded_checks=[checks.positive_data_acceptance],
    )
