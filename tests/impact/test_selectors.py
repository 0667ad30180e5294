"""measured_impacts: what the value-for-money engine reads (published reports with an estimate)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from commissioning.impact.estimates import MeasuredImpact
from commissioning.impact.models import ImpactReport
from commissioning.impact.selectors import measured_impacts
from tests.impact.factories import ImpactReportFactory

pytestmark = pytest.mark.django_db


def test_published_reports_with_an_estimate_are_keyed_by_programme_and_measure():
    report = ImpactReportFactory()
    ImpactReportFactory(programme=report.programme, cohort=report.cohort, status="draft", published_at=None)
    refused = ImpactReportFactory(
        matched=40, effect=None, effect_low=None, effect_high=None, refusal="No estimate"
    )
    superseded = ImpactReportFactory(status="superseded")
    other = ImpactReportFactory()

    impacts = measured_impacts([report.programme_id, refused.programme_id, superseded.programme_id])

    assert impacts == {
        (report.programme_id, report.measure_id): MeasuredImpact(
            effect=Decimal("0.0800"),
            low=Decimal("0.0100"),
            high=Decimal("0.1500"),
            cohort=400,
            method="matched comparison",
            report_id=report.pk,
        )
    }
    assert (other.programme_id, other.measure_id) not in impacts


def test_one_query(django_assert_num_queries):
    reports = [ImpactReportFactory() for _ in range(3)]
    with django_assert_num_queries(1):
        impacts = measured_impacts(r.programme_id for r in reports)
    assert len(impacts) == 3


def test_the_database_allows_one_published_report_per_programme_and_measure():
    report = ImpactReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ImpactReportFactory(programme=report.programme, cohort=report.cohort, measure=report.measure)


def test_the_database_refuses_an_estimate_outside_its_interval():
    with pytest.raises(IntegrityError), transaction.atomic():
        ImpactReportFactory(effect=Decimal("0.2"))
    assert not ImpactReport.objects.exists()
