"""Twenty providers' threads submitting the same return at once end with exactly one row."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from grants.models import OutcomeReturn
from tests.api.conftest import return_payload

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_identical_concurrent_submissions_leave_one_return(on_postgres, provider, portfolio):
    from tests.factories import api_token

    token = api_token(provider)
    body = return_payload(portfolio)
    barrier = threading.Barrier(THREADS)
    codes: list[int] = []
    lock = threading.Lock()

    def submit() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            barrier.wait(timeout=30)
            status = client.post("/api/returns/", body, format="json").status_code
        finally:
            connection.close()
        with lock:
            codes.append(status)

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [201] + [409] * (THREADS - 1)
    assert OutcomeReturn.objects.count() == 1
