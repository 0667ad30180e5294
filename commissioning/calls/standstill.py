"""The standstill period: a number of working days (weekdays that are not England and Wales bank
holidays) after the award is recommended, before it can be concluded. Pure: no ORM, no HTTP."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta

import holidays

STANDSTILL_WORKING_DAYS = 8


def bank_holidays(*years: int) -> Container[date]:
    """England and Wales bank holidays (the `holidays` package, subdivision ENG) in these years."""
    return holidays.country_holidays("GB", subdiv="ENG", years=list(years))


def is_working_day(day: date, closed: Container[date]) -> bool:
    return day.weekday() < 5 and day not in closed


def standstill_ends(recommended_on: date, *, days: int = STANDSTILL_WORKING_DAYS, closed=None) -> date:
    """The last day of the standstill: the `days`-th working day after `recommended_on`. The
    award can be concluded on any day after it."""
    if closed is None:
        closed = bank_holidays(recommended_on.year, recommended_on.year + 1)
    day, counted = recommended_on, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day


def may_conclude(standstill_end: date, today: date) -> bool:
    return today > standstill_end
