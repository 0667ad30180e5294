"""The audit log's changes in words for its web page: each field by its label ("Reviewed by",
not reviewed_by), values as the pages show them (money as £18,750.00, dates as 1 April 2009,
choices by their label, linked records by name, many-to-many fields as names). The API keeps the
raw field names and values (audit.selectors). Names of linked records are read in one query per
related model for the whole page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from audit.selectors import BY_KEY, AuditEntry, Change
from grants.selectors.history import value_in_words

DASH = "–"


@dataclass(frozen=True)
class ShownChange:
    label: str
    old: str
    new: str


def _field(entry: AuditEntry, change: Change) -> models.Field | None:
    try:
        return BY_KEY[entry.object_type].model._meta.get_field(change.field)
    except (FieldDoesNotExist, KeyError):
        return None


def _python(field: models.Field, value):
    """A value as audit.selectors carries it for JSON (decimals and dates as strings) back into
    the field's Python type, so that it is formatted as the pages format it."""
    if not isinstance(value, str) or value == "":
        return value
    try:
        if isinstance(field, models.DecimalField):
            return Decimal(value)
        if isinstance(field, models.DateTimeField):
            parsed = datetime.fromisoformat(value)
            return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
        if isinstance(field, models.DateField):
            return date.fromisoformat(value)
    except (ValueError, InvalidOperation):
        return value
    return value


def shown_changes(entries: list[AuditEntry]) -> dict[str, list[ShownChange]]:
    """Each entry's changes in words, by the entry's key."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    fields: dict[tuple[str, str], models.Field | None] = {}
    for entry in entries:
        for change in entry.changes:
            field = fields.setdefault((entry.object_type, change.field), _field(entry, change))
            if field is not None and field.is_relation:
                for value in (change.old, change.new):
                    ids = value if isinstance(value, list) else [value]
                    wanted[field.related_model] |= {i for i in ids if i is not None}
    names = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items() if ids}
    shown: dict[str, list[ShownChange]] = {}
    for entry in entries:
        rows = []
        for change in entry.changes:
            field = fields[(entry.object_type, change.field)]
            if field is None:
                rows.append(ShownChange(change.field, _plain(change.old), _plain(change.new)))
                continue
            label = str(field.verbose_name)
            rows.append(
                ShownChange(
                    label[:1].upper() + label[1:],
                    _words(field, change.old, names),
                    _words(field, change.new, names),
                )
            )
        shown[entry.key] = rows
    return shown


def _words(field: models.Field, value, names: dict) -> str:
    if field.many_to_many:
        known = names.get(field.related_model, {})
        noun = str(field.related_model._meta.verbose_name)
        listed = sorted(str(known[i]) if i in known else f"(deleted {noun} {i})" for i in value or [])
        return ", ".join(listed) if listed else "none"
    words = value_in_words(field, _python(field, value), names)
    return DASH if words is None else words


def _plain(value) -> str:
    return DASH if value in (None, "") else str(value)
