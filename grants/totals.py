"""Database triggers that keep MeasureYearTotal and ProgrammeYearSpend equal to the targets and
returns they sum, whatever writes them (the ORM, bulk inserts, COPY, raw SQL, the admin).

Each trigger recomputes the totals of the keys its statement touched from the base tables
(never adds deltas), so a total is right however the rows changed. On PostgreSQL the triggers are
per statement, with the changed rows as transition tables (one key, the usual case, takes a
cheaper path with cached plans and an upsert), and take a row lock on each affected
programme before recomputing: two transactions writing returns of the same programme would
otherwise each recompute from a snapshot without the other's rows. SQLite has one writer at a
time and per-row triggers.

The same four statements (delete and re-insert the measure totals, then the spend) serve
PostgreSQL's function for many keys, the SQLite triggers and `rebuild`; only the key set differs.
PostgreSQL's one-key function computes the same sums for one key.
"""

from __future__ import annotations

import re

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import QuerySet

from grants.models import OutcomeReturn, Programme
from outcomes.periods import Quarter


def _literal(status: OutcomeReturn.Status) -> str:
    """A return status as an SQL string literal (the values are plain words; checked, not trusted)."""
    if not re.fullmatch(r"[a-z_]+", status.value):
        raise ValueError(f"Unexpected status value {status.value!r}")
    return f"'{status.value}'"


_VERIFIED = _literal(OutcomeReturn.Status.VERIFIED)
_SUBMITTED = _literal(OutcomeReturn.Status.SUBMITTED)
TRIGGERED_TABLES = ("grants_outcomereturn", "grants_programmetarget")
_MEASURE_KEY = "(programme_id, measure_id, financial_year)"

_DELETE_MEASURES = "DELETE FROM grants_measureyeartotal WHERE {scope}"
_INSERT_MEASURES = (
    "INSERT INTO grants_measureyeartotal (programme_id, measure_id, financial_year, target_count, "
    "target_total, target_quarters, return_quarters, verified_total, submitted_total) "
    "SELECT k.programme_id, k.measure_id, k.financial_year, COALESCE(t.n, 0), COALESCE(t.total, 0), "
    "COALESCE(t.quarters, 0), COALESCE(r.quarters, 0), r.verified, r.submitted FROM ({keys}) k "
    "LEFT JOIN (SELECT programme_id, measure_id, financial_year, COUNT(*) AS n, SUM(target_value) AS total, "
    "SUM(1 << (quarter - 1)) AS quarters FROM grants_programmetarget WHERE {scope} "
    "GROUP BY programme_id, measure_id, financial_year) t ON t.programme_id = k.programme_id "
    "AND t.measure_id = k.measure_id AND t.financial_year = k.financial_year "
    "LEFT JOIN (SELECT programme_id, measure_id, financial_year, SUM(1 << (quarter - 1)) AS quarters, "
    "SUM(CASE WHEN status = {verified} THEN value END) AS verified, "
    "SUM(CASE WHEN status = {submitted} THEN value END) AS submitted FROM grants_outcomereturn "
    "WHERE {scope} GROUP BY programme_id, measure_id, financial_year) r ON r.programme_id = k.programme_id "
    "AND r.measure_id = k.measure_id AND r.financial_year = k.financial_year "
    "WHERE t.n IS NOT NULL OR r.quarters IS NOT NULL"
)
_DELETE_SPEND = "DELETE FROM grants_programmeyearspend WHERE {spend_scope}"
# A quarter's spend counts once, at the largest figure on its returns.
_INSERT_SPEND = (
    "INSERT INTO grants_programmeyearspend (programme_id, financial_year, verified_spend, counted_spend) "
    "SELECT q.programme_id, q.financial_year, SUM(q.verified), SUM(q.counted) FROM (SELECT programme_id, "
    "financial_year, MAX(CASE WHEN status = {verified} THEN spend END) AS verified, "
    "MAX(CASE WHEN status IN ({verified}, {submitted}) THEN spend END) AS counted FROM grants_outcomereturn "
    "WHERE {spend_scope} AND spend IS NOT NULL GROUP BY programme_id, financial_year, quarter) q "
    "GROUP BY q.programme_id, q.financial_year HAVING SUM(q.counted) IS NOT NULL"
)


