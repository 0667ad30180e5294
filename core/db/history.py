"""Saving a new row together with its django-simple-history record in one database round trip.

simple-history writes the history row with a second INSERT after the model's own, inside a
transaction: four round trips (BEGIN, INSERT, INSERT, COMMIT) for what is, on PostgreSQL, one
statement: a writable CTE inserts the row and feeds the history INSERT from its RETURNING.
The statement is atomic by itself, so outside a transaction it needs no BEGIN/COMMIT either.

The history row is the one simple-history would write ("+", the acting user, now, no change
reason); tests/outcomes/test_history.py holds the two equal. Elsewhere (SQLite, or a model whose
history carries extra fields) it falls back to the ordinary save.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import cache

from django.db import connections, models, router, transaction
from django.utils import timezone

_HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def insert_with_history(instance: models.Model, *, user) -> None:
    """INSERT `instance` (a new row) and its "+" history record; sets instance.pk."""
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    sql = _statement(model) if connection.vendor == "postgresql" else None
    if sql is None:
        instance._history_user = user
        with transaction.atomic(using=using):
            instance.save(using=using)
        return
    fields = _fields(model)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in fields]
    params += [timezone.now(), user.pk if user is not None else None]
    # Inside a transaction a failed statement must not poison it (the caller may look up the
    # duplicate it collided with): a savepoint then; in autocommit, the statement alone.
    guard = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    with guard, connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = using


def _fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@cache
def _statement(model) -> str | None:
    history = model.history.model
    pk = model._meta.pk.column
    columns = [f.column for f in _fields(model)]
    tracked = [f.column for f in history._meta.concrete_fields if f.column not in _HISTORY_COLUMNS]
    if set(tracked) != {pk, *columns}:
        return None  # history with fields of its own: leave it to simple-history
    quote = connections["default"].ops.quote_name
    table, history_table = quote(model._meta.db_table), quote(history._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    copied = ", ".join(quote(c) for c in tracked)
    return (
        f"WITH new_row AS (INSERT INTO {table} ({names}) VALUES ({placeholders}) RETURNING *) "  # noqa: S608
        f"INSERT INTO {history_table} ({copied}, history_date, history_change_reason, history_type, "
        f"history_user_id) SELECT {copied}, %s, NULL, '+', %s FROM new_row RETURNING {quote(pk)}"
    )
