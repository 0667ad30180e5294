"""The impact demo: two synthetic programmes' reports, one with a real effect and one whose
interval spans zero; create-only, so a second run makes nothing."""

from datetime import date

import pytest

from commissioning.impact import demo as impact_demo
from commissioning.impact.models import CohortUpload, ComparisonPool, ImpactReport
from commissioning.impact.selectors import measured_impacts, report_view

pytestmark = pytest.mark.django_db


def test_the_demo_makes_two_labelled_synthetic_reports_once(demo, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "d" * 40, "TODAY": date(2010, 10, 20)}
    made = impact_demo.load(log=lambda *_: None)
    assert made["impact reports"] == 2 and made["impact comparison pools"] == 2

    reoffending = ImpactReport.objects.get(programme__reference="SSP-0918")
    employment = ImpactReport.objects.get(programme__reference="SSP-0924")
    assert reoffending.status == employment.status == "published"
    assert (
        reoffending.synthetic
        and employment.synthetic
        and all(p.synthetic for p in ComparisonPool.objects.all())
    )
    assert 0 < reoffending.effect_low <= reoffending.effect  # fewer reoffenders: the interval excludes zero
    assert employment.effect_low < 0 < employment.effect_high  # the interval spans zero
    assert report_view(reoffending).headline.endswith("percentage points.")
    assert "no difference can be shown" in report_view(employment).headline
    dated = [*ComparisonPool.objects.all(), *CohortUpload.objects.all(), reoffending, employment]
    assert all(row.created_at.date() < date(2010, 10, 20) for row in dated)  # in the demo's weeks
    assert reoffending.created_at < reoffending.published_at < reoffending.created_at.replace(month=11)
    impacts = measured_impacts([reoffending.programme_id, employment.programme_id])
    assert {key[0] for key in impacts} == {reoffending.programme_id, employment.programme_id}

    assert sum(impact_demo.load(log=lambda *_: None).values()) == 0
    assert ImpactReport.objects.count() == 2


def test_without_a_participant_key_the_demo_says_so_and_makes_nothing(settings, db):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": ""}
    said = []
    assert not impact_demo.load(log=said.append)
    assert "no participant key" in said[0]
