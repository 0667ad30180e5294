"""Many new rows and their django-simple-history records, written with COPY on PostgreSQL.

bulk_create spends most of its time in Python, preparing each value of each row for a
multi-row INSERT; for ten thousand rows and their history that is several seconds. On
PostgreSQL the ids are reserved from the table's sequence in one query, the rows are streamed
with COPY, which psycopg adapts natively, and the history rows are made by the server from the
rows just written (one INSERT ... SELECT), so they are exactly what was stored and nothing is
sent twice. The history row is the one simple-history's bulk_create_with_history writes ("+",
the acting user, now, no change reason). Elsewhere (SQLite, or a history model with extra
fields) it is bulk_create_with_history. A constraint the rows break raises IntegrityError, as
bulk_create would.

`copy_insert_with_history` takes plain rows (values by attname, as the database takes them) and
returns the new ids, for a caller that has ten thousand rows and no need to build ten thousand
instances first.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.db import data_version

_HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def copy_insert_with_history(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence], *, user
) -> list[int]:
    """Insert `rows` and a "+" history record for each; return their new ids, in order.

    `fields` names every concrete field but the primary key, by attname (`programme_id`); each
    row holds their values in that order, as the database takes them (no field preparation is
    run: ints, strings, dates, datetimes, Decimals and None)."""
    own = _own_fields(model)
    if sorted(fields) != sorted(f.attname for f in own):
        missing = sorted({f.attname for f in own} ^ set(fields))
        raise ValueError(f"copy_insert_with_history needs every field of {model.__name__}: {missing}")
    using = router.db_for_write(model)
    connection = connections[using]
    if not rows:
        return []
    if not _copies(model, connection):
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        bulk_create_with_history(objs, model, default_user=user, batch_size=2000)
        return [obj.pk for obj in objs]
    column_of = {f.attname: f.column for f in own}
    return _copy(model, connection, [column_of[name] for name in fields], rows, user)


def _own_fields(model: type[models.Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _copies(model: type[models.Model], connection) -> bool:
    """COPY on PostgreSQL, for a history model holding the row's columns and simple-history's own."""
    columns_of = {f.column for f in model._meta.concrete_fields}
    extra = {f.column for f in model.history.model._meta.concrete_fields} - columns_of
    return connection.vendor == "postgresql" and extra == _HISTORY_COLUMNS


def _copy(model: type[models.Model], connection, columns: list[str], rows: Sequence[Sequence], user) -> list:
    """Reserve ids, COPY the rows in with them, and copy each stored row into its history."""
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in [pk, *columns])
    own_table, history_table = quote(table), quote(model.history.model._meta.db_table)
    with connection.cursor() as cursor:
        reserve = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        cursor.execute(reserve, [table, pk, len(rows)])
        ids = [new_id for (new_id,) in cursor.fetchall()]
        stream = f"COPY {own_table} ({names}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(stream) as copy:
            for new_id, row in zip(ids, rows, strict=True):
                copy.write_row((new_id, *row))
        data_version.written(connection)  # COPY does not pass the connection's execute wrappers
        # Table and column names from the model's meta, quoted; the values are parameters.
        history = (
            f"INSERT INTO {history_table} ({names}, history_date, history_change_reason, history_type,"  # noqa: S608
            f" history_user_id) SELECT {names}, %s, NULL, '+', %s FROM {own_table}"
            f" WHERE {quote(pk)} = ANY(%s::{model._meta.pk.db_type(connection)}[]) ORDER BY {quote(pk)}"
        )
        cursor.execute(history, [timezone.now(), getattr(user, "pk", None), ids])
    return ids
