"""The audit figures (claims.audit_stats) on hand-worked cases; docs/claims.md works the first."""

from decimal import Decimal as D

import pytest

from claims.audit_stats import AuditStatsError, SampledClaim, estimate


def sample(values_and_results):
    return [SampledClaim(D(v), invalid) for v, invalid in values_and_results]


def test_the_worked_example_in_docs_claims():
    """40 claims worth £24,000; 8 sampled worth £6,000; 2 invalid (£500 and £1,000).
    r = 1,500 / 6,000 = 0.25; residuals 375, -125, -125, -175, -200, 750, -250, -250;
    sum of squares 930,000; s² = 132,857.142857; FPC = 1 - 8/40 = 0.8;
    SE = sqrt(0.8 × 132,857.142857 / 8) / 600 = 115.2637 / 600 = 0.192106;
    CI = 0.25 ± 1.96 × 0.192106 = [-0.126528 → 0, 0.626528]."""
    figures = estimate(
        population_count=40,
        population_value=D("24000.00"),
        sample=sample(
            [("500", True), ("500", False), ("500", False), ("700", False),
             ("800", False), ("1000", True), ("1000", False), ("1000", False)]
        ),
    )  # fmt: skip
    assert figures.sample_value == D("6000") and figures.invalid_value == D("1500")
    assert figures.invalid_count == 2
    assert figures.error_rate == D("0.250000")
    assert figures.standard_error == D("0.192106")
    assert (figures.ci_low, figures.ci_high) == (D("0.000000"), D("0.626528"))
    assert figures.recovery == D("6000.00")
    assert (figures.recovery_low, figures.recovery_high) == (D("0.00"), D("15036.67"))
    assert figures.clawback == D("4500.00")  # 0.25 × (24,000 − 6,000)


def test_equal_values_case():
    """40 claims of £600; 8 sampled, 2 invalid: r = 0.25; residuals 450 (×2) and -150 (×6);
    s² = 540,000 / 7; SE = sqrt(0.8 × 77,142.857 / 8) / 600 = 0.146385."""
    figures = estimate(
        population_count=40,
        population_value=D("24000.00"),
        sample=sample([("600", True)] * 2 + [("600", False)] * 6),
    )
    assert figures.error_rate == D("0.250000")
    assert figures.standard_error == D("0.146385")
    assert (figures.ci_low, figures.ci_high) == (D("0.000000"), D("0.536915"))  # 0.25 ± 0.286915
    assert figures.recovery == D("6000.00") and figures.clawback == D("4800.00")


def test_paid_invalid_claims_stay_in_the_clawback():
    figures = estimate(
        population_count=40,
        population_value=D("24000.00"),
        sample=[SampledClaim(D("600"), True, paid=True), SampledClaim(D("600"), True)]
        + [SampledClaim(D("600"), False)] * 6,
    )
    assert figures.recovery == D("6000.00") and figures.invalid_unpaid_value == D("600")
    assert figures.clawback == D("5400.00")  # all but the unpaid invalid claim, which rejection removes


def test_a_census_has_no_sampling_error():
    figures = estimate(
        population_count=3,
        population_value=D("1500"),
        sample=sample([("500", True), ("500", False), ("500", False)]),
    )
    assert figures.standard_error == D("0")
    assert figures.ci_low == figures.ci_high == figures.error_rate == D("0.333333")
    assert figures.recovery == D("500.00") and figures.clawback == D("0.00")


def test_no_errors_found_recovers_nothing():
    figures = estimate(population_count=10, population_value=D("5000"), sample=sample([("500", False)] * 4))
    assert figures.error_rate == 0 and figures.ci_high == 0 and figures.recovery == D("0.00")


def test_a_risk_based_sample_is_not_extrapolated():
    figures = estimate(
        population_count=100,
        population_value=D("50000"),
        sample=sample([("500", True), ("700", False)]),
        extrapolate=False,
    )
    assert figures.extrapolated is False and figures.ci_low is None and figures.standard_error is None
    assert figures.error_rate == D("0.416667")
    assert figures.recovery == D("500.00") and figures.clawback == D("0.00")


@pytest.mark.parametrize(
    "count, value, items, words",
    [
        (10, "100", [], "no claims"),
        (1, "100", [("50", False), ("50", False)], "larger than the population"),
        (10, "0", [("0", False)], "no value to audit"),
        (10, "100", [("0", False), ("0", True)], "no value, so no error rate"),
        (10, "100", [("10", True)], "at least two claims"),
    ],
)
def test_figures_that_cannot_be_computed_say_why(count, value, items, words):
    with pytest.raises(AuditStatsError, match=words):
        estimate(population_count=count, population_value=D(value), sample=sample(items))
