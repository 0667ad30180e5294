"""The report in words: headline, the can/cannot-say box from the interval, suppression under 5."""

from datetime import UTC, datetime

from commissioning.impact.estimates import BalanceRow, Estimate
from commissioning.impact.presentation import RATES_SUPPRESSED, SUPPRESSED, ReportMeta, count_text, present

META = ReportMeta(
    1, "SSP-0918", "Resettlement", "Reoffending", "Pool", "Published", datetime(2010, 1, 1, tzinfo=UTC), True
)


def estimate(**overrides) -> Estimate:
    values = {
        "kind": "reoffence",
        "with_replacement": False,
        "covariates": ("age", "gender"),
        "cohort_size": 410,
        "pool_size": 9000,
        "matched": 400,
        "comparison_people": 400,
        "caliper": 0.05,
        "balance": (
            BalanceRow("age", "Age at start", 0.4, 0.02),
            BalanceRow("gender=female", "Gender: female", 0.05, 0.12),
        ),
        "cohort_outcome": 0.31,
        "comparison_outcome": 0.43,
        "difference": -0.12,
        "low": -0.23,
        "high": -0.01,
        "p_value": 0.034,
        "standard_error": 0.056,
        "cohort_events": 124,
        "comparison_events": 172.0,
    }
    return Estimate(**(values | overrides))


def view(funnel=None, **overrides):
    funnel = funnel or {"submitted": 420, "found": 415, "followed_up": 410, "matched": 400, "analysed": 400}
    return present(META, {"estimate": estimate(**overrides).to_dict(), "funnel": funnel})


def test_the_headline_in_the_data_labs_words():
    v = view()
    assert v.headline == (
        "31% of the people this programme worked with reoffended within a year, against 43% of a matched "
        "comparison group: a reduction of between 1 and 23 percentage points."
    )
    assert v.interval == "-23.0 to -1.0 percentage points" and v.p_value == "0.034"
    assert v.can_say[0].startswith("The people this programme worked with reoffended less")
    assert any("same effect for other people" in line for line in v.cannot_say)
    # 10 of the 410 were not matched; one covariate is still imbalanced after matching.
    assert any("10 people in the cohort who could not be matched" in line for line in v.cannot_say)
    assert any("alike on Gender: female" in line for line in v.cannot_say)
    assert v.balance_flagged == 1


def test_an_interval_spanning_zero_says_no_difference_can_be_shown():
    v = view(difference=-0.03, low=-0.08, high=0.02, cohort_outcome=0.40, p_value=0.25)
    assert v.headline.endswith(
        "somewhere between a reduction of 8 and an increase of 2 percentage points, so no difference can be shown."
    )
    assert v.can_say[0].startswith(
        "This analysis found no statistically significant difference in reoffending"
    )
    assert v.cannot_say[0].startswith("That the programme changed reoffending")
    assert v.cannot_say[1].startswith("That the programme had no effect")


def test_a_bound_near_zero_keeps_a_decimal_place():
    v = view(low=-0.1501, high=-0.004)
    assert "a reduction of between 0.4 and 15.0 percentage points" in v.headline


def test_days_in_employment():
    v = view(
        kind="employment_days",
        cohort_outcome=142.4,
        comparison_outcome=131.0,
        difference=11.4,
        low=-4.2,
        high=27.0,
        cohort_events=None,
        comparison_events=None,
    )
    assert v.cohort_outcome == "142 days" and v.difference == "+11.4 days"
    assert v.headline == (
        "The people this programme worked with spent an average of 142 days in employment over the "
        "follow-up, against 131 days for a matched comparison group: somewhere between 4 fewer and 27 more "
        "days, so no difference can be shown."
    )


def test_counts_under_five_are_suppressed_everywhere_in_the_funnel():
    v = view(funnel={"submitted": 70, "found": 4, "followed_up": 0, "matched": 5, "analysed": 5})
    assert [c.text for c in v.funnel] == ["70", SUPPRESSED, SUPPRESSED, "5", "5"]
    assert [c.value for c in v.funnel] == [70, None, None, 5, 5]
    assert count_text(4) == "fewer than 5" and count_text(1234) == "1,234"


def test_rates_from_fewer_than_five_people_are_not_shown():
    v = view(cohort_events=4, cohort_outcome=0.01)
    assert v.headline == RATES_SUPPRESSED
    assert not v.has_estimate and v.cohort_outcome == "" and v.interval == ""
    # ... nor when fewer than 5 did NOT have the outcome (the complement gives the count away).
    assert view(cohort_events=396).headline == RATES_SUPPRESSED
    assert view(comparison_events=3.0).headline == RATES_SUPPRESSED


def test_a_refusal_is_the_headline():
    v = view(
        matched=59, cohort_outcome=None, difference=None, low=None, high=None, refusal="No estimate: only 59."
    )
    assert v.headline == "No estimate: only 59." and not v.has_estimate and v.can_say == []
