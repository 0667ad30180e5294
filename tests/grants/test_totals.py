"""The per-year totals the value-for-money engine reads are kept equal to the targets and returns
by database triggers, whatever route the rows take (grants/totals.py)."""

import threading
import time
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from grants import totals
from grants.models import MeasureYearTotal, OutcomeReturn, Programme, ProgrammeTarget, ProgrammeYearSpend
from tests.factories import (
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    UserFactory,
)


def stored() -> tuple[dict, dict]:
    measures = {
        (t.programme_id, t.measure_id, t.financial_year): (
            t.target_count, t.target_total, t.target_quarters, t.return_quarters, t.verified_total, t.submitted_total
        )
        for t in MeasureYearTotal.objects.all()
    }  # fmt: skip
    spend = {
        (s.programme_id, s.financial_year): (s.verified_spend, s.counted_spend)
        for s in ProgrammeYearSpend.objects.all()
    }
    return measures, spend


def expected() -> tuple[dict, dict]:
    """The same totals worked out in Python from every row."""
    measures: dict = defaultdict(lambda: [0, Decimal(0), 0, 0, None, None])
    for t in ProgrammeTarget.objects.all():
        row = measures[(t.programme_id, t.measure_id, t.financial_year)]
        row[0] += 1
        row[1] += t.target_value
        row[2] |= 1 << (t.quarter - 1)
    quarter_spend: dict = defaultdict(lambda: [None, None])
    for r in OutcomeReturn.objects.all():
        row = measures[(r.programme_id, r.measure_id, r.financial_year)]
        row[3] |= 1 << (r.quarter - 1)
        column = {"verified": 4, "submitted": 5}.get(r.status)
        if column:
            row[column] = (row[column] or 0) + r.value
        if r.spend is not None and column:
            spend = quarter_spend[(r.programme_id, r.financial_year, r.quarter)]
            for index, counts in enumerate([r.status == "verified", True]):
                if counts:
                    spend[index] = max(spend[index] or 0, r.spend)
    by_year: dict = defaultdict(lambda: [None, None])
    for (programme_id, year, _), figures in quarter_spend.items():
        row = by_year[(programme_id, year)]
        for index, figure in enumerate(figures):
            if figure is not None:
                row[index] = (row[index] or 0) + figure
    return {key: tuple(row) for key, row in measures.items()}, {
        key: tuple(row) for key, row in by_year.items()
    }


def assert_totals_right() -> None:
    actual, wanted = stored(), expected()
    assert actual[0] == wanted[0]
    assert actual[1] == wanted[1]


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.mark.django_db
def test_triggers_are_installed_by_migrate():
    assert totals.installed_triggers() == set(totals.trigger_names())


@pytest.mark.django_db
def test_totals_follow_saves_updates_and_deletes(programme):
    measure, other = OutcomeMeasureFactory(), OutcomeMeasureFactory()
    for quarter in (1, 2, 3):
        ProgrammeTargetFactory(
            programme=programme, measure=measure, quarter=quarter, target_value=Decimal("10.5")
        )
    assert_totals_right()
    first = OutcomeReturnFactory(programme=programme, measure=measure, quarter=1, status="verified")
    OutcomeReturnFactory(programme=programme, measure=other, quarter=1, spend=Decimal("25000"))
    second = OutcomeReturnFactory(programme=programme, measure=measure, quarter=2, spend=None)
    assert_totals_right()
    assert stored()[0][(programme.pk, measure.pk, "2009/10")] == (
        3, Decimal("31.50"), 0b0111, 0b0011, Decimal("8.00"), Decimal("8.00")
    )  # fmt: skip
    # The quarter's spend counts once, at its largest figure; only the verified return is verified.
    assert stored()[1][(programme.pk, "2009/10")] == (Decimal("20000.00"), Decimal("25000.00"))

    second.status, second.query_reason = "queried", "Check the count."
    second.save()
    first.value = Decimal("12")
    first.save()
    assert_totals_right()
    first.quarter, first.financial_year = 4, "2010/11"  # the old key and the new both change
    first.save()
    assert_totals_right()
    first.delete()
    ProgrammeTarget.objects.filter(programme=programme, quarter=3).delete()
    assert_totals_right()
    ProgrammeTarget.objects.filter(programme=programme).update(target_value=Decimal("4"))
    assert_totals_right()


