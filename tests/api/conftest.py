"""API fixtures: clients signed in as each role, and a small two-organisation portfolio."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import OutcomeMeasureFactory, ProgrammeFactory, ProgrammeTargetFactory


@pytest.fixture
def api():
    """A client factory: api(user) signs in with a token; api() is anonymous."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            from rest_framework.authtoken.models import Token

            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def portfolio(db, org_a, org_b):
    """Programme A (org_a, provider's) and B (org_b, provider2's), each with a target on one measure,
    running 2009/10 to 2010/11."""
    measure = OutcomeMeasureFactory(name="Sustained job entries")
    negative = OutcomeMeasureFactory(name="Net change in caseload", allows_negative=True)
    a = ProgrammeFactory(
        provider=org_a, title="Through-the-gate", start_date=date(2009, 4, 1), end_date=date(2011, 3, 31)
    )
    b = ProgrammeFactory(
        provider=org_b, title="Mediation", start_date=date(2009, 4, 1), end_date=date(2011, 3, 31)
    )
    for programme in (a, b):
        for q in (1, 2, 3, 4):
            ProgrammeTargetFactory(
                programme=programme, measure=measure, quarter=q, target_value=Decimal("10")
            )
    ProgrammeTargetFactory(programme=a, measure=negative, quarter=1)
    return {"a": a, "b": b, "measure": measure, "negative": negative}


def return_payload(portfolio, programme="a", **overrides) -> dict:
    body = {
        "programme": portfolio[programme].pk,
        "measure": portfolio["measure"].pk,
        "financial_year": "2009/10",
        "quarter": 1,
        "value": "12",
        "spend": "25000.00",
        "notes": "",
    }
    body.update(overrides)
    return body
