"""Shared set-up for the finance tests: a payment-by-results programme, logging in to the web
pages, and firing API requests at the same moment (PostgreSQL concurrency tests)."""

import threading
from datetime import date
from decimal import Decimal

import pytest

from grants.models import OutcomeReturn, Programme
from tests.factories import PASSWORD, OutcomeReturnFactory, ProgrammeFactory, ProgrammeTargetFactory


def pbr_programme(**kwargs) -> Programme:
    """A payment-by-results programme running 2009/10 Q1-Q3: £60,000 award, £10,000 service fee."""
    return ProgrammeFactory(
        commissioning_model=Programme.Model.PAYMENT_BY_RESULTS,
        award_amount=Decimal("60000"),
        service_fee=Decimal("10000"),
        start_date=date(2009, 4, 1),
        end_date=date(2009, 12, 31),
        **kwargs,
    )


@pytest.fixture
def pbr(org_a):
    """2009/10 Q1-Q3, £10,000 fee, £500 per verified outcome, 4 verified in Q1: Q1 due £5,333.33."""
    programme = pbr_programme(reference="SSP-PBR1", title="Job coaching", provider=org_a)
    target = ProgrammeTargetFactory(programme=programme, quarter=1, tariff=Decimal("500"))
    OutcomeReturnFactory(programme=programme, measure=target.measure, quarter=1, value=Decimal("4"),
                         status=OutcomeReturn.Status.VERIFIED, spend=Decimal("12000"))  # fmt: skip
    return programme


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def post_at_once(user, url: str, bodies: list[dict]) -> list[int]:
    """POST each body to the API as `user`, one thread each, released together; the status codes
    in the order they came back. Needs a transactional test (each thread has its own connection)."""
    from django.db import connection
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=user).key
    barrier, codes, lock = threading.Barrier(len(bodies)), [], threading.Lock()

    def post(body: dict) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait(timeout=30)
            code = client.post(url, body, format="json").status_code
        finally:
            connection.close()
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes
