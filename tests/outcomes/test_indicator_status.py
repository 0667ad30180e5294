"""RAG rules for indicator years: every rule, both polarities, the edges."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from outcomes.indicator_status import (
    AMBER,
    GREEN,
    GREY_NO_ACTUAL,
    GREY_NO_BASELINE,
    GREY_NO_DATA,
    GREY_NO_TARGET,
    RED,
    latest_status,
    rag_status,
    trend_series,
    year_statuses,
)

FIVE = D("0.05")


def rag(polarity, target, actual, baseline=D("100"), tolerance=FIVE):
    return rag_status(polarity=polarity, baseline=baseline, target=target, actual=actual, tolerance=tolerance)


@pytest.mark.parametrize(
    "actual, expected",
    [
        (D("110"), GREEN),  # better than target
        (D("100"), GREEN),  # exactly on target
        (D("96"), AMBER),  # short by 4 of a 5 band
        (D("95"), AMBER),  # exactly at the tolerance edge
        (D("94.999"), RED),  # just past the edge
        (D("50"), RED),
    ],
)
def test_higher_is_better(actual, expected):
    assert rag("higher", D("100"), actual) == expected


@pytest.mark.parametrize(
    "actual, expected",
    [
        (D("90"), GREEN),  # lower than target: better
        (D("100"), GREEN),  # exactly on target
        (D("104"), AMBER),
        (D("105"), AMBER),  # exactly at the tolerance edge
        (D("105.001"), RED),
        (D("150"), RED),
    ],
)
def test_lower_is_better(actual, expected):
    assert rag("lower", D("100"), actual) == expected


def test_the_same_figures_are_green_or_red_by_polarity():
    assert rag("higher", D("100"), D("120")) == GREEN
    assert rag("lower", D("100"), D("120")) == RED
    assert rag("higher", D("100"), D("80")) == RED
    assert rag("lower", D("100"), D("80")) == GREEN


def test_tolerance_is_a_share_of_the_target_and_is_per_indicator():
    assert rag("higher", D("200"), D("181"), tolerance=D("0.10")) == AMBER  # band 20
    assert rag("higher", D("200"), D("180"), tolerance=D("0.10")) == AMBER  # edge
    assert rag("higher", D("200"), D("179"), tolerance=D("0.10")) == RED
    assert rag("higher", D("200"), D("199"), tolerance=D("0")) == RED  # no tolerance: miss is red


def test_negative_target_uses_its_size_for_the_band():
    # NI 18: "% change from predicted rate", target -5 (lower is better): band 0.25
    assert rag("lower", D("-5"), D("-5.5")) == GREEN
    assert rag("lower", D("-5"), D("-4.75")) == AMBER
    assert rag("lower", D("-5"), D("-4.7")) == RED


def test_zero_target_has_no_amber_band():
    assert rag("lower", D("0"), D("0")) == GREEN
    assert rag("lower", D("0"), D("0.001")) == RED


def test_no_baseline_is_grey_even_when_on_target():
    assert rag("higher", D("100"), D("120"), baseline=None) == GREY_NO_BASELINE
    assert GREY_NO_BASELINE.code == "grey"


def test_no_actual_is_grey():
    assert rag("higher", D("100"), None) == GREY_NO_ACTUAL
    assert GREY_NO_ACTUAL.code == "grey"


def test_no_target_is_grey():
    assert rag("higher", None, D("100")) == GREY_NO_TARGET
    assert rag("higher", None, None) == GREY_NO_DATA
    assert {GREY_NO_TARGET.code, GREY_NO_DATA.code} == {"grey"}


def test_every_status_has_a_text_label():
    for status in (GREEN, AMBER, RED, GREY_NO_BASELINE, GREY_NO_ACTUAL, GREY_NO_TARGET, GREY_NO_DATA):
        assert status.label and status.code in {"green", "amber", "red", "grey"}


@pytest.mark.parametrize("bad", [{"polarity": "sideways"}, {"tolerance": D("1.5")}, {"tolerance": D("-0.1")}])
def test_nonsense_inputs_are_refused(bad):
    args = {"polarity": "higher", "baseline": D("1"), "target": D("1"), "actual": D("1"), "tolerance": FIVE}
    with pytest.raises(ValueError):
        rag_status(**{**args, **bad})


def _indicator(years, polarity="lower", tolerance=FIVE):
    rows = [
        SimpleNamespace(financial_year=fy, baseline=b, target=t, actual=a) for fy, (b, t, a) in years.items()
    ]
    return SimpleNamespace(
        code="NI 1",
        unit="count",
        polarity=polarity,
        tolerance=tolerance,
        years=SimpleNamespace(all=lambda: rows),
    )


def test_latest_status_uses_the_latest_year_with_an_actual():
    indicator = _indicator(
        {
            "2010/11": (D("10"), D("8"), None),  # given out of order on purpose
            "2008/09": (D("10"), D("9"), D("12")),
            "2009/10": (D("10"), D("9"), D("9.2")),
        }
    )
    status, year = latest_status(indicator)
    assert (status, year.financial_year) == (AMBER, "2009/10")


def test_latest_status_without_actuals_uses_the_latest_year_and_without_years_is_grey():
    status, year = latest_status(
        _indicator({"2009/10": (None, None, None), "2010/11": (D("1"), D("1"), None)})
    )
    assert (status, year.financial_year) == (GREY_NO_ACTUAL, "2010/11")
    assert latest_status(_indicator({})) == (GREY_NO_DATA, None)


def test_year_statuses_and_trend_series_follow_the_years_in_order():
    indicator = _indicator(
        {
            "2009/10": (D("10"), D("9"), D("9.5")),
            "2008/09": (None, D("9"), D("8")),
            "2010/11": (D("10"), D("8"), None),
        }
    )
    rows = year_statuses(indicator)
    assert [r.year.financial_year for r in rows] == ["2008/09", "2009/10", "2010/11"]
    assert [r.status for r in rows] == [GREY_NO_BASELINE, RED, GREY_NO_ACTUAL]
    assert [r.gap for r in rows] == [D("1"), D("-0.5"), None]
    assert rows[1].distance == D("0.5")
    series = trend_series(indicator)
    assert series["labels"] == ["2008/09", "2009/10", "2010/11"]
    assert series["actual"] == [8.0, 9.5, None]
    assert series["baseline"] == [None, 10.0, 10.0]
    assert series["status"] == ["grey", "red", "grey"]
