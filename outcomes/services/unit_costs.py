"""Loading unit cost lines and deflator series (manage.py import_unit_costs, load_deflators).

Both are idempotent: a cost line is keyed by its code and changed only where the file differs
(each change kept in its history); a deflator series is keyed by its name and its years replaced
as one. Everything is checked before anything is written, in one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction

from core.db.writes import save_with_history, validate
from core.errors import ValidationFailed
from outcomes.models import DeflatorSeries, DeflatorYear, UnitCostLine
from outcomes.unit_cost_workbook import CostLineRow

SERIES_NAME_REQUIRED = "Name the deflator series (e.g. “ONS GDP deflator, December 2025”)."
SERIES_SOURCE_REQUIRED = "Say where the deflator series comes from: publisher, date and address."


def unit_cost_lines_import(
    lines: Iterable[CostLineRow], *, user=None, progress: Callable[[int, int], None] | None = None
) -> Counter:
    """Create or update each cost line by its code; returns counts of created, updated and
    unchanged lines."""
    lines = list(lines)
    summary: Counter = Counter(created=0, updated=0, unchanged=0)
    existing = {line.code: line for line in UnitCostLine.objects.filter(code__in=[r.code for r in lines])}
    with transaction.atomic():
        for number, row in enumerate(lines, start=1):
            fields = row.fields()
            line = existing.get(row.code)
            if line is None:
                line = UnitCostLine(code=row.code, **fields)
                summary["created"] += 1
            elif any(getattr(line, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(line, name, value)
                summary["updated"] += 1
            else:
                summary["unchanged"] += 1
                _report(progress, number, len(lines))
                continue
            validate(line)
            save_with_history(line, user)
            _report(progress, number, len(lines))
    return summary


def deflator_series_load(
    *, name: str, source: str, years: Iterable[tuple[str, Decimal | float, bool]]
) -> tuple[DeflatorSeries, bool]:
    """Create the named series, or replace its years; returns (series, created)."""
    name, source = (name or "").strip(), (source or "").strip()
    errors = {}
    if not name:
        errors["name"] = [SERIES_NAME_REQUIRED]
    if not source:
        errors["source"] = [SERIES_SOURCE_REQUIRED]
    if errors:
        raise ValidationFailed(errors)
    rows = [
        (year, Decimal(repr(float(index))).quantize(Decimal("0.00000001")), forecast)
        for year, index, forecast in years
    ]
    if not rows:
        raise ValidationFailed({"file": ["The series has no years."]})
    with transaction.atomic():
        series, created = DeflatorSeries.objects.get_or_create(name=name, defaults={"source": source})
        if not created and series.source != source:
            series.source = source
            series.save(update_fields=["source"])
        series.years.all().delete()
        built = [DeflatorYear(series=series, financial_year=y, index=i, forecast=f) for y, i, f in rows]
        for year in built:
            validate(year, exclude=["series"])
        DeflatorYear.objects.bulk_create(built)
    return series, created


def _report(progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
