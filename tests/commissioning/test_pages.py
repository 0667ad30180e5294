"""Review pages: list and create, the ranked overview, scoring (plain and htmx), decisions, roles."""

import pytest
from django.urls import reverse

from commissioning.models import Decision, ReviewRound, Score
from tests.conftest import login_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_round(demo):
    return ReviewRound.objects.get(name="2009/10 review of partnership-funded activity")


def test_round_list_and_create(client, demo_round):
    login_demo(client, "commissioner")
    page = client.get(reverse("commissioning:rounds")).content.decode()
    assert demo_round.name in page and "Strategic fit to priorities 25%" in page
    bad = client.post(
        reverse("commissioning:rounds"),
        {"name": "2010/11 review", "first_year": "2010-11", "last_year": "2010/11"},
    )
    assert "is not a financial year" in bad.content.decode()
    made = client.post(
        reverse("commissioning:rounds"),
        {"name": "2010/11 review", "first_year": "2010/11", "last_year": "2010/11"},
    )
    assert (
        made.status_code == 302 and ReviewRound.objects.filter(name="2010/11 review", status="draft").exists()
    )


def test_overview_ranks_flags_and_sorts(client, demo_round):
    login_demo(client, "finance")
    url = reverse("commissioning:round", args=[demo_round.pk])
    page = client.get(url).content.decode()
    assert "Through-the-gate resettlement" in page and 'id="chart-data"' in page
    assert "Benefit-cost ratio below 1" in page and "Bcrbelow1" not in page  # flags in words
    assert "By primary priority" in page and "By cross-cutting theme" in page
    by_cost = client.get(url, {"sort": "-cost"}).context["rows"]
    costs = [r["cost"] for r in by_cost]
    assert costs == sorted(costs, reverse=True)


def test_providers_cannot_open_the_portfolio_table(client, demo_round):
    login_demo(client, "provider")
    assert client.get(reverse("commissioning:round", args=[demo_round.pk])).status_code == 403
    assert client.get(reverse("commissioning:rounds")).status_code == 200


def test_scoring_page_saves_with_and_without_htmx(client, demo_round):
    from grants.models import Programme

    login_demo(client, "commissioner")
    programme = Programme.objects.get(reference="SSP-0901")
    url = reverse("commissioning:score", args=[demo_round.pk, programme.pk])
    page = client.get(url).content.decode()
    assert "Evidence" in page and "Benefit-cost ratio" in page and "Strategic fit to priorities" in page
    criterion = demo_round.criteria.order_by("order").first()
    partial = client.post(
        url, {"criterion": criterion.pk, "score": "4", "rationale": "Clear fit"}, HTTP_HX_REQUEST="true"
    )
    assert (
        partial.status_code == 200
        and 'role="status"><strong class="govuk-tag govuk-tag--green">Saved<' in (partial.content.decode())
    )
    assert "<html" not in partial.content.decode()
    missing = client.post(
        url, {"criterion": criterion.pk, "score": "3", "rationale": ""}, HTTP_HX_REQUEST="true"
    )
    assert "Give the reason for this score" in missing.content.decode()
    assert Score.objects.get(programme=programme, criterion=criterion).score == 4
    plain = client.post(url, {"criterion": criterion.pk, "score": "2", "rationale": "Revised"})
    assert plain.status_code == 302 and Score.objects.get(programme=programme, criterion=criterion).score == 2


def test_decision_recorded_and_shown_on_programme_page(client, demo_round):
    from grants.models import Programme

    login_demo(client, "commissioner")
    programme = Programme.objects.get(reference="SSP-0911")
    client.post(reverse("commissioning:decision", args=[demo_round.pk, programme.pk]),
                {"outcome": "recommission", "rationale": "Poor value for money"})  # fmt: skip
    decision = Decision.objects.get(review_round=demo_round, programme=programme)
    assert decision.outcome == "recommission"
    page = client.get(reverse("programme-detail", args=[programme.pk])).content.decode()
    assert "Recommission" in page and "Poor value for money" in page


def test_conflict_blocks_scoring(client, demo_round):
    from grants.models import Programme

    login_demo(client, "commissioner")
    programme = Programme.objects.get(reference="SSP-0918")
    client.post(
        reverse("commissioning:conflict", args=[demo_round.pk, programme.pk]), {"description": "Trustee"}
    )
    assert not Score.objects.filter(programme=programme, commissioner__username="commissioner").exists()
    page = client.get(reverse("commissioning:score", args=[demo_round.pk, programme.pk])).content.decode()
    assert "You declared a conflict of interest" in page
