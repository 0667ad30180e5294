"""A refused page is one line in the server log, not a traceback (issue 12, defect 9)."""

import logging

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_as_one_line_with_who_and_why(client, provider, caplog):
    login(client, provider)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/returns/queue/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = logging.Formatter().format(record)
    assert "Traceback" not in line and "\n" not in line
    assert record.exc_info is None
    assert line.startswith("Forbidden (Permission denied): /returns/queue/ (user t-provider): ")
    assert len(line) > len("Forbidden (Permission denied): /returns/queue/ (user t-provider): ")


def test_other_errors_keep_their_traceback():
    from core.logging import OneLineForbidden

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                                   ("/x/",), sys.exc_info())  # fmt: skip
    assert OneLineForbidden().filter(record) and record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(record)