def _refresh(*, keys: str, scope: str, spend_scope: str, with_spend: bool) -> list[str]:
    parts = {"keys": keys, "scope": scope, "spend_scope": spend_scope, "verified": _VERIFIED,
             "submitted": _SUBMITTED}  # fmt: skip
    statements = [_DELETE_MEASURES, _INSERT_MEASURES] + ([_DELETE_SPEND, _INSERT_SPEND] if with_spend else [])
    return [statement.format(**parts) for statement in statements]


# PostgreSQL: one function recomputes the keys given as arrays; per-statement triggers collect them.
_PG_KEYS = "SELECT * FROM unnest(p, m, y) AS k(programme_id, measure_id, financial_year)"
_PG_REFRESH = _refresh(
    keys=f"SELECT DISTINCT * FROM unnest(p, m, y) AS u{_MEASURE_KEY}",  # noqa: S608
    scope=f"{_MEASURE_KEY} IN ({_PG_KEYS})",
    spend_scope="(programme_id, financial_year) IN (SELECT * FROM unnest(p, y))",
    with_spend=True,
)
_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION grants_refresh_totals(p bigint[], m bigint[], y text[], with_spend boolean)
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    PERFORM 1 FROM grants_programme WHERE id = ANY(p) ORDER BY id FOR NO KEY UPDATE;
    {_PG_REFRESH[0]};
    {_PG_REFRESH[1]};
    IF with_spend THEN
        {_PG_REFRESH[2]};
        {_PG_REFRESH[3]};
    END IF;
END $$;

