"""One "today" (core.clock.today, pinned by YARDSTICK["TODAY"]) read by every page, service and
command: a demo dated mid-year is coherent everywhere (issue 12, defect 10)."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from core import clock
from grants.models import OutcomeReturn
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Ways of reading the calendar date that bypass core.clock (times of day stay real).
READS_TODAY = re.compile(
    r"date\.today\(\)|timezone\.localdate\(\)|timezone\.now\(\)\.date\(\)|localtime\(\)\.date\(\)"
    r"|datetime\.(now|today)\(\)\.date\(\)"
)


@pytest.fixture
def pinned(settings):
    def pin(day: date) -> None:
        settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": day}

    return pin


def test_no_code_outside_core_clock_reads_todays_date():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "node_modules"} or "migrations" in relative.parts:
            continue
        if relative == Path("core/clock.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if READS_TODAY.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_clock_reads_the_setting_and_otherwise_the_real_date(pinned):
    pinned(date(2010, 10, 20))
    assert clock.today() == date(2010, 10, 20)
    pinned(None)
    assert clock.today() > date(2020, 1, 1)


def test_returns_page_states_follow_the_pinned_date(client, provider, portfolio, pinned):
    # Programme A has 2009/10 targets for Q1-Q4; Q1 is returned, and verified.
    OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], quarter=1, value=Decimal("9"),
        status=OutcomeReturn.Status.VERIFIED,
    )  # fmt: skip
    client.force_login(provider)
    pinned(date(2010, 4, 20))  # Q4 2009/10 ended 31 March: due by 30 April; Q2, Q3 are late
    states = {
        (s["quarter"].number, s["target"].measure_id): s["state"]
        for s in client.get(reverse("returns")).context["page"].object_list
    }
    measure = portfolio["measure"].pk
    assert [states[(q, measure)] for q in (1, 2, 3, 4)] == ["verified", "late", "late", "due"]

    pinned(date(2010, 1, 20))  # Q4 under way, Q3 (ended 31 December) due by 30 January, Q2 late
    states = {
        (s["quarter"].number, s["target"].measure_id): s["state"]
        for s in client.get(reverse("returns")).context["page"].object_list
    }
    assert [states[(q, measure)] for q in (1, 2, 3, 4)] == ["verified", "late", "due", "open"]


def test_a_return_submitted_at_the_pinned_date_is_late_only_after_its_window(client, provider, portfolio, pinned):
    client.force_login(provider)
    data = {"programme": portfolio["a"].pk, "measure": portfolio["measure"].pk, "financial_year": "2009/10",
            "value": "9", "spend": "", "notes": ""}  # fmt: skip
    pinned(date(2010, 1, 15))  # Q3 ended 31 December: on time until 30 January
    assert client.post(reverse("return-new"), {**data, "quarter": 3}).status_code == 302
    assert client.post(reverse("return-new"), {**data, "quarter": 1}).status_code == 302
    late = dict(OutcomeReturn.objects.values_list("quarter", "is_late"))
    assert late == {3: False, 1: True}