@pytest.mark.django_db
def test_totals_follow_bulk_inserts_and_raw_sql(programme):
    measure, user = OutcomeMeasureFactory(), UserFactory()
    now = timezone.now()
    OutcomeReturn.objects.bulk_create(
        [OutcomeReturn(programme=programme, measure=measure, financial_year=year, quarter=quarter,
                       value=Decimal(quarter), spend=Decimal(1000 * quarter), status="verified",
                       submitted_by=user, submitted_at=now)
         for year in ("2009/10", "2010/11") for quarter in (1, 2, 3, 4)]
    )  # fmt: skip
    assert_totals_right()
    OutcomeReturn.objects.filter(programme=programme, quarter__gte=3).update(status="submitted")
    assert_totals_right()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM grants_outcomereturn WHERE quarter = 4")
    assert_totals_right()
    OutcomeReturn.objects.filter(programme=programme).delete()
    assert stored() == ({}, {})


@pytest.mark.django_db
def test_deleting_a_programme_takes_its_totals_with_its_targets(programme):
    ProgrammeTargetFactory(programme=programme)
    assert MeasureYearTotal.objects.filter(programme=programme).exists()
    Programme.objects.filter(pk=programme.pk).delete()
    assert stored() == ({}, {})


@pytest.mark.django_db
def test_demo_totals_equal_a_rebuild_from_every_row(demo):
    before = stored()
    assert len(before[0]) > 50 and len(before[1]) > 20
    assert before == expected()
    assert totals.rebuild() == (len(before[0]), len(before[1]))
    assert stored() == before


@pytest.mark.django_db
def test_lost_triggers_are_reinstalled_and_the_totals_rebuilt(programme):
    totals.uninstall()
    assert totals.installed_triggers() == set()
    OutcomeReturnFactory(programme=programme, status="verified")
    assert stored() == ({}, {})  # stale without the triggers
    assert totals.ensure_installed() is True
    assert_totals_right()
    assert totals.ensure_installed() is False


@pytest.mark.django_db
def test_a_disabled_trigger_counts_as_missing(on_postgres, programme):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE grants_outcomereturn DISABLE TRIGGER grants_outcomereturn_totals_ins")
    assert "grants_outcomereturn_totals_ins" not in totals.installed_triggers()
    OutcomeReturnFactory(programme=programme, status="verified")
    assert stored() == ({}, {})
    assert totals.ensure_installed() is True
    assert_totals_right()


@pytest.mark.django_db
def test_rebuild_command_reports_what_it_did(programme, capsys):
    OutcomeReturnFactory(programme=programme, status="verified")
    MeasureYearTotal.objects.all().delete()
    call_command("rebuild_totals")
    out = capsys.readouterr().out
    assert "Rebuilt 1 measure-year totals and 1 programme-year spend totals" in out
    assert_totals_right()


@pytest.mark.django_db(transaction=True)
def test_concurrent_returns_of_one_programme_both_count(on_postgres, programme):
    """The second writer's trigger waits for the first to commit and recomputes with its row."""
    measure, user = OutcomeMeasureFactory(), UserFactory()
    first_written, errors = threading.Event(), []

    def write(quarter: int, hold: float) -> None:
        try:
            with transaction.atomic():
                OutcomeReturnFactory(programme=programme, measure=measure, quarter=quarter, submitted_by=user)
                first_written.set()
                time.sleep(hold)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=write, args=(1, 0.5))
    first.start()
    first_written.wait(timeout=10)
    second = threading.Thread(target=write, args=(2, 0))
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    assert errors == []
    assert stored()[0][(programme.pk, measure.pk, "2009/10")][3] == 0b0011
    assert_totals_right()
