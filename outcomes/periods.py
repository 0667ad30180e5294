"""UK financial years (April to March, written "2009/10") and their quarters (Q1 = Apr-Jun).

The one place that converts between dates, financial years and quarters. Everything else
stores a financial year as its label ("2009/10") and a quarter as 1-4.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

FY_PATTERN = r"^\d{4}/\d{2}$"
_FY_RE = re.compile(FY_PATTERN)
QUARTERS = (1, 2, 3, 4)
QUARTER_CHOICES = [(q, f"Q{q}") for q in QUARTERS]


class PeriodError(ValueError):
    """A financial year or quarter that is not well formed."""


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A UK financial year, identified by the calendar year in which it starts."""

    start_year: int

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Parse "2009/10"; reject anything else with a message a person can act on."""
        if not isinstance(label, str) or not _FY_RE.match(label.strip()):
            raise PeriodError(f'"{label}" is not a financial year; write it like "2009/10".')
        start, end = label.strip().split("/")
        start_year = int(start)
        if not 1 <= start_year <= 9998:  # the calendar has no year 0 or 10000 to end them in
            raise PeriodError(f'"{label}" is outside the years a date can hold (0001/02 to 9998/99).')
        if (start_year + 1) % 100 != int(end):
            raise PeriodError(
                f'"{label}" is not a financial year: {start_year} is followed by '
                f'{(start_year + 1) % 100:02d}, so write "{start_year}/{(start_year + 1) % 100:02d}".'
            )
        return cls(start_year)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year in which a date falls (1 April starts a new one)."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start_year:04d}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def quarters(self) -> list[Quarter]:
        return [Quarter(self, q) for q in QUARTERS]

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of a financial year: Q1 April-June ... Q4 January-March."""

    financial_year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in QUARTERS:
            raise PeriodError(f"Quarter must be 1, 2, 3 or 4, not {self.number}.")

    @classmethod
    def of(cls, label: str, number: int) -> Quarter:
        return cls(FinancialYear.parse(label), int(number))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        fy = FinancialYear.containing(day)
        months_in = (day.month - 4) % 12
        return cls(fy, months_in // 3 + 1)

    @property
    def start(self) -> date:
        month = 4 + (self.number - 1) * 3
        year = self.financial_year.start_year
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.financial_year.next(), 1)
        return Quarter(self.financial_year, self.number + 1)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(FinancialYear(self.financial_year.start_year - 1), 4)
        return Quarter(self.financial_year, self.number - 1)

    def overlaps(self, start: date, end: date) -> bool:
        """True where the quarter shares at least one day with [start, end]."""
        return self.start <= end and start <= self.end

    def __str__(self) -> str:
        return f"{self.financial_year.label} Q{self.number}"


def validate_financial_year(label: str) -> str:
    """Return the label if valid, else raise PeriodError."""
    return FinancialYear.parse(label).label


def financial_years_between(start: date, end: date) -> Iterator[FinancialYear]:
    """Every financial year that [start, end] touches, in order."""
    fy = FinancialYear.containing(start)
    last = FinancialYear.containing(end)
    while fy <= last:
        yield fy
        fy = fy.next()


def quarters_between(start: date, end: date) -> Iterator[Quarter]:
    """Every quarter that [start, end] touches, in order."""
    quarter = Quarter.containing(start)
    last = Quarter.containing(end)
    while quarter <= last:
        yield quarter
        quarter = quarter.next()


def quarter_months(number: int) -> str:
    """Human label for a quarter's months, for the UI."""
    return {1: "April-June", 2: "July-September", 3: "October-December", 4: "January-March"}[number]


def year_labels(first_year: str, last_year: str) -> list[str]:
    """The financial year labels from first_year to last_year inclusive ("2009/10", ...)."""
    first, last = FinancialYear.parse(first_year), FinancialYear.parse(last_year)
    return [fy.label for fy in financial_years_between(first.start, last.end)]
