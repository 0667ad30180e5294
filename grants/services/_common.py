"""Helpers the grants services share: period checks; model validation and saving with history
(core.db.writes, re-exported here)."""

from __future__ import annotations

from core.db.writes import save_with_history, validate
from core.errors import ValidationFailed
from grants.models import Programme
from outcomes.periods import PeriodError, Quarter

__all__ = ["check_within_dates", "parse_quarter", "save_with_history", "validate"]


def check_within_dates(quarter: Quarter, programme: Programme) -> None:
    if not quarter.overlaps(programme.start_date, programme.end_date):
        dates = f"{programme.start_date:%d %b %Y} to {programme.end_date:%d %b %Y}"
        raise ValidationFailed({"quarter": [f"{quarter} is outside the programme's dates ({dates})."]})


def parse_quarter(financial_year: str, quarter: int) -> Quarter:
    try:
        return Quarter.of(financial_year, quarter)
    except PeriodError as exc:
        field = "quarter" if "Quarter" in str(exc) else "financial_year"
        raise ValidationFailed({field: [str(exc)]}) from exc
