"""The data version: a token in the database that changes after every committed write, so that
figures computed from the data can be cached across requests and processes and never served once
the data under them has changed (core.computed).

How it stays correct:
- Every statement on a connection passes an execute wrapper (installed when the connection opens).
  A statement that writes (anything but a read, a transaction command or a schema change) to a
  table other than those listed in `_ignored_tables` (sessions, the cache table, this one) asks for a
  bump when its transaction commits: at once in autocommit, else by `transaction.on_commit`, so a
  rolled-back write bumps nothing. COPY bypasses the wrapper: core.db.bulk calls `written` itself.
- The bump writes a new random token (not a counter: a flushed table starts again, and a random
  token cannot meet an old cache key). It runs after the commit, so whoever reads the new token
  also sees the write.
- A reader takes the token *before* computing: a value is stored under a token no newer than the
  data it was computed from, so a write that commits during the computation still retires it.
- While the reader's own transaction holds uncommitted writes (`has_pending_writes`), nothing is
  read from or stored in the cache: other requests must not see those rows, and they may roll back.

A write made outside the product (psql) bumps nothing: core.computed's timeout bounds that.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.dispatch import receiver

log = logging.getLogger(__name__)

TABLE = "core_dataversion"
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW", "PRAGMA",
          "EXPLAIN", "VALUES", "DECLARE", "FETCH", "CLOSE", "CREATE", "ALTER", "DROP", "COMMENT",
          "ANALYZE", "VACUUM", "LOCK", "RESET", "DISCARD")  # fmt: skip
_DML = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_TARGET = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE
)


@cache
def _ignored_tables() -> frozenset[str]:
    """Tables written on every request or by the cache itself, which no computed figure reads."""
    from django.contrib.sessions.models import Session  # apps are loaded by the first call

    caches = {c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")}
    return frozenset({TABLE, Session._meta.db_table, *caches})


@receiver(setting_changed)
def _forget_ignored_tables(setting: str, **kwargs) -> None:
    if setting == "CACHES":
        _ignored_tables.cache_clear()


def writes(sql: str) -> bool:
    """Whether a statement changes data that a computed figure may read."""
    head = sql.lstrip(" \t\r\n(")[:10].upper()  # "(SELECT ...) UNION (SELECT ...)" is a read
    if head.startswith(_READS):
        return False
    if head.startswith("WITH"):
        return bool(_DML.search(sql))  # a data-modifying CTE (or FOR UPDATE: counted, to be safe)
    target = _TARGET.match(sql)
    return not (target and target.group(1) in _ignored_tables())


def written(connection) -> None:
    """Record a write on this connection: the token changes when its transaction commits."""
    if connection.in_atomic_block:
        if not has_pending_writes(connection):
            transaction.on_commit(_bumper(connection.alias), using=connection.alias)
    else:
        _bumper(connection.alias)()


def has_pending_writes(connection) -> bool:
    """Whether the connection's open transaction has written rows not yet committed."""
    bump = _bumper(connection.alias)
    return connection.in_atomic_block and any(entry[1] is bump for entry in connection.run_on_commit)


def current(connection) -> int | None:
    """The token as committed now; None before the first write (nothing may be cached then)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return row[0] if row else None


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver: every statement on the connection passes `_watch`."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes(sql):
        written(context["connection"])
    return result


@cache
def _bumper(alias: str) -> Callable[[], None]:
    """One function per database, so a pending bump can be recognised among on_commit callbacks."""

    def bump() -> None:
        from django.db import connections

        upsert = (
            f"INSERT INTO {TABLE} (id, token) VALUES (1, %s)"  # noqa: S608 (a constant)
            " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
        )
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(upsert, [secrets.randbits(62)])
        except DatabaseError:  # the table is not there yet (migrating): nothing can be cached either
            log.debug("data version not bumped", exc_info=True)

    return bump
