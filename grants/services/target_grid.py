"""Save a programme's targets as one grid: rows are outcome measures, columns the quarters of the
programme's financial years. Everything in the grid is saved, or (if any cell is refused) none
of it, with every refusal named by its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from core.errors import DomainError, ValidationFailed
from grants.models import Programme, ProgrammeTarget
from grants.permissions import Action, require
from grants.services._common import save_with_history
from grants.services.programmes import check_target_deletable
from outcomes.models import OutcomeMeasure
from outcomes.periods import Quarter

CELL_OUTSIDE_DATES = "{quarter} is outside the programme's dates, so it cannot have a target."
CELL_NEGATIVE = "A target cannot be negative."
TARIFF_NEGATIVE = "A tariff cannot be negative."


@dataclass(frozen=True)
class TargetRow:
    """One measure's row: its target in each quarter given (None: no target in that quarter;
    a quarter left out is left as it is) and, under payment by results, the tariff paid per
    outcome in every quarter of the row."""

    measure: OutcomeMeasure
    values: dict[Quarter, Decimal | None]
    tariff: Decimal | None = None


@dataclass
class GridChanges:
    created: list[ProgrammeTarget] = field(default_factory=list)
    changed: list[ProgrammeTarget] = field(default_factory=list)
    deleted: list[ProgrammeTarget] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.changed or self.deleted)


def cell_name(measure_id: int, quarter: Quarter) -> str:
    """The name of a cell in the grid (and of its errors): "m12-2009-1" for measure 12, 2009/10 Q1."""
    return f"m{measure_id}-{quarter.financial_year.start_year}-{quarter.number}"


def tariff_name(measure_id: int) -> str:
    return f"m{measure_id}-tariff"


def targets_save_grid(*, user, programme: Programme, rows: list[TargetRow]) -> GridChanges:
    """Create, change and delete the programme's targets so that they read as the grid does.

    Only what differs is written (so history records only real changes). Under the programme's
    row lock, as target_save and target_delete are: a target with a return against it may be
    changed but not removed, and every quarter must be within the programme's dates."""
    require(user, Action.PROGRAMME_VIEW, programme)
    require(user, Action.PROGRAMME_CHANGE, programme)
    changes = GridChanges()
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        existing = {
            (t.measure_id, Quarter.of(t.financial_year, t.quarter)): t
            for t in ProgrammeTarget.objects.filter(
                programme=locked, measure__in=[row.measure for row in rows]
            ).select_for_update()
        }
        for row in rows:
            if row.tariff is not None and row.tariff < 0:
                errors[tariff_name(row.measure.pk)] = [TARIFF_NEGATIVE]
                continue
            for quarter, value in row.values.items():
                name = cell_name(row.measure.pk, quarter)
                target = existing.get((row.measure.pk, quarter))
                try:
                    _apply(locked, row, quarter, value, target, user, changes)
                except DomainError as exc:
                    errors[name] = [exc.message]
        if errors:  # raised inside the transaction: nothing of the grid is kept
            raise ValidationFailed(errors)
    return changes


def _apply(programme, row: TargetRow, quarter: Quarter, value, target, user, changes: GridChanges) -> None:
    if value is None:
        if target is not None:
            check_target_deletable(target)
            target._history_user = user
            target.delete()
            changes.deleted.append(target)
        return
    if value < 0:
        raise ValidationFailed(CELL_NEGATIVE)
    if not quarter.overlaps(programme.start_date, programme.end_date):
        raise ValidationFailed(CELL_OUTSIDE_DATES.format(quarter=quarter))
    if target is None:
        target = ProgrammeTarget(
            programme=programme,
            measure=row.measure,
            financial_year=quarter.financial_year.label,
            quarter=quarter.number,
        )
        changes.created.append(target)
    elif target.target_value == value and target.tariff == row.tariff:
        return
    else:
        changes.changed.append(target)
    target.target_value, target.tariff = value, row.tariff
    save_with_history(target, user)
