"""Many new rows and their django-simple-history records, written with COPY on PostgreSQL.

bulk_create spends most of its time in Python, preparing each value of each row for a
multi-row INSERT; for ten thousand rows and their history that is several seconds. On
PostgreSQL the ids are reserved from the table's sequence in one query and the rows, then the
history rows, are streamed with COPY, which psycopg adapts natively. The history row is the
one simple-history's bulk_create_with_history writes ("+", the acting user, now, no change
reason). Elsewhere (SQLite, or a history model with extra fields) it is bulk_create_with_history.
A constraint the rows break raises IntegrityError, as bulk_create would.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

_HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
# Fields whose Python values psycopg adapts as they are; others go through get_db_prep_save.
_NATIVE = {
    "AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "ForeignKey", "CharField", "TextField",
    "SlugField", "DateField", "DateTimeField", "DecimalField", "BooleanField",
}  # fmt: skip


def copy_create_with_history(objs: Sequence[models.Model], model: type[models.Model], *, user) -> list:
    """Create `objs` (unsaved, without ids) and a "+" history record for each; sets their pks."""
    using = router.db_for_write(model)
    connection = connections[using]
    history = model.history.model
    own = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns_of = {f.column for f in model._meta.concrete_fields}
    extra = {f.column for f in history._meta.concrete_fields} - columns_of
    if connection.vendor != "postgresql" or extra != _HISTORY_COLUMNS or not objs:
        return bulk_create_with_history(list(objs), model, default_user=user, batch_size=2000)
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        reserve = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"
        cursor.execute(reserve, [table, pk, len(objs)])
        for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = new_id
        prepare = [(f.attname, f.get_internal_type() in _NATIVE, f) for f in own]
        rows = [
            [obj.pk]
            + [
                getattr(obj, name) if native else field.get_db_prep_save(getattr(obj, name), connection)
                for name, native, field in prepare
            ]
            for obj in objs
        ]
        columns = ", ".join(connection.ops.quote_name(c) for c in [pk, *(f.column for f in own)])
        now, user_id = timezone.now(), getattr(user, "pk", None)
        history_columns = f"{columns}, history_date, history_change_reason, history_type, history_user_id"
        with connection.wrap_database_errors:
            own_table = connection.ops.quote_name(table)
            with cursor.cursor.copy(f"COPY {own_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            history_table = connection.ops.quote_name(history._meta.db_table)
            with cursor.cursor.copy(f"COPY {history_table} ({history_columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([*row, now, None, "+", user_id])
    for obj in objs:
        obj._state.adding, obj._state.db = False, using
    return list(objs)
