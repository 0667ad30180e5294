"""Indicator tracking pages: the list with latest RAG, one indicator's years, chart data and
contributing programmes (narrowed to what the user may see), query counts."""

import json
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from grants.models import OutcomeReturn
from outcomes.models import Indicator, IndicatorYear
from tests.conftest import login_demo
from tests.factories import (
    IndicatorFactory,
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
)

pytestmark = pytest.mark.django_db


def test_indicator_tolerance_defaults_to_five_percent_and_is_held_between_0_and_1():
    assert IndicatorFactory().tolerance == Decimal("0.05")
    for bad in (Decimal("-0.01"), Decimal("1.001")):
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorFactory(tolerance=bad)
    IndicatorFactory(tolerance=Decimal("1"))
    IndicatorFactory(tolerance=Decimal("0"))


def test_pages_need_sign_in(client):
    indicator = IndicatorFactory()
    for url in (reverse("indicator-list"), reverse("indicator-detail", args=[indicator.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_list_shows_every_demo_indicator_with_its_latest_status(client, demo):
    login_demo(client, "provider")
    page = client.get(reverse("indicator-list")).content.decode()
    for indicator in Indicator.objects.all():
        assert indicator.code in page
        assert reverse("indicator-detail", args=[indicator.pk]) in page
    # NI 111 in 2009/10: target 1,900, actual 1,880, lower is better -> green
    assert '<strong class="govuk-tag govuk-tag--green">On target</strong>' in page
    # NI 19 in 2009/10: target 125, actual 131 (band 6.25) -> amber
    assert "Within tolerance of target" in page
    # NI 152 in 2009/10: target 15.4, actual 16.2 (band 0.77) -> red
    assert "Off target" in page
    # NI 18 has no baseline yet -> grey
    assert "Baseline not yet established" in page


def test_list_filters_by_status(client, demo):
    login_demo(client, "commissioner")
    response = client.get(reverse("indicator-list"), {"status": "red"})
    rows = response.context["rows"]
    assert rows and all(r["status"].code == "red" for r in rows)
    assert "NI 152" in response.content.decode() and "NI 111 " not in response.content.decode()
    assert (
        len(client.get(reverse("indicator-list"), {"status": "purple"}).context["rows"])
        == Indicator.objects.count()
    )


def test_list_empty_state(client, commissioner):
    client.force_login(commissioner)
    assert "No indicators have been set up yet" in client.get(reverse("indicator-list")).content.decode()


def test_list_query_count_does_not_grow_with_indicators(client, commissioner, django_assert_max_num_queries):
    for _ in range(15):
        indicator = IndicatorFactory()
        IndicatorYear.objects.create(
            indicator=indicator, financial_year="2009/10", baseline=1, target=1, actual=1
        )
    client.force_login(commissioner)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("indicator-list")).status_code == 200


def test_detail_shows_years_with_rag_labels_and_chart_data(client, demo):
    login_demo(client, "commissioner")
    indicator = Indicator.objects.get(code="NI 111")
    response = client.get(reverse("indicator-detail", args=[indicator.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "NI 111 First time entrants" in page
    assert "tolerance 5% of target" in page
    assert [r.status.code for r in response.context["years"]] == ["red", "green", "grey"]
    assert page.count('class="govuk-tag govuk-tag--') >= 3 and "Off target" in page and "No actual yet" in page
    assert "160 worse" in page  # 2008/09: 2,110 against 1,950, lower is better
    # the chart's data is a JSON block read by a static script: no inline script
    block = re.search(r'<script id="indicator-chart-data" type="application/json">(.*?)</script>', page, re.S)
    data = json.loads(block.group(1))
    assert data["labels"] == ["2008/09", "2009/10", "2010/11"]
    assert data["actual"] == [2110.0, 1880.0, None]
    assert "js/indicator-chart.js" in page and "<script>" not in page


def test_detail_lists_contributing_programmes_with_results(client, commissioner):
    indicator = IndicatorFactory(code="NI 500", polarity="higher")
    measure = OutcomeMeasureFactory(name="Job entries", indicator=indicator)
    OutcomeMeasureFactory(name="Unrelated measure")
    programme = ProgrammeFactory(title="Into work")
    for quarter in (1, 2):
        ProgrammeTargetFactory(programme=programme, measure=measure, quarter=quarter, target_value=10)
    OutcomeReturnFactory(programme=programme, measure=measure, quarter=1, value=8, status="verified")
    OutcomeReturnFactory(programme=programme, measure=measure, quarter=2, value=6)
    OutcomeReturnFactory(
        programme=programme, measure=measure, quarter=3, value=50, status="queried", query_reason="Check"
    )
    ProgrammeFactory(title="Not contributing")
    client.force_login(commissioner)
    response = client.get(reverse("indicator-detail", args=[indicator.pk]))
    [row] = response.context["contributions"]
    assert (row["programme"], row["measure"]) == (programme, measure)
    assert (row["target"], row["returned"], row["verified"]) == (20, 14, 8)
    assert row["achieved"] == Decimal("0.7")
    page = response.content.decode()
    assert "Into work" in page and "70%" in page and "Not contributing" not in page
    assert "No baseline, targets or actuals have been recorded" in page


def test_contributing_programmes_are_narrowed_to_the_provider(client, provider, org_a, org_b):
    indicator = IndicatorFactory()
    measure = OutcomeMeasureFactory(indicator=indicator)
    own = ProgrammeFactory(provider=org_a, title="Ours")
    theirs = ProgrammeFactory(provider=org_b, title="Someone else's")
    for programme in (own, theirs):
        ProgrammeTargetFactory(programme=programme, measure=measure)
    client.force_login(provider)
    page = client.get(reverse("indicator-detail", args=[indicator.pk])).content.decode()
    assert "Ours" in page and "Someone else" not in page


def test_detail_query_count_does_not_grow_with_programmes(
    client, commissioner, django_assert_max_num_queries
):
    indicator = IndicatorFactory()
    measure = OutcomeMeasureFactory(indicator=indicator)
    for _ in range(12):
        programme = ProgrammeFactory()
        ProgrammeTargetFactory(programme=programme, measure=measure)
        OutcomeReturnFactory(programme=programme, measure=measure, status=OutcomeReturn.Status.VERIFIED)
    client.force_login(commissioner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("indicator-detail", args=[indicator.pk]))
    assert len(response.context["contributions"]) == 12


def test_unknown_indicator_is_not_found(client, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("indicator-detail", args=[99999]))
    assert response.status_code == 404
    assert "There is no indicator with that id" in response.content.decode()


def test_nav_links_to_indicators(client, commissioner):
    client.force_login(commissioner)
    assert f'href="{reverse("indicator-list")}"' in client.get(reverse("home")).content.decode()


def test_dashboard_and_priority_pages_link_indicators_to_their_tracking_page(client, demo):
    login_demo(client, "commissioner")
    ni15 = Indicator.objects.get(code="NI 15")
    link = reverse("indicator-detail", args=[ni15.pk])
    assert f'href="{link}"' in client.get("/").content.decode()
    priority = ni15.priorities.first()
    assert f'href="{link}"' in client.get(reverse("priority-detail", args=[priority.pk])).content.decode()
