"""The Green Book parts of value for money on hand-worked cases: benefits over time, who benefits
(fiscal by agency, transfers apart), measured impact in place of deadweight, sensitivity."""

import numpy as np
import pandas as pd
import pytest

from commissioning import greenbook, vfm
from tests.commissioning.test_vfm import Q1_END, _inputs

ONE = [(1, 1, "2009/10", 1, Q1_END, 10)]  # a target of 10 job entries in Q1
TEN = [(1, 1, "2009/10", 1, 10, 10000.0, "verified")]  # 10 achieved, £10,000 spent


def _measure(**extra):
    return [{"measure_id": 1, "measure": "Jobs", "polarity": "higher", "unit_cost": 1000.0, "deadweight": 0.0,
             "attribution": 1.0, "theme": None, **extra}]  # fmt: skip


def _values(*parts):
    return pd.DataFrame([(1, agency, kind, transfer, value, True) for agency, kind, transfer, value in parts],
                        columns=greenbook.VALUE_COLUMNS)  # fmt: skip


def test_neutral_parameters_change_nothing():
    plain = vfm.compute(_inputs([{"programme_id": 1}], ONE, TEN)).programmes.iloc[0]
    neutral = vfm.compute(
        _inputs([{"programme_id": 1}], ONE, TEN, measures=_measure(persistence_years=1, drop_off=0.5))
    ).programmes.iloc[0]
    assert plain["benefit"] == neutral["benefit"] == 10000.0 and plain["bcr"] == 1.0
    assert (plain["bcr_low"], plain["bcr_high"]) == (1.0, 1.0) and np.isnan(plain["bcr_ci_low"])


def test_benefits_last_their_persistence_drop_off_and_are_discounted_at_3_5_percent():
    measures = _measure(persistence_years=3, drop_off=0.1)
    row = vfm.compute(_inputs([{"programme_id": 1}], ONE, TEN, measures=measures)).programmes.iloc[0]
    # 10 × £1,000 × (1 + 0.9 ÷ 1.035 + 0.81 ÷ 1.035²) = 10,000 × 2.625709 = £26,257.09
    assert row["benefit"] == pytest.approx(10000 * (1 + 0.9 / 1.035 + 0.81 / 1.035**2))
    assert round(row["benefit"], 2) == 26257.09


def test_transfers_count_in_the_fiscal_return_not_in_public_value_and_agencies_are_kept_apart():
    values = _values(("DWP", "fiscal", True, 9000.0), ("NHS", "fiscal", False, 500.0), ("Society", "economic", False, 2000.0))  # fmt: skip
    result = vfm.compute(_inputs([{"programme_id": 1}], ONE, TEN, values=values))
    row = result.programmes.iloc[0]
    assert row["benefit"] == 25000.0  # 10 × (500 + 2,000): the £9,000 benefit saving is a transfer
    assert (row["fiscal_benefit"], row["transfers"], row["economic_benefit"]) == (95000.0, 90000.0, 20000.0)
    assert row["bcr"] == 2.5 and row["fiscal_return"] == 9.5
    agencies = result.agencies.set_index("agency")
    assert agencies.loc["DWP", "fiscal"] == 90000.0 and agencies.loc["DWP", "transfers"] == 90000.0
    assert agencies.loc["NHS", "fiscal"] == 5000.0 and agencies.loc["NHS", "transfers"] == 0.0
    assert "Society" not in agencies.index  # economic value belongs to no agency


def test_measured_impact_replaces_deadweight_and_gives_a_range_from_its_interval():
    impacts = pd.DataFrame([(1, 1, 0.08, 0.01, 0.15, 500, "matched comparison", 7, 0.2)],
                           columns=greenbook.IMPACT_COLUMNS)  # fmt: skip
    measures = _measure(deadweight=0.5)  # ignored where the impact is measured
    programmes = [{"programme_id": 1, "optimism_bias": 0.6}, {"programme_id": 2, "reference": "B"}]
    result = vfm.compute(_inputs(programmes, ONE, TEN, measures=measures, impacts=impacts))
    row = result.programmes.set_index("programme_id").loc[1]
    # 0.08 × 500 = 40 outcomes, × (1 − 0.2: the matched comparison grade's bias, not the programme's 0.6)
    assert row["benefit"] == pytest.approx(32000.0) and row["measured"]
    assert row["bcr_ci_low"] == pytest.approx(0.4) and row["bcr_ci_high"] == pytest.approx(6.0)
    measure = result.measures.set_index("programme_id").loc[1]
    assert measure["net_outcomes"] == pytest.approx(32.0) and measure["report_id"] == 7
    # A measured impact for a programme with no return counts too; the other programme is unmeasured.
    assert not result.programmes.set_index("programme_id").loc[2, "measured"]


def test_sensitivity_gives_low_and_high_bcr_and_ranks_assumptions_by_swing():
    measures = _measure(deadweight=0.2, deadweight_low=0.1, deadweight_high=0.4, attribution=0.8,
                        attribution_low=0.7, attribution_high=0.9, persistence_years=1, persistence_high=2,
                        optimism_bias_low=np.nan, optimism_bias_high=np.nan)  # fmt: skip
    result = vfm.compute(_inputs([{"programme_id": 1, "optimism_bias": 0.0}], ONE, TEN, measures=measures))
    row = result.programmes.iloc[0]
    assert row["bcr"] == pytest.approx(0.64)  # 10 × 0.8 × 0.8 × 1,000 ÷ 10,000
    assert row["bcr_low"] == pytest.approx(0.6 * 0.7)  # deadweight 0.4, attribution 0.7, 1 year
    assert row["bcr_high"] == pytest.approx(0.9 * 0.9 * (1 + 1 / 1.035))
    bars = result.sensitivity.set_index("assumption")
    assert (bars.loc["deadweight", "bcr_low"], bars.loc["deadweight", "bcr_high"]) == pytest.approx(
        (0.48, 0.72)
    )
    assert bars.loc["persistence", "bcr_high"] == pytest.approx(0.64 * (1 + 1 / 1.035))
    assert (
        bars.loc["optimism_bias", "swing"] == 0 and bars.loc["effect", "swing"] == 0
    )  # no range, nothing measured
    widest = bars["swing"].fillna(0).idxmax()
    assert widest == "persistence"


def test_an_employment_days_effect_counts_in_years_in_work():
    from decimal import Decimal

    from commissioning.impact.estimates import MeasuredImpact
    from commissioning.valuation import impacts_as_frame

    found = {(1, 2): MeasuredImpact(effect=Decimal("-8.22"), low=Decimal("-17.81"), high=Decimal("1.38"), cohort=300,
                                    method="matched comparison", report_id=5),
             (3, 4): MeasuredImpact(effect=Decimal("0.1263"), low=Decimal("0.0586"), high=Decimal("0.1939"),
                                    cohort=396, method="matched comparison", report_id=6)}  # fmt: skip
    frame = impacts_as_frame(found, {"matched_comparison": 0.2}, {5: "employment_days", 6: "reoffence"})
    days, rate = frame.iloc[0], frame.iloc[1]
    assert (days["effect"], days["low"], days["high"]) == pytest.approx((-8.22 / 365, -17.81 / 365, 1.38 / 365))
    assert days["method"].endswith("(days ÷ 365)") and days["method_bias"] == 0.2
    assert (rate["effect"], rate["method"]) == (pytest.approx(0.1263), "matched comparison")
