"""The matched-comparison method on generated data: a planted effect recovered, agreement with a
second implementation (causalinference) and a brute-force matcher, refusals and balance flags."""

from decimal import Decimal

import numpy as np
import pytest

from commissioning.impact import estimates as E
from commissioning.impact.synthetic import people, sample

COVARIATES = [c.name for c in E.COVARIATES]


@pytest.fixture(scope="module")
def reoffence_data():
    cohort = people(2000, cohort=True, kind="reoffence", effect=-0.08, seed=11)
    pool = people(20000, cohort=False, kind="reoffence", seed=12)
    return cohort, pool


@pytest.mark.parametrize("with_replacement", [False, True])
def test_a_planted_eight_point_reduction_is_recovered_within_its_interval(reoffence_data, with_replacement):
    cohort, pool = reoffence_data
    result = E.estimate(
        sample(cohort),
        sample(pool),
        kind="reoffence",
        settings=E.MatchSettings(with_replacement=with_replacement),
    )
    assert result.has_estimate
    assert result.low < -0.08 < result.high
    assert abs(result.difference + 0.08) < 0.04
    assert result.high < 0  # a real effect: the interval excludes zero
    assert result.p_value < 0.001
    assert result.matched > 1900
    # Before matching the cohort differs (more prior offences), after it does not.
    prior = next(row for row in result.balance if row.name == "prior_offences")
    assert prior.flagged_before and not prior.flagged_after
    assert not any(row.flagged_after for row in result.balance)
    impact = result.measured_impact(report_id=7)
    assert impact.effect == Decimal(repr(-result.difference)).quantize(Decimal("0.0001"))
    assert impact.low <= impact.effect <= impact.high
    assert impact.method == "matched comparison" and impact.report_id == 7 and impact.cohort == result.matched


def test_without_an_effect_the_interval_spans_zero():
    cohort = people(800, cohort=True, kind="employment_days", effect=0.0, seed=21)
    pool = people(8000, cohort=False, kind="employment_days", seed=22)
    result = E.estimate(sample(cohort), sample(pool), kind="employment_days")
    assert result.low < 0 < result.high
    assert result.cohort_events is None
    # Employment is better when higher: the measured impact keeps the sign of the difference.
    impact = result.measured_impact(report_id=1)
    assert impact.effect == Decimal(repr(result.difference)).quantize(Decimal("0.01"))


def _matched_on_logit(cohort, pool):
    X, _, _, _ = E.design(sample(cohort), sample(pool), COVARIATES)
    n_t = len(cohort["outcome"])
    treated = np.r_[np.ones(n_t), np.zeros(len(pool["outcome"]))]
    logits = E.propensity_logits(X, treated)
    return X, treated, logits, n_t


def test_the_propensity_model_and_matched_difference_agree_with_causalinference(reoffence_data):
    causalinference = pytest.importorskip("causalinference")
    cohort = {k: v[:600] for k, v in reoffence_data[0].items()}
    pool = {k: v[:3000] for k, v in reoffence_data[1].items()}
    X, treated, logits, n_t = _matched_on_logit(cohort, pool)

    # 1. The propensity model: causalinference's own Newton-Raphson logit on the same design.
    model = causalinference.CausalModel(np.zeros(len(treated)), treated.astype(int), X[:, 1:])
    model.est_propensity(lin="all", qua=[])
    theirs = np.asarray(model.propensity["fitted"])
    ours = 1 / (1 + np.exp(-logits))
    assert np.max(np.abs(theirs - ours)) < 0.0005

    # 2. The difference with replacement and no effective caliper is the average effect on the
    # treated from one-to-one nearest-neighbour matching on the logit, without bias adjustment.
    y = np.r_[cohort["outcome"], pool["outcome"]].astype(float)
    matching = causalinference.CausalModel(y, treated.astype(int), logits.reshape(-1, 1))
    matching.est_via_matching(matches=1, bias_adj=False)
    result = E.estimate(
        sample(cohort),
        sample(pool),
        kind="reoffence",
        settings=E.MatchSettings(with_replacement=True, caliper_sd=100.0),
    )
    assert result.matched == n_t
    assert round(result.difference, 3) == round(float(matching.estimates["matching"]["att"]), 3)


