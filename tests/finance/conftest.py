"""Shared set-up for the finance tests: payment-by-results programmes, recording a payment, and
firing API requests at the same moment (PostgreSQL concurrency tests). Signing in is
tests.conftest.login."""

import threading
from datetime import date
from decimal import Decimal

import pytest

from grants import services
from grants.models import OutcomeReturn, Payment, Programme
from tests.factories import (
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)

TODAY = date(2011, 6, 1)  # after every quarter of the programmes here


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


@pytest.fixture
def pbr_q2_submitted(pbr):
    """`pbr` (4 verified in Q1), with a Q2 target at £500 and 6 submitted, not yet verified, in Q2."""
    measure = pbr.targets.get().measure
    ProgrammeTargetFactory(programme=pbr, measure=measure, quarter=2, tariff=Decimal("500"))
    OutcomeReturnFactory(programme=pbr, measure=measure, quarter=2, value=Decimal("6"), spend=Decimal("9000"))
    return pbr


@pytest.fixture
def pbr_each_status(org_a):
    """A PbR programme (as `pbr`) with £500 per job entry in Q1-Q3: 4 verified in Q1, 6 submitted
    in Q2, 9 queried in Q3; only Q1's are paid for: Q1 due £5,333.33."""
    programme = pbr_programme(provider=org_a)
    jobs = OutcomeMeasureFactory(name="Job entries")
    for q in (1, 2, 3):
        ProgrammeTargetFactory(programme=programme, measure=jobs, quarter=q, tariff=Decimal("500"))
    OutcomeReturnFactory(programme=programme, measure=jobs, quarter=1, value=Decimal("4"),
                         status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    OutcomeReturnFactory(programme=programme, measure=jobs, quarter=2, value=Decimal("6"))
    OutcomeReturnFactory(programme=programme, measure=jobs, quarter=3, value=Decimal("9"),
                         status=OutcomeReturn.Status.QUERIED, query_reason="Evidence?")  # fmt: skip
    return programme


def pay(user, programme, amount="5333.33", quarter=1, *, financial_year="2009/10",
        paid_on=date(2009, 8, 1), today=TODAY, **kwargs) -> Payment:  # fmt: skip
    """Record a payment through the service, as `user`; by default all of `pbr`'s Q1 due, paid on
    1 August 2009, recorded on TODAY."""
    return services.payment_record(
        user=user, programme=programme, financial_year=financial_year, quarter=quarter,
        amount=Decimal(amount), paid_on=paid_on, today=today, **kwargs,
    )  # fmt: skip


def post_at_once(user, url: str, bodies: list[dict]) -> list[int]:
    """POST each body to the API as `user`, one thread each, released together; the status codes
    in the order they came back. Needs a transactional test (each thread has its own connection)."""
    from django.db import connection
    from rest_framework.test import APIClient

    from tests.factories import api_token

    token = api_token(user)
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
