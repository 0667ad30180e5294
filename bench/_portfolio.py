"""Bulk data for the benchmarks: targets and verified returns for every programme, measure and
quarter, written with PostgreSQL's COPY (deterministic)."""

import io

from outcomes.periods import Quarter


def copy_targets_and_returns(
    programme_ids: list[int],
    measures: list,
    years: list[str],
    *,
    user_id: int,
    spend_base: int,
    submitted_at: str,
) -> None:
    """A target of 8 and a verified return per programme, measure and quarter of `years`; the
    first measure's returns carry the quarter's spend."""
    from django.db import connection

    quarters = [Quarter.of(y, q) for y in years for q in (1, 2, 3, 4)]
    targets, returns = io.StringIO(), io.StringIO()
    for index, pid in enumerate(programme_ids):
        for m, measure in enumerate(measures):
            for qi, quarter in enumerate(quarters):
                fy, q = quarter.financial_year.label, quarter.number
                value = 5 + (index + m + qi) % 7
                spend = "\\N" if m else f"{spend_base + (index % 50) * 10}.00"
                targets.write(f"{pid}\t{measure.pk}\t{fy}\t{q}\t8\t\\N\n")
                returns.write(f"{pid}\t{measure.pk}\t{fy}\t{q}\t{value}\t{spend}\t\tverified\t1\tf\t"
                              f"{user_id}\t{submitted_at}\t\\N\t\\N\t\tf\n")  # fmt: skip
    with connection.cursor() as cursor:
        with cursor.copy("COPY grants_programmetarget (programme_id, measure_id, financial_year, quarter, target_value, "
                         "tariff) FROM STDIN") as copy:  # fmt: skip
            copy.write(targets.getvalue())
        with cursor.copy("COPY grants_outcomereturn (programme_id, measure_id, financial_year, quarter, value, spend, "
                         "notes, status, revision, is_late, submitted_by_id, submitted_at, reviewed_by_id, reviewed_at, "
                         "query_reason, high_value_confirmed) FROM STDIN") as copy:  # fmt: skip
            copy.write(returns.getvalue())
        cursor.execute("VACUUM ANALYZE")