def _brute_force_greedy(logit_t, logit_c, caliper):
    """The greedy algorithm written the slow, obvious way: highest score first, scan every unused
    comparison person for the nearest (ties to the lower logit)."""
    used = np.zeros(len(logit_c), dtype=bool)
    pairs = {}
    for t in sorted(range(len(logit_t)), key=lambda i: (-logit_t[i], i)):
        distance = np.abs(logit_c - logit_t[t])
        distance[used] = np.inf
        candidates = np.flatnonzero(distance == distance.min())
        best = min(candidates, key=lambda j: (logit_c[j], j))
        if distance[best] <= caliper:
            used[best] = True
            pairs[t] = best
    return pairs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_matching_without_replacement_matches_a_brute_force_search(seed):
    rng = np.random.default_rng(seed)
    logit_t = rng.normal(0.5, 1, 150)
    logit_c = rng.normal(0, 1, 400)
    caliper = 0.05
    matches = E.match(logit_t, logit_c, caliper, with_replacement=False)
    expected = _brute_force_greedy(logit_t, logit_c, caliper)
    assert dict(zip(matches.treated.tolist(), matches.control.tolist(), strict=True)) == {
        int(k): int(v) for k, v in expected.items()
    }
    assert len(set(matches.control.tolist())) == len(matches.control)  # nobody used twice


def test_matching_with_replacement_takes_the_nearest_within_the_caliper():
    logit_t = np.array([0.0, 1.0, 5.0])
    logit_c = np.array([0.1, -0.05, 0.9, 3.0])
    matches = E.match(logit_t, logit_c, 0.2, with_replacement=True)
    assert matches.treated.tolist() == [0, 1]  # 5.0 has nobody within 0.2
    assert matches.control.tolist() == [1, 2]


def test_the_caliper_is_a_fifth_of_the_pooled_standard_deviation_of_the_logit():
    logit_t = np.array([0.0, 2.0])  # variance 2
    logit_c = np.array([0.0, 0.0, 3.0, 3.0])  # variance 3
    assert E.caliper_width(logit_t, logit_c, 0.2) == pytest.approx(0.2 * np.sqrt(2.5))


def test_fewer_than_sixty_matched_is_refused_with_the_reason():
    cohort = people(59, cohort=True, kind="reoffence", seed=31)
    pool = people(3000, cohort=False, kind="reoffence", seed=32)
    result = E.estimate(
        sample(cohort), sample(pool), kind="reoffence", settings=E.MatchSettings(True, caliper_sd=100.0)
    )
    assert result.matched == 59
    assert not result.has_estimate
    assert result.refusal == E.refusal_message(59)
    assert "at least 60" in result.refusal
    assert result.difference is None and result.measured_impact(1) is None
    assert result.balance  # balance is still shown


def test_sixty_matched_gives_an_estimate():
    cohort = people(60, cohort=True, kind="reoffence", seed=31)
    pool = people(3000, cohort=False, kind="reoffence", seed=32)
    result = E.estimate(
        sample(cohort), sample(pool), kind="reoffence", settings=E.MatchSettings(True, caliper_sd=100.0)
    )
    assert result.matched == 60 and result.has_estimate


def test_smd_by_hand_and_the_flag_at_one_tenth():
    x_t = np.array([1.0, 2.0, 3.0])  # mean 2, variance 1
    x_c = np.array([1.0, 1.0, 2.0, 2.0])  # mean 1.5, variance 1/3
    assert E.smd(x_t, x_c) == pytest.approx(0.5 / np.sqrt((1 + 1 / 3) / 2))
    assert E.BalanceRow("a", "A", 0.1, -0.0999).flagged_before
    assert not E.BalanceRow("a", "A", 0.1, -0.0999).flagged_after
    assert E.BalanceRow("a", "A", -0.1, None).flagged_before


def test_the_difference_by_hand():
    y_t = np.array([1, 0, 0, 1, 0], dtype=float)  # 0.4, variance 0.3
    y_c = np.array([1, 0, 0, 0], dtype=float)
    w_c = np.array([1, 1, 1, 2], dtype=float)  # weighted mean 0.2; n_eff = 25/7
    result = E.difference(y_t, y_c, w_c)
    n_eff = 25 / 7
    var_c = (1 * 0.8**2 + 4 * 0.2**2) / 5 * n_eff / (n_eff - 1)
    se = np.sqrt(0.3 / 5 + var_c / n_eff)
    assert result.difference == pytest.approx(0.2)
    assert result.standard_error == pytest.approx(se)
    assert result.low == pytest.approx(0.2 - 1.959963984540054 * se)


def test_a_covariate_with_one_value_is_a_clear_error():
    cohort = people(100, cohort=True, kind="reoffence", seed=1)
    pool = people(300, cohort=False, kind="reoffence", seed=2)
    cohort["gender"][:] = "male"
    pool["gender"][:] = "male"
    with pytest.raises(E.EstimationError, match="Gender has only one value"):
        E.estimate(sample(cohort), sample(pool), kind="reoffence")


def test_the_estimate_survives_a_round_trip_through_json():
    cohort = people(200, cohort=True, kind="reoffence", seed=5)
    pool = people(2000, cohort=False, kind="reoffence", seed=6)
    result = E.estimate(sample(cohort), sample(pool), kind="reoffence")
    import json

    assert E.Estimate.from_dict(json.loads(json.dumps(result.to_dict()))) == result
