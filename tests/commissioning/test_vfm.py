"""The value-for-money engine on hand-computed cases, including docs/vfm.md's worked example."""

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from commissioning import selectors, services, vfm
from grants.models import OutcomeReturn
from outcomes.models import EvidenceGrade
from tests.commissioning import oracle
from tests.factories import (
    OutcomeMeasureFactory,
    OutcomeReturnFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _grades():
    for code, bias in [("A", "0.05"), ("B", "0.20"), ("C", "0.40"), ("D", "0.60")]:
        EvidenceGrade.objects.update_or_create(
            code=code, defaults={"name": code, "optimism_bias": Decimal(bias)}
        )


def test_worked_example_from_docs(commissioner):
    _grades()
    work = ThemeFactory(slug="worklessness", name="Worklessness")
    jobs = OutcomeMeasureFactory(name="Sustained job entries", unit_cost=Decimal("9600"), deadweight=Decimal("0.20"),
                                 attribution=Decimal("0.80"), theme=work)  # fmt: skip
    victims = OutcomeMeasureFactory(name="Repeat victims", polarity="lower", unit_cost=Decimal("3000"))
    asb = OutcomeMeasureFactory(name="ASB cases resolved", unit_cost=Decimal("670"), deadweight=Decimal("0.30"),
                                attribution=Decimal("0.80"))  # fmt: skip
    p = ProgrammeFactory(reference="P", title="Job brokerage", award_amount=Decimal("40000"), start_date=date(2009, 4, 1),
                         end_date=date(2010, 3, 31), evidence_grade=EvidenceGrade.objects.get(code="B"))  # fmt: skip
    q = ProgrammeFactory(reference="Q", title="Mediation", award_amount=Decimal("30000"), start_date=date(2009, 10, 1),
                         end_date=date(2010, 9, 30), evidence_grade=None)  # fmt: skip
    for quarter, entries, entry_spend, repeats, repeat_spend in [(1, 4, "9000", 8, None), (2, 5, "10000", 9, "10000"),
                                                                 (3, 6, "10500", 8, None), (4, 3, "8500", 7, None)]:  # fmt: skip
        ProgrammeTargetFactory(programme=p, measure=jobs, quarter=quarter, target_value=5)
        ProgrammeTargetFactory(programme=p, measure=victims, quarter=quarter, target_value=10)
        OutcomeReturnFactory(programme=p, measure=jobs, quarter=quarter, value=entries, spend=Decimal(entry_spend),
                             status="verified")  # fmt: skip
        OutcomeReturnFactory(programme=p, measure=victims, quarter=quarter, value=repeats,
                             spend=Decimal(repeat_spend) if repeat_spend else None, status="verified")  # fmt: skip
    for quarter in (3, 4):
        ProgrammeTargetFactory(programme=q, measure=asb, quarter=quarter, target_value=30)
    OutcomeReturnFactory(programme=q, measure=asb, quarter=3, value=35, spend=None, status="verified")
    review_round = services.round_create(
        user=commissioner, name="2009/10", first_year="2009/10", last_year="2009/10"
    )
    review_round = services.round_transition(user=commissioner, review_round=review_round, to="open")
    other = UserFactory(username="t-commissioner-b", role="Commissioner")
    criteria = list(review_round.criteria.order_by("order"))
    for user, values in ((commissioner, [5, 4, 4, 3, 3]), (other, [3, 4, 4, 3, 3])):
        for criterion, value in zip(criteria, values, strict=True):
            services.score_record(user=user, review_round=review_round, programme=p, criterion=criterion, score=value,
                                  rationale="Worked example")  # fmt: skip

    result = selectors.round_vfm(review_round, today=date(2010, 6, 1))
    rows = {r["reference"]: r for r in selectors.vfm_rows(result)}
    assert (rows["P"]["cost"], rows["P"]["benefit"]) == (Decimal("38000.00"), Decimal("107673.60"))
    assert (rows["P"]["achievement"], rows["P"]["bcr"], rows["P"]["bcr_band"]) == (1.1333, 2.83, "high")
    assert rows["P"]["worklessness_share"] == 0.8217
    assert (rows["P"]["composite_score"], rows["P"]["spread"]) == (76.0, 2)
    assert rows["P"]["flags"] == ["scorers_disagree"] and rows["P"]["rank"] == 1
    measures = {m["measure"]: m for m in selectors.measure_rows(result, p.pk)}
    assert measures["Sustained job entries"]["benefit"] == Decimal("88473.60")
    assert measures["Sustained job entries"]["cost_per_outcome"] == Decimal("2111.11")
    assert measures["Repeat victims"]["benefit"] == Decimal("19200.00")
    assert (
        measures["Repeat victims"]["achievement"] == 1.25
        and measures["Repeat victims"]["cost_per_outcome"] is None
    )
    assert (rows["Q"]["cost"], rows["Q"]["cost_estimated"]) == (Decimal("14958.90"), True)
    assert (rows["Q"]["benefit"], rows["Q"]["bcr"], rows["Q"]["bcr_band"]) == (
        Decimal("5252.80"),
        0.35,
        "poor",
    )
    assert rows["Q"]["achievement"] == 0.5833 and rows["Q"]["missing_returns"] == 1
    assert rows["Q"]["flags"] == ["bcr_below_1", "missing_returns", "cost_estimated", "no_scores"]
    assert rows["Q"]["rank"] == 2


def _inputs(programmes, targets, returns, measures=None, **extra) -> vfm.VfmInputs:
    measures = measures or [
        {"measure_id": 1, "measure": "Jobs", "polarity": "higher", "unit_cost": 1000.0, "deadweight": 0.0,
         "attribution": 1.0, "theme": None},
        {"measure_id": 2, "measure": "Repeats", "polarity": "lower", "unit_cost": 100.0, "deadweight": 0.0,
         "attribution": 1.0, "theme": None},
    ]  # fmt: skip
    base = {"reference": "X", "title": "X", "provider": "P", "funding_stream": "S", "award": 1000.0,
            "start_date": date(2009, 4, 1), "end_date": date(2010, 3, 31), "optimism_bias": 0.0, "attribution": None}  # fmt: skip
    today = date(2009, 12, 1)
    totals = oracle.totals_from_rows(
        pd.DataFrame(targets, columns=oracle.TARGET_COLUMNS), pd.DataFrame(returns, columns=oracle.RETURN_COLUMNS),
        today=today, include_submitted=extra.get("include_submitted", False),
    )
    return vfm.VfmInputs(
        programmes=pd.DataFrame([{**base, **p} for p in programmes]),
        measures=pd.DataFrame(measures),
        period_start=date(2009, 4, 1), period_end=date(2010, 3, 31), today=today, totals=totals, **extra,
    )  # fmt: skip


Q1_END = date(2009, 6, 30)


def test_zero_cost_gives_no_ratio_and_is_not_ranked_above_real_figures():
    inputs = _inputs(
        [{"programme_id": 1, "reference": "A"}, {"programme_id": 2, "reference": "B", "award": 0.0}],
        [(1, 1, "2009/10", 1, Q1_END, 10), (2, 1, "2009/10", 1, Q1_END, 10)],
        [(1, 1, "2009/10", 1, 10, 500.0, "verified"), (2, 1, "2009/10", 1, 10, 0.0, "verified")],
    )
    table = vfm.compute(inputs).programmes.set_index("programme_id")
    assert table.loc[1, "bcr"] == 20.0 and table.loc[1, "bcr_band"] == "very high"
    assert table.loc[2, "cost"] == 0 and pd.isna(table.loc[2, "bcr"]) and table.loc[2, "bcr_band"] is None
    assert list(table.sort_values("rank").index) == [1, 2]


def test_zero_target_has_no_achievement_but_still_counts_benefit():
    inputs = _inputs(
        [{"programme_id": 1}], [(1, 1, "2009/10", 1, Q1_END, 0)], [(1, 1, "2009/10", 1, 3, 100.0, "verified")]
    )
    result = vfm.compute(inputs)
    row = result.programmes.iloc[0]
    assert pd.isna(row["achievement"]) and row["benefit"] == 3000.0
    assert pd.isna(result.measures.iloc[0]["achievement"])


def test_no_returns_means_estimated_cost_no_benefit_and_missing_returns():
    inputs = _inputs([{"programme_id": 1}], [(1, 1, "2009/10", 1, Q1_END, 10)], [])
    row = vfm.compute(inputs).programmes.iloc[0]
    assert row["cost_estimated"] and row["cost"] == pytest.approx(1000.0)
    assert row["benefit"] == 0 and row["bcr"] == 0 and row["achievement"] == 0
    assert row["missing_returns"] == 1
    assert set(row["flags"]) == {
        "bcr_below_1",
        "achievement_below_50",
        "missing_returns",
        "cost_estimated",
    }  # no "no_scores": with no rubric (not a review round) there are no score flags


def test_lower_is_better_measures_count_events_avoided():
    inputs = _inputs(
        [{"programme_id": 1}, {"programme_id": 2, "reference": "Y"}],
        [(1, 2, "2009/10", 1, Q1_END, 10), (2, 2, "2009/10", 1, Q1_END, 10)],
        [(1, 2, "2009/10", 1, 4, 100.0, "verified"), (2, 2, "2009/10", 1, 0, 100.0, "verified")],
    )
    table = vfm.compute(inputs).programmes.set_index("programme_id")
    assert table.loc[1, "achievement"] == 2.0  # 10 ÷ 4 = 2.5, capped at 200%
    assert table.loc[1, "benefit"] == 600.0  # 6 events avoided × £100
    assert table.loc[2, "achievement"] == 2.0 and table.loc[2, "benefit"] == 1000.0


def test_only_verified_returns_count_unless_submitted_included():
    returns = [(1, 1, "2009/10", 1, 10, 100.0, "submitted"), (1, 1, "2009/10", 2, 5, 100.0, "verified"),
               (1, 1, "2009/10", 3, 7, 100.0, "queried")]  # fmt: skip
    targets = [(1, 1, "2009/10", q, Q1_END, 10) for q in (1, 2, 3)]
    strict = vfm.compute(_inputs([{"programme_id": 1}], targets, returns)).programmes.iloc[0]
    wider = vfm.compute(
        _inputs([{"programme_id": 1}], targets, returns, include_submitted=True)
    ).programmes.iloc[0]
    assert strict["outcomes"] == 5 and wider["outcomes"] == 15
    assert strict["cost"] == 100 and wider["cost"] == 200


def test_deadweight_attribution_and_optimism_bias_come_from_data():
    measures = [{"measure_id": 1, "measure": "Jobs", "polarity": "higher", "unit_cost": 1000.0, "deadweight": 0.5,
                 "attribution": 0.5, "theme": "worklessness"}]  # fmt: skip
    inputs = _inputs([{"programme_id": 1, "optimism_bias": 0.2, "attribution": 0.8}], [(1, 1, "2009/10", 1, Q1_END, 10)],
                     [(1, 1, "2009/10", 1, 10, 1000.0, "verified")], measures=measures)  # fmt: skip
    row = vfm.compute(inputs).programmes.iloc[0]
    assert row["benefit"] == pytest.approx(10 * 1000 * 0.5 * 0.8 * 0.8)  # programme's attribution overrides
    assert row["worklessness_share"] == 1.0


def test_bands():
    assert [vfm.band(x) for x in (0.99, 1.0, 1.49, 1.5, 2.0, 3.99, 4.0)] == [
        "poor", "low", "low", "medium", "high", "high", "very high"]  # fmt: skip
    column = pd.Series([0.99, 1.0, 1.49, 1.5, 2.0, 3.99, 4.0, 250.0, np.nan])
    assert list(vfm.bands(column)) == [vfm.band(x) for x in column]


def test_engine_reads_each_table_once_whatever_the_portfolio_size(
    commissioner, django_assert_max_num_queries
):
    review_round = services.round_create(
        user=commissioner, name="R", first_year="2009/10", last_year="2009/10"
    )
    counts = []
    for n in (2, 12):
        for _ in range(n):
            target = ProgrammeTargetFactory()
            OutcomeReturnFactory(programme=target.programme, measure=target.measure, status="verified")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            result = selectors.round_vfm(review_round)
        counts.append(len(queries))
        assert len(result.programmes) == OutcomeReturn.objects.values("programme").distinct().count()
    # Programmes, measures, scores, criteria, evidence grades, the two grouped totals: a fixed set.
    assert counts[0] == counts[1] <= 15


@pytest.mark.parametrize("include_submitted", [False, True])
@pytest.mark.parametrize("today", [date(2009, 11, 15), date(2013, 1, 1)])
def test_database_totals_equal_the_engine_summing_every_row(demo, include_submitted, today):
    """The totals the database keeps (read by selectors.vfm_totals) and the oracle over every row
    (tests/commissioning/oracle.py) must agree on the demo portfolio
    (statuses, spend on several measures in a quarter, missing quarters, years outside the round)."""
    from grants.models import ProgrammeTarget
    from outcomes.periods import Quarter

    years = ["2009/10", "2010/11"]
    programmes = selectors.Programme.objects.all()
    keys = ["programme_id", "measure_id", "financial_year", "quarter"]
    targets = pd.DataFrame.from_records(
        ProgrammeTarget.objects.filter(financial_year__in=years).values(*keys, "target_value"),
        columns=[*keys, "target_value"],
    ).rename(columns={"target_value": "target"})
    targets["target"] = targets["target"].astype(float)
    targets["quarter_end"] = [
        Quarter.of(y, q).end for y, q in zip(targets["financial_year"], targets["quarter"], strict=True)
    ]
    returns = pd.DataFrame.from_records(
        OutcomeReturn.objects.filter(financial_year__in=years).values(*keys, "value", "spend", "status"),
        columns=[*keys, "value", "spend", "status"],
    )
    returns[["value", "spend"]] = returns[["value", "spend"]].astype(float)
    expected = oracle.totals_from_rows(targets, returns, today=today, include_submitted=include_submitted)
    actual = selectors.vfm_totals(programmes, years=years, today=today, include_submitted=include_submitted)
    assert not expected.per_measure.empty and not expected.spend.empty

    def same(a: pd.DataFrame, b: pd.DataFrame, by: list[str]) -> None:
        a, b = a.sort_values(by).reset_index(drop=True), b.sort_values(by).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b[a.columns], check_dtype=False, check_exact=False, rtol=1e-9)

    same(expected.per_measure, actual.per_measure, ["programme_id", "measure_id"])
    same(expected.spend, actual.spend, ["programme_id"])
    same(expected.missing, actual.missing, ["programme_id"])
    if today.year == 2013:
        assert expected.missing["missing_returns"].sum() > 0
