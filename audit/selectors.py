"""The audit log: who changed what and when, read from django-simple-history's tables.

One list across every audited model's history table, newest first. A page costs a bounded
number of queries whatever its length or the size of the tables: one UNION ALL for the page's
(table, history id) pairs, one for the count, then per table on the page one query for its
records (with the user and what the label needs) and one for the records before them (for the
changed fields); tables with many-to-many history add one query per such field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from simple_history.utils import get_m2m_reverse_field_name

from commissioning.calls.models import AssessorScore, Award, Bid, Call, Moderation
from commissioning.models import ConflictOfInterest, Criterion, Decision, ReviewRound, Score
from core.formatting import gbp
from grants.models import FundingStream, OutcomeReturn, Payment, Programme, ProgrammePriority, ProgrammeTarget
from outcomes.models import IndicatorYear, OutcomeMeasure, Priority, Theme, Ward

# Fields that change on every save and say nothing a reader needs.
_NOISE = {"id", "updated_at", "created_at", "recorded_at"}


def _ref(record, name: str) -> str:
    """The reference of a programme a history record points at, or its id if it is gone."""
    programme = getattr(record, name, None)
    return programme.reference if programme is not None else f"programme {getattr(record, name + '_id')}"


def _payment_label(record) -> str:
    """A payment, or a reversal (negative amount) named as such with the payment it reverses."""
    to = f"to {_ref(record, 'programme')} for {record.financial_year} Q{record.quarter}"
    if getattr(record, "kind", "payment") == "reversal":
        return f"Reversal of payment {record.reverses_id}: {gbp(record.amount, pence=True)} {to}"
    return f"{gbp(record.amount, pence=True)} {to}"


@dataclass(frozen=True)
class Audited:
    """One audited model: its key in the API, a name for people, and how to label a record."""

    key: str
    name: str
    model: type[Model]
    label: Callable[[Model], str]
    related: tuple[str, ...] = ()

    @property
    def history(self) -> type[Model]:
        return self.model.history.model


AUDITED: tuple[Audited, ...] = (
    Audited("programme", "Programme", Programme, lambda r: f"{r.reference} {r.title}"),
    Audited("programme_priority", "Programme priority", ProgrammePriority,
            lambda r: f"{_ref(r, 'programme')} priority {r.priority_id}", ("programme",)),
    Audited("target", "Programme target", ProgrammeTarget,
            lambda r: f"{_ref(r, 'programme')} measure {r.measure_id} {r.financial_year} Q{r.quarter}",
            ("programme",)),
    Audited("return", "Outcome return", OutcomeReturn,
            lambda r: f"{_ref(r, 'programme')} measure {r.measure_id} {r.financial_year} Q{r.quarter}",
            ("programme",)),
    Audited("payment", "Payment", Payment, _payment_label, ("programme",)),
    Audited("funding_stream", "Funding stream", FundingStream, lambda r: f"{r.name} {r.financial_year}"),
    Audited("review_round", "Review round", ReviewRound, lambda r: r.name),
    Audited("criterion", "Criterion", Criterion, lambda r: f"{r.name} ({r.weight}%)"),
    Audited("score", "Score", Score,
            lambda r: f"{_ref(r, 'programme')} criterion {r.criterion_id}: {r.score}", ("programme",)),
    Audited("conflict", "Conflict of interest", ConflictOfInterest,
            lambda r: f"{_ref(r, 'programme')} round {r.review_round_id}", ("programme",)),
    Audited("decision", "Decision", Decision,
            lambda r: f"{_ref(r, 'programme')}: {r.get_outcome_display()}", ("programme",)),
    Audited("measure", "Outcome measure", OutcomeMeasure, lambda r: r.name),
    Audited("indicator_year", "Indicator year", IndicatorYear,
            lambda r: f"indicator {r.indicator_id} {r.financial_year}"),
    Audited("priority", "Priority", Priority, lambda r: r.name),
    Audited("theme", "Theme", Theme, lambda r: r.name),
    Audited("ward", "Ward", Ward, lambda r: r.name),
    Audited("call", "Call", Call, lambda r: f"{r.reference} {r.title} ({r.status})"),
    Audited("bid", "Bid", Bid,
            lambda r: f"bid {r.id}, lot {r.lot_id}, organisation {r.organisation_id}: {r.status}"),
    Audited("bid_score", "Bid score", AssessorScore,
            lambda r: f"bid {r.bid_id} criterion {r.criterion_id}: {r.score}"),
    Audited("moderation", "Moderated score", Moderation,
            lambda r: f"bid {r.bid_id} criterion {r.criterion_id}: moderated to {r.score}"),
    Audited("award", "Award", Award,
            lambda r: f"lot {r.lot_id}: bid {r.bid_id}{' (concluded)' if r.concluded_at else ''}"),
)  # fmt: skip
BY_KEY = {a.key: a for a in AUDITED}
OBJECT_TYPES = [(a.key, a.name) for a in AUDITED]
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class AuditEntry:
    object_type: str
    object_type_name: str
    object_id: int
    object_label: str
    action: str
    at: datetime
    user_id: int | None
    username: str | None
    reason: str | None
    history_id: int
    changes: list[Change] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.object_type}:{self.history_id}"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _history_queryset(audited: Audited, criteria: AuditFilter) -> QuerySet:
    condition = Q()
    if criteria.user_id is not None:
        condition &= Q(history_user_id=criteria.user_id)
    if criteria.object_id is not None:
        condition &= Q(id=criteria.object_id)
    if criteria.date_from is not None:
        condition &= Q(history_date__gte=_start_of(criteria.date_from))
    if criteria.date_to is not None:
        condition &= Q(history_date__lt=_start_of(criteria.date_to + timedelta(days=1)))
    return audited.history.objects.filter(condition)


class AuditLog:
    """The filtered log as a lazy sequence: len()/count() and slicing run the queries, so
    Django's Paginator and DRF's pagination page through it in SQL."""

    def __init__(self, criteria: AuditFilter | None = None):
        self.criteria = criteria or AuditFilter()
        if self.criteria.object_type is not None and self.criteria.object_type not in BY_KEY:
            raise ValueError(f"Unknown object type {self.criteria.object_type!r}.")
        self._count: int | None = None

    def _tables(self) -> list[tuple[int, Audited]]:
        key = self.criteria.object_type
        return [(i, a) for i, a in enumerate(AUDITED) if key is None or a.key == key]

    def _union(self) -> QuerySet:
        parts = [
            _history_queryset(a, self.criteria)
            .order_by()
            .annotate(table=Value(i, output_field=IntegerField()))
            .values_list("history_date", "history_id", "table")
            for i, a in self._tables()
        ]
        if len(parts) == 1:
            return parts[0]
        return parts[0].union(*parts[1:], all=True)

    def count(self) -> int:
        if self._count is None:
            self._count = self._union().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("AuditLog supports slicing only.")
        start, stop = index.start or 0, index.stop
        rows = list(self._union().order_by("-history_date", "-history_id", "table")[start:stop])
        return _hydrate([(AUDITED[table], history_id) for _, history_id, table in rows])


def audit_log(criteria: AuditFilter | None = None) -> AuditLog:
    return AuditLog(criteria)


def _hydrate(page: list[tuple[Audited, int]]) -> list[AuditEntry]:
    wanted: dict[str, list[int]] = {}
    for audited, history_id in page:
        wanted.setdefault(audited.key, []).append(history_id)
    entries: dict[tuple[str, int], AuditEntry] = {}
    for key, history_ids in wanted.items():
        for entry in _entries_for(BY_KEY[key], history_ids):
            entries[(key, entry.history_id)] = entry
    return [entries[(a.key, history_id)] for a, history_id in page]


def _entries_for(audited: Audited, history_ids: list[int]) -> list[AuditEntry]:
    history = audited.history
    previous = (
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history.objects.filter(history_id__in=history_ids)
        .select_related("history_user", *audited.related)
        .annotate(previous_id=Subquery(previous))
    )
    before = history.objects.in_bulk([r.previous_id for r in records if r.previous_id is not None])
    m2m = _m2m_values(history, [r.history_id for r in records] + list(before))
    fields = [f.name for f in history.tracked_fields if f.editable and f.name not in _NOISE]
    entries = []
    for record in records:
        older = before.get(record.previous_id)
        entries.append(
            AuditEntry(
                object_type=audited.key,
                object_type_name=audited.name,
                object_id=record.id,
                object_label=audited.label(record),
                action=ACTIONS.get(record.history_type, record.history_type),
                at=record.history_date,
                user_id=record.history_user_id,
                username=record.history_user.get_username() if record.history_user else None,
                reason=record.history_change_reason,
                history_id=record.history_id,
                changes=_changes(record, older, fields, m2m),
            )
        )
    return entries


def _m2m_values(history: type[Model], history_ids: list[int]) -> dict[str, dict[int, list]]:
    """For each many-to-many field kept in history: history id -> the related ids, sorted."""
    values: dict[str, dict[int, list]] = {}
    for m2m_field in history._history_m2m_fields:
        through = getattr(history, m2m_field.name).model
        other = get_m2m_reverse_field_name(m2m_field)
        by_record: dict[int, list] = {h: [] for h in history_ids}
        rows = through.objects.filter(history_id__in=history_ids).values_list("history_id", f"{other}_id")
        for history_id, related_id in rows.order_by(f"{other}_id"):
            by_record[history_id].append(related_id)
        values[m2m_field.name] = by_record
    return values


def _changes(record, older, fields: list[str], m2m: dict[str, dict[int, list]]) -> list[Change]:
    """What differs from the record before (simple-history's diff_against, minus the noise and
    with many-to-many fields read in bulk); on creation, the values it was created with."""
    if record.history_type == "-":
        return []
    if older is None:
        changes = [
            Change(name, None, _plain(value))
            for name, value in ((n, getattr(record, _attname(record, n))) for n in fields)
            if value not in (None, "")
        ]
        changes += [Change(name, None, ids[record.history_id]) for name, ids in m2m.items()
                    if ids[record.history_id]]  # fmt: skip
        return sorted(changes, key=lambda c: c.field)
    delta = record.diff_against(older, included_fields=fields)
    changes = [Change(c.field, _plain(c.old), _plain(c.new)) for c in delta.changes]
    for name, ids in m2m.items():
        if ids[older.history_id] != ids[record.history_id]:
            changes.append(Change(name, ids[older.history_id], ids[record.history_id]))
    return sorted(changes, key=lambda c: c.field)


def _attname(record, name: str) -> str:
    return record._meta.get_field(name).attname


def _plain(value):
    """A value as JSON carries it: money and decimals as strings, dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
