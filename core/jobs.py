"""Long jobs (large PDF reviews, imports): run in the background when a task queue is
configured, inline otherwise.

    from core.jobs import enqueue
    enqueue("commissioning.reports.services.report_run", job_id=job.pk)

The target is a dotted path to a plain function taking JSON-serialisable keyword arguments
(ids, not model instances). It should record its own success or failure (e.g. on a ReportJob
row), because with a queue nobody is waiting for an exception.

Configuration (config/settings.py, env TASK_BACKEND):
  - unset / "immediate": no queue; enqueue() calls the function at once, in this process, and
    exceptions propagate to the caller.
  - "database": django-tasks-db; enqueue() stores the job once the surrounding transaction
    commits and `manage.py db_worker` runs it.

This module lives in outcomes (the lowest layer) so that every app may use it.
"""

from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

QUEUE_NAME = "default"


@task(queue_name=QUEUE_NAME)
def run_job(callable_path: str, kwargs: dict[str, Any]) -> None:
    """The one task the worker knows: import the target and call it."""
    import_string(callable_path)(**kwargs)


def queue_configured() -> bool:
    """True when jobs go to a worker process rather than running inline."""
    return not isinstance(task_backends["default"], ImmediateBackend)


def enqueue(callable_path: str, **kwargs: Any) -> bool:
    """Run `callable_path(**kwargs)` in the background if a queue is configured, else now.

    Returns True if the job was queued, False if it ran inline. The target is resolved at once
    so that a typo fails here, not later in the worker."""
    import_string(callable_path)
    if not queue_configured():
        import_string(callable_path)(**kwargs)
        return False
    # After commit, so the worker sees the rows this transaction created (e.g. the job record).
    transaction.on_commit(lambda: run_job.enqueue(callable_path, kwargs))
    return True
