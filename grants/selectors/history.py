"""Reads of a programme's change history, in words.

Each change reads as a person would say it: the field's label, values as the pages show them
(money as £18,750.00, dates as 1 April 2009, choices by their label, linked records by name), and
many-to-many changes as what was added and removed ("added ward Faraday"), never Python data.
Names of linked records are fetched in one query per related model, whatever the history's length.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from simple_history.utils import get_m2m_reverse_field_name

from core.formatting import gbp, long_date
from grants.models import Programme
from outcomes.fields import MoneyField

# Fields that change on every save and say nothing a reader needs.
NOISE = ["updated_at", "created_at"]
LONG_TEXT = 80  # characters of a long text quoted in a change


@dataclass
class _Change:
    """One field's change as simple-history gives it: values, or for many-to-many fields the
    through rows (dicts naming the related id)."""

    field: models.Field
    old: object
    new: object


def programme_history(programme: Programme, limit: int = 50) -> list[dict]:
    """Recorded changes to the programme, newest first: for each, the history record (who and
    when), "what" ("Programme") and its changes as sentences."""
    records = list(
        programme.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    raw = []
    for newer, older in zip(records[:limit], records[1 : limit + 1] + [None], strict=False):
        changes: list[_Change] = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=NOISE)
            changes = [_Change(Programme._meta.get_field(c.field), c.old, c.new) for c in delta.changes]
            if not changes and newer.history_type == "~":
                continue  # a save that changed nothing (e.g. re-running the demo loader)
        raw.append((newer, changes))
    names = _names([change for _, changes in raw for change in changes])
    return [
        {"record": record, "what": "Programme", "changes": [_sentence(c, names) for c in changes]}
        for record, changes in raw
    ]


def _related_ids(change: _Change) -> tuple[type[models.Model] | None, set]:
    field = change.field
    if field.many_to_many:
        key = get_m2m_reverse_field_name(field)
        ids = {row.get(key) for row in (change.old or []) + (change.new or [])}
        return field.related_model, ids - {None}
    if field.is_relation:
        return field.related_model, {change.old, change.new} - {None}
    return None, set()


def _names(changes: list[_Change]) -> dict[type[models.Model], dict]:
    """Every linked record the changes mention, by model and id (one query per model)."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for change in changes:
        model, ids = _related_ids(change)
        if model is not None:
            wanted[model] |= ids
    return {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items() if ids}


def _label(field: models.Field) -> str:
    return _cap(str(field.verbose_name))


def _cap(text: str) -> str:
    """The first letter in capitals, the rest as it is ("Added ward Faraday")."""
    return text[:1].upper() + text[1:]


def _sentence(change: _Change, names: dict) -> str:
    field, label = change.field, _label(change.field)
    if field.many_to_many:
        return _m2m_sentence(change, names)
    old, new = _value(field, change.old, names), _value(field, change.new, names)
    if old is None:
        return f"{label} set to {new}"
    if new is None:
        return f"{label} cleared (was {old})"
    return f"{label} changed from {old} to {new}"


def _m2m_sentence(change: _Change, names: dict) -> str:
    field = change.field
    key = get_m2m_reverse_field_name(field)
    before = {row.get(key) for row in change.old or []} - {None}
    after = {row.get(key) for row in change.new or []} - {None}
    noun = str(field.related_model._meta.verbose_name)
    plural = str(field.related_model._meta.verbose_name_plural)
    known = names.get(field.related_model, {})

    def listed(ids: set) -> str:
        words = sorted(str(known[i]) if i in known else f"(deleted {noun} {i})" for i in ids)
        return f"{noun if len(words) == 1 else plural} {_and(words)}"

    parts = []
    if added := after - before:
        parts.append(f"added {listed(added)}")
    if removed := before - after:
        parts.append(f"removed {listed(removed)}")
    return _cap("; ".join(parts)) if parts else f"{_label(field)} unchanged"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def value_in_words(field: models.Field, value, names: dict) -> str | None:
    """A field's value as the pages show it (linked records named from `names`: model -> id ->
    record); None for no value. Shared with the audit log's page."""
    return _value(field, value, names)


def _value(field: models.Field, value, names: dict) -> str | None:
    """A value as the pages show it; None for no value."""
    if value is None or value == "":
        return None
    if field.is_relation:
        related = names.get(field.related_model, {}).get(value)
        return str(related) if related is not None else f"(deleted {field.related_model._meta.verbose_name})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, MoneyField):
        return gbp(value, pence=True)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{long_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    text = str(value)
    if len(text) > LONG_TEXT:
        text = text[: LONG_TEXT - 1].rstrip() + "…"
    return f"“{text}”"
