"""Issue 12 defect 6: flags in words from one map; a composite from some of the criteria is marked
partial, ranked after a complete one, and shown as "69.1 (2 of 5 criteria)"; after an htmx save the
composite and flags beside the form are swapped in without a reload."""

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commissioning import services, vfm
from commissioning.models import ReviewRound
from grants.models import Programme
from tests.commissioning.test_vfm import Q1_END, _inputs
from tests.conftest import login_demo


def test_every_flag_the_engine_raises_has_words():
    inputs = _inputs([{"programme_id": 1}], [(1, 1, "2009/10", 1, Q1_END, 10)], [])
    table = vfm.compute(inputs).programmes
    raised = {flag for flags in table["flags"] for flag in flags}
    assert raised and raised <= set(vfm.FLAG_LABELS)
    assert vfm.flag_label("bcr_below_1") == "Benefit-cost ratio below 1"
    assert vfm.flag_label("no_scores") == "No scores"


def _scored(pairs):
    return pd.DataFrame(pairs, columns=["programme_id", "criterion_id", "commissioner_id", "score"])


def test_a_composite_from_some_criteria_is_partial_and_ranks_after_a_complete_one():
    criteria = pd.DataFrame({"criterion_id": [1, 2, 3, 4, 5], "weight": [25, 30, 25, 10, 10]})
    # Same figures, so the same BCR; A is scored on 2 of 5 criteria (higher), B on all five.
    scores = _scored([(1, 1, 7, 5), (1, 2, 7, 5)] + [(2, c, 7, 3) for c in (1, 2, 3, 4, 5)])
    inputs = _inputs(
        [{"programme_id": 1, "reference": "A"}, {"programme_id": 2, "reference": "B"}],
        [(1, 1, "2009/10", 1, Q1_END, 10), (2, 1, "2009/10", 1, Q1_END, 10)],
        [(1, 1, "2009/10", 1, 10, 500.0, "verified"), (2, 1, "2009/10", 1, 10, 500.0, "verified")],
        scores=scores,
        criteria=criteria,
    )
    table = vfm.compute(inputs).programmes.set_index("programme_id")
    assert table.loc[1, "composite_score"] == 100.0 and table.loc[2, "composite_score"] == 60.0
    assert (table.loc[1, "criteria_scored"], table.loc[1, "criteria_total"]) == (2, 5)
    assert bool(table.loc[1, "composite_partial"]) and not bool(table.loc[2, "composite_partial"])
    assert "partly_scored" in table.loc[1, "flags"] and "partly_scored" not in table.loc[2, "flags"]
    assert list(table.sort_values("rank").index) == [2, 1]  # complete before partial at the same BCR


@pytest.fixture
def demo_round(demo):
    return ReviewRound.objects.get(name="2009/10 review of partnership-funded activity")


@pytest.mark.django_db
def test_pages_show_flags_in_words_and_partial_composites(client, demo_round):
    login_demo(client, "commissioner")
    programme = Programme.objects.get(reference="SSP-0913")
    user = get_user_model().objects.get(username="commissioner")
    criteria = list(demo_round.criteria.order_by("order"))
    for criterion in criteria[:2]:
        services.score_record(user=user, review_round=demo_round, programme=programme, criterion=criterion,
                              score=4, rationale="Partial view")  # fmt: skip
    page = client.get(reverse("commissioning:round", args=[demo_round.pk]))
    row = next(r for r in page.context["rows"] if r["programme"] == programme.pk)
    assert (row["composite_score"], row["criteria_scored"], row["criteria_total"]) == (80.0, 2, 5)
    assert row["composite_partial"]
    assert '80.0 <span class="ys-secondary">(2 of 5 criteria)</span>' in page.content.decode()
    html = page.content.decode()
    assert "Partly scored" in html and "Noscores" not in html and "Bcrbelow1" not in html


@pytest.mark.django_db
def test_an_htmx_save_swaps_in_the_new_composite_and_flags(client, demo_round):
    login_demo(client, "commissioner")
    programme = Programme.objects.get(reference="SSP-0913")
    url = reverse("commissioning:score", args=[demo_round.pk, programme.pk])
    page = client.get(url)
    assert page.context["vfm"]["composite_score"] is None and "not scored" in page.content.decode()
    criterion = demo_round.criteria.order_by("order").first()
    saved = client.post(
        url, {"criterion": criterion.pk, "score": "4", "rationale": "Fit"}, HTTP_HX_REQUEST="true"
    )
    html = saved.content.decode()
    assert '<span id="composite" aria-live="polite" hx-swap-oob="true">80.0' in html
    assert "(1 of 5 criteria)" in html and 'id="flags" hx-swap-oob="true"' in html
    assert "Partly scored" in html and "No scores" not in html