-- One key, the usual case (a return submitted or amended): the same sums with plans that stay
-- cached, and an upsert rather than a delete and insert; a third of the cost.
CREATE OR REPLACE FUNCTION grants_refresh_key(pid bigint, mid bigint, fy text, with_spend boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    tn integer; ttotal numeric; tq integer; rq integer; rv numeric; rs numeric; sv numeric; sc numeric;
BEGIN
    PERFORM 1 FROM grants_programme WHERE id = pid FOR NO KEY UPDATE;
    SELECT COUNT(*), COALESCE(SUM(target_value), 0), COALESCE(SUM(1 << (quarter - 1)), 0) INTO tn, ttotal, tq
    FROM grants_programmetarget WHERE programme_id = pid AND measure_id = mid AND financial_year = fy;
    SELECT COALESCE(SUM(1 << (quarter - 1)), 0), SUM(CASE WHEN status = {_VERIFIED} THEN value END),
        SUM(CASE WHEN status = {_SUBMITTED} THEN value END) INTO rq, rv, rs
    FROM grants_outcomereturn WHERE programme_id = pid AND measure_id = mid AND financial_year = fy;
    IF tn = 0 AND rq = 0 THEN
        DELETE FROM grants_measureyeartotal
        WHERE programme_id = pid AND measure_id = mid AND financial_year = fy;
    ELSE
        INSERT INTO grants_measureyeartotal (programme_id, measure_id, financial_year, target_count,
            target_total, target_quarters, return_quarters, verified_total, submitted_total)
        VALUES (pid, mid, fy, tn, ttotal, tq, rq, rv, rs)
        ON CONFLICT (programme_id, measure_id, financial_year) DO UPDATE SET
            target_count = EXCLUDED.target_count, target_total = EXCLUDED.target_total,
            target_quarters = EXCLUDED.target_quarters, return_quarters = EXCLUDED.return_quarters,
            verified_total = EXCLUDED.verified_total, submitted_total = EXCLUDED.submitted_total;
    END IF;
    IF with_spend THEN
        SELECT SUM(q.verified), SUM(q.counted) INTO sv, sc
        FROM (SELECT MAX(CASE WHEN status = {_VERIFIED} THEN spend END) AS verified,
                  MAX(CASE WHEN status IN ({_VERIFIED}, {_SUBMITTED}) THEN spend END) AS counted
              FROM grants_outcomereturn WHERE programme_id = pid AND financial_year = fy AND spend IS NOT NULL
              GROUP BY quarter) q;
        IF sc IS NULL THEN
            DELETE FROM grants_programmeyearspend WHERE programme_id = pid AND financial_year = fy;
        ELSE
            INSERT INTO grants_programmeyearspend
                (programme_id, financial_year, verified_spend, counted_spend) VALUES (pid, fy, sv, sc)
            ON CONFLICT (programme_id, financial_year) DO UPDATE SET
                verified_spend = EXCLUDED.verified_spend, counted_spend = EXCLUDED.counted_spend;
        END IF;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION grants_totals_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p bigint[];
    m bigint[];
    y text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(programme_id), array_agg(measure_id), array_agg(financial_year) INTO p, m, y
        FROM (SELECT DISTINCT programme_id, measure_id, financial_year FROM new_rows) k;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(programme_id), array_agg(measure_id), array_agg(financial_year) INTO p, m, y
        FROM (SELECT DISTINCT programme_id, measure_id, financial_year FROM old_rows) k;
    ELSE
        SELECT array_agg(programme_id), array_agg(measure_id), array_agg(financial_year) INTO p, m, y
        FROM (SELECT programme_id, measure_id, financial_year FROM old_rows
              UNION SELECT programme_id, measure_id, financial_year FROM new_rows) k;
    END IF;
    IF cardinality(p) = 1 THEN
        PERFORM grants_refresh_key(p[1], m[1], y[1], TG_TABLE_NAME = 'grants_outcomereturn');
    ELSIF p IS NOT NULL THEN
        PERFORM grants_refresh_totals(p, m, y, TG_TABLE_NAME = 'grants_outcomereturn');
    END IF;
    RETURN NULL;
END $$;
"""  # noqa: S608
_PG_TRANSITIONS = {
    "ins": ("INSERT", "NEW TABLE AS new_rows"),
    "upd": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "del": ("DELETE", "OLD TABLE AS old_rows"),
}


def _pg_statements() -> list[str]:
    statements = [_PG_FUNCTIONS]
    for table in TRIGGERED_TABLES:
        for suffix, (event, transitions) in _PG_TRANSITIONS.items():
            name = f"{table}_totals_{suffix}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transitions} "
                "FOR EACH STATEMENT EXECUTE FUNCTION grants_totals_after_change()"
            )
    return statements


# SQLite: per-row triggers recompute the key of the OLD and/or NEW row.
def _sqlite_refresh(row: str, *, with_spend: bool) -> str:
    statements = _refresh(
        keys=f"SELECT {row}.programme_id AS programme_id, {row}.measure_id AS measure_id, "
        f"{row}.financial_year AS financial_year",
        scope=f"programme_id = {row}.programme_id AND measure_id = {row}.measure_id "
        f"AND financial_year = {row}.financial_year",
        spend_scope=f"programme_id = {row}.programme_id AND financial_year = {row}.financial_year",
        with_spend=with_spend,
    )
    return "".join(f"{statement}; " for statement in statements)


def _sqlite_statements() -> list[str]:
    statements = []
    rows = {"ins": ("INSERT", ["NEW"]), "upd": ("UPDATE", ["OLD", "NEW"]), "del": ("DELETE", ["OLD"])}
    for table in TRIGGERED_TABLES:
        with_spend = table == "grants_outcomereturn"
        for suffix, (event, refreshed) in rows.items():
            name = f"{table}_totals_{suffix}"
            body = "".join(_sqlite_refresh(row, with_spend=with_spend) for row in refreshed)
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
            statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body}END")
    return statements


def _triggers() -> list[tuple[str, str]]:
    return [(f"{table}_totals_{suffix}", table) for table in TRIGGERED_TABLES for suffix in _PG_TRANSITIONS]


def trigger_names() -> list[str]:
    return [name for name, _ in _triggers()]


def install(connection=default_connection) -> None:
    """Create (or replace) the triggers; idempotent."""
    statements = _pg_statements() if connection.vendor == "postgresql" else _sqlite_statements()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for name, table in _triggers():
            on_table = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on_table}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS grants_totals_after_change()")
            cursor.execute("DROP FUNCTION IF EXISTS grants_refresh_totals(bigint[], bigint[], text[], bool)")
            cursor.execute("DROP FUNCTION IF EXISTS grants_refresh_key(bigint, bigint, text, bool)")


def installed_triggers(connection=default_connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname = ANY(%s) AND tgenabled <> 'D'", [trigger_names()]
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()} & set(trigger_names())


def rebuild(connection=default_connection) -> tuple[int, int]:
    """Recompute every total from the base tables (after a restore with triggers disabled, say).
    Returns the numbers of measure-year and programme-year rows written."""
    statements = _refresh(
        keys="SELECT programme_id, measure_id, financial_year FROM grants_programmetarget "
        "UNION SELECT programme_id, measure_id, financial_year FROM grants_outcomereturn",
        scope="1 = 1",
        spend_scope="1 = 1",
        with_spend=True,
    )
    counts = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # writers wait, rather than race the recount
            cursor.execute(f"LOCK TABLE {', '.join(TRIGGERED_TABLES)} IN SHARE MODE")
        for statement in statements:
            cursor.execute(statement)
            if statement.startswith("INSERT"):
                counts.append(cursor.rowcount)
    return counts[0], counts[1]


def ensure_installed(connection=default_connection) -> bool:
    """Reinstall any missing trigger and then rebuild the totals; True if that was needed. (On
    SQLite, a migration that remakes one of the tables drops its triggers with it.)"""
    tables = set(connection.introspection.table_names())
    if not {"grants_measureyeartotal", *TRIGGERED_TABLES} <= tables:
        return False
    if installed_triggers(connection) == set(trigger_names()):
        return False
    install(connection)
    rebuild(connection)
    return True


# --- reading the totals: the value-for-money engine's inputs ----------------------------------

# The engine's totals in SQL, from the per-year totals the database keeps (grants.totals). Only
# placeholders ("%s" lists), the ORM's own SQL for the programme sub-query and SQL fragments of
# this module are interpolated; every value is a query parameter.
_SCOPE = "s.programme_id IN ({ids}) AND s.financial_year IN ({years})"
# Quarters with a target that have ended and have no return of any status; each year's quarters
# are four bits (Q1 = 1), so the count is the four bits added up. {ended} is 15 (all four) or a
# CASE naming the years not yet over.
_GAP = "(s.target_quarters & ~s.return_quarters & {ended})"
_BITS = "((g & 1) + ((g >> 1) & 1) + ((g >> 2) & 1) + ((g >> 3) & 1))"
_ACHIEVED = {
    False: "s.verified_total",
    # NULL only where neither status has a return, as a SUM over the returns would be.
    True: "COALESCE(s.verified_total + s.submitted_total, s.verified_total, s.submitted_total)",
}
# Sums in double precision: the engine works in float64, and a float sum has a small fixed state
# where a numeric one grows (it spilled to disk over 10,000 programmes).
_MEASURES_SQL = (
    "SELECT programme_id, measure_id, SUM(target), SUM(achieved), SUM({bits}) FROM (SELECT s.programme_id, "
    "s.measure_id, s.target_count, CAST(s.target_total AS {real}) AS target, CAST({achieved} AS {real}) "
    "AS achieved, {gap} AS g FROM grants_measureyeartotal s WHERE {scope}) y "
    "GROUP BY programme_id, measure_id HAVING SUM(target_count) > 0 OR SUM(achieved) IS NOT NULL"
)
_SPEND_SQL = (
    "SELECT s.programme_id, SUM(CAST(s.{spend} AS {real})) FROM grants_programmeyearspend s "
    "WHERE {scope} GROUP BY s.programme_id HAVING COUNT(s.{spend}) > 0"
)


def engine_totals(
    programmes: QuerySet[Programme], *, years: list[str], today, include_submitted: bool
) -> tuple[list[tuple], list[tuple]]:
    """The value-for-money engine's totals for `programmes` over `years`, read from the kept totals
    in two grouped queries: rows of (programme, measure, target, achieved, missing returns) and of
    (programme, spend). `achieved` counts submitted returns too when include_submitted."""
    ids_sql, ids_params = programmes.order_by().values("id").query.sql_with_params()
    # Years not yet over, with the quarters of each that have ended.
    running = {year: ended for year in years if (ended := _ended_quarters(year, today)) != 0b1111}
    ended_sql = f"(CASE s.financial_year {' '.join(['WHEN %s THEN %s'] * len(running))} ELSE 15 END)"
    parts = {
        "real": "double precision" if default_connection.vendor == "postgresql" else "REAL",
        "scope": _SCOPE.format(ids=ids_sql, years=_placeholders(years)),
        "achieved": _ACHIEVED[include_submitted],
        "gap": _GAP.format(ended=ended_sql if running else "15"),
        "bits": _BITS,
        "spend": "counted_spend" if include_submitted else "verified_spend",
    }
    scope_params = [*ids_params, *years]
    with default_connection.cursor() as cursor:
        ended_params = [value for item in running.items() for value in item]
        cursor.execute(_MEASURES_SQL.format(**parts), [*ended_params, *scope_params])
        measure_rows = cursor.fetchall()
        cursor.execute(_SPEND_SQL.format(**parts), scope_params)
        spend_rows = cursor.fetchall()
    return measure_rows, spend_rows


def _ended_quarters(year: str, today) -> int:
    """The year's quarters that ended before `today`, as four bits."""
    return sum(1 << (quarter - 1) for quarter in (1, 2, 3, 4) if Quarter.of(year, quarter).end < today)


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))
