"""core.jobs: inline without a queue, stored for the worker with the database backend."""

import pytest
from django.test import override_settings

from core import jobs

CALLS: list[dict] = []


def record(**kwargs):
    CALLS.append(kwargs)


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()
    yield
    CALLS.clear()


def test_runs_inline_without_a_queue():
    assert jobs.queue_configured() is False
    assert jobs.enqueue("tests.outcomes.test_jobs.record", job_id=7) is False
    assert CALLS == [{"job_id": 7}]


def test_unknown_target_fails_at_once():
    with pytest.raises(ImportError):
        jobs.enqueue("tests.outcomes.test_jobs.no_such_function", job_id=1)


@pytest.mark.django_db(transaction=True)
def test_database_backend_queues_for_the_worker_after_commit():
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    backends = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=backends):  # django-tasks resets its backends on this signal
        assert jobs.queue_configured() is True
        assert jobs.enqueue("tests.outcomes.test_jobs.record", job_id=3) is True
        assert CALLS == []
        assert DBTaskResult.objects.count() == 1
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        assert CALLS == [{"job_id": 3}]
