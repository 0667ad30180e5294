from datetime import date

import pytest

from outcomes.periods import (
    FinancialYear,
    PeriodError,
    Quarter,
    financial_years_between,
    quarters_between,
    validate_financial_year,
)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2009, 3, 31), "2008/09"),
        (date(2009, 4, 1), "2009/10"),
        (date(2009, 12, 31), "2009/10"),
        (date(2010, 1, 1), "2009/10"),
        (date(2010, 3, 31), "2009/10"),
        (date(1999, 4, 1), "1999/00"),
        (date(2000, 3, 31), "1999/00"),
    ],
)
def test_financial_year_containing_date(day, label):
    assert FinancialYear.containing(day).label == label


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (date(2009, 4, 1), 1),
        (date(2009, 6, 30), 1),
        (date(2009, 7, 1), 2),
        (date(2009, 9, 30), 2),
        (date(2009, 10, 1), 3),
        (date(2009, 12, 31), 3),
        (date(2010, 1, 1), 4),
        (date(2010, 3, 31), 4),
    ],
)
def test_quarter_containing_date(day, number):
    quarter = Quarter.containing(day)
    assert quarter.number == number
    assert quarter.financial_year.label == "2009/10"


def test_quarter_bounds_including_leap_year():
    q4 = Quarter.of("2011/12", 4)
    assert q4.start == date(2012, 1, 1)
    assert q4.end == date(2012, 3, 31)
    assert Quarter.containing(date(2012, 2, 29)) == q4
    assert Quarter.of("2009/10", 1).start == date(2009, 4, 1)
    assert Quarter.of("2009/10", 1).end == date(2009, 6, 30)
    assert Quarter.of("2009/10", 3).end == date(2009, 12, 31)


def test_financial_year_bounds():
    fy = FinancialYear.parse("2009/10")
    assert (fy.start, fy.end) == (date(2009, 4, 1), date(2010, 3, 31))
    assert fy.next().label == "2010/11"
    assert str(FinancialYear.parse("1999/00")) == "1999/00"


@pytest.mark.parametrize("bad", ["2009", "2009/11", "2009-10", "09/10", "abcd/ef", "", " 2009/1"])
def test_bad_financial_year_labels_are_refused_with_a_message(bad):
    with pytest.raises(PeriodError) as exc:
        validate_financial_year(bad)
    assert "financial year" in str(exc.value)


def test_quarter_number_is_checked():
    with pytest.raises(PeriodError, match="1, 2, 3 or 4"):
        Quarter.of("2009/10", 5)


def test_iteration_over_years_and_quarters():
    years = [fy.label for fy in financial_years_between(date(2009, 3, 31), date(2011, 4, 1))]
    assert years == ["2008/09", "2009/10", "2010/11", "2011/12"]
    quarters = [str(q) for q in quarters_between(date(2009, 12, 31), date(2010, 4, 1))]
    assert quarters == ["2009/10 Q3", "2009/10 Q4", "2010/11 Q1"]


def test_quarters_order_and_overlap():
    q1, q2 = Quarter.of("2009/10", 1), Quarter.of("2009/10", 2)
    assert q1 < q2 < Quarter.of("2010/11", 1)
    assert q1.overlaps(date(2009, 6, 30), date(2009, 12, 1))
    assert not q1.overlaps(date(2009, 7, 1), date(2009, 12, 1))
    assert Quarter.of("2009/10", 4).next() == Quarter.of("2010/11", 1)


@pytest.mark.parametrize("edge", ["9999/00", "0000/01"])
def test_years_a_date_cannot_hold_are_refused_not_crashed(edge):
    with pytest.raises(PeriodError, match="0001/02 to 9998/99"):
        FinancialYear.parse(edge)


@pytest.mark.django_db
def test_the_programmes_api_answers_400_for_year_9999(api, commissioner):
    response = api(commissioner).get("/api/programmes/", {"financial_year": "9999/00"})
    assert response.status_code == 400
    assert "0001/02 to 9998/99" in str(response.json())
