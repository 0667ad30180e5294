"""Price years: uprating a value between financial years with a GDP deflator series, and the
Green Book's discounting. Pure: no ORM, no HTTP.

A series is an index by financial year ({"2009/10": 175.06, ...}); a value in year A is worth
value × index[B] ÷ index[A] in year B's prices. The default series is HM Treasury's "GDP
deflators at market prices, and money GDP: March 2015 (Budget 2015)", as the Unit Cost Database
v1.4's Lookups sheet holds it: yearly % changes from 1989/90 (= 100), the years from 2014/15
forecasts. manage.py load_deflators loads a newer one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

GREEN_BOOK_DISCOUNT_RATE = 0.035

HMT_MARCH_2015_NAME = "HM Treasury GDP deflators, March 2015 (Budget 2015)"
HMT_MARCH_2015_SOURCE = (
    "HM Treasury, 'GDP deflators at market prices, and money GDP: March 2015 (Budget 2015)', "
    "19 March 2015, as held in the Lookups sheet of the Unit Cost Database v1.4 (New Economy / "
    "Greater Manchester Combined Authority, CC BY 4.0); years from 2014/15 are forecasts. "
    "https://www.gov.uk/government/statistics/gdp-deflators-at-market-prices-and-money-gdp-march-2015-budget-2015"
)
# (financial year, % change on the previous year, forecast): the Lookups sheet's columns M, N and L.
HMT_MARCH_2015_CHANGES: tuple[tuple[str, float, bool], ...] = (
    ("1989/90", 7.79, False), ("1990/91", 8.27, False), ("1991/92", 5.868, False),
    ("1992/93", 2.547, False), ("1993/94", 2.452, False), ("1994/95", 1.183, False),
    ("1995/96", 2.914, False), ("1996/97", 4.234, False), ("1997/98", 1.781, False),
    ("1998/99", 1.587, False), ("1999/00", 1.043, False), ("2000/01", 2.296, False),
    ("2001/02", 1.516, False), ("2002/03", 2.632, False), ("2003/04", 2.036, False),
    ("2004/05", 3.153, False), ("2005/06", 2.794, False), ("2006/07", 2.711, False),
    ("2007/08", 2.926, False), ("2008/09", 2.51, False), ("2009/10", 2.585, False),
    ("2010/11", 2.768, False), ("2011/12", 1.79, False), ("2012/13", 1.614, False),
    ("2013/14", 2.123, False), ("2014/15", 1.7, True), ("2015/16", 1.4, True),
    ("2016/17", 1.2, True), ("2017/18", 1.6, True), ("2018/19", 2.1, True), ("2019/20", 2.6, True),
)  # fmt: skip


class PriceYearError(ValueError):
    """A value cannot be uprated: the series has no index for one of the years."""


def index_from_changes(changes: Iterable[tuple[str, float, bool]]) -> list[tuple[str, float, bool]]:
    """A cumulative index (first year = 100) from yearly % changes, as the workbook computes it:
    each year's index is the previous one × (1 + its change ÷ 100); the first change is ignored."""
    out: list[tuple[str, float, bool]] = []
    level = 100.0
    for position, (year, change, forecast) in enumerate(changes):
        if position:
            level = level * (1 + change / 100)
        out.append((year, level, forecast))
    return out


def uprating_factor(
    series: Mapping[str, float], from_year: str, to_year: str, *, name: str = "the series"
) -> float:
    """How much a value in from_year's prices is multiplied by to be in to_year's prices."""
    if from_year == to_year:
        return 1.0
    missing = [year for year in (from_year, to_year) if year not in series]
    if missing:
        raise PriceYearError(
            f"{name} has no index for {' or '.join(missing)}, so values cannot be "
            f"uprated from {from_year} to {to_year} prices."
        )
    return float(series[to_year]) / float(series[from_year])


def present_value_factor(years: float, drop_off: float, rate: float = GREEN_BOOK_DISCOUNT_RATE) -> float:
    """The present value of a benefit of 1 a year that lasts `years` years (the first in full,
    undiscounted), losing `drop_off` of itself each later year, discounted at `rate`:
    Σ_{t=0}^{years-1} ((1 − drop_off) ÷ (1 + rate))^t. 1 year, any drop-off → 1."""
    ratio = (1 - drop_off) / (1 + rate)
    return float(sum(ratio**t for t in range(int(years))))
