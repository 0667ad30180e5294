"""Race tests on PostgreSQL: one session holds a row lock while another tries the same rows.

    outcome = contend(hold=lambda: target_delete(...), contender=lambda: return_submit(...))

`hold` runs in a transaction in its own thread and keeps it open; `contender` then runs in a
second thread and must wait for a row lock (seen in pg_stat_activity, not guessed with sleeps)
before the first commits. The contender's return value, or the exception it raised, is returned."""

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction


def wait_until_blocked(thread: threading.Thread, timeout: float = 15) -> bool:
    """True once another session of this database is waiting for a row lock, False if `thread`
    finished first: it did not wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and thread.is_alive():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def contend(*, hold: Callable[[], object], contender: Callable[[], object]):
    held, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def holder() -> None:
        try:
            with transaction.atomic():
                hold()
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def challenger() -> None:
        try:
            outcome["result"] = contender()
        except Exception as exc:  # noqa: BLE001 - a refusal is the result under test
            outcome["result"] = exc
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(timeout=30), "the first session did not get its lock"
    second = threading.Thread(target=challenger)
    second.start()
    waited = wait_until_blocked(second)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert waited, "the second session did not wait for the first one's lock"
    return outcome["result"]
