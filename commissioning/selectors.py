"""Reads for review rounds: the programmes in a round, the engine's inputs (one query per
table), and the figures shaped for pages, the API and exports."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.db import connection, connections
from django.db.models import FloatField, Prefetch, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from commissioning import vfm
from commissioning.models import Criterion, Decision, ReviewRound, Score
from grants.models import Programme, ProgrammePriority
from outcomes.models import EvidenceGrade, OutcomeMeasure
from outcomes.periods import FinancialYear, Quarter

PENNY = Decimal("0.01")


def round_programmes(review_round: ReviewRound) -> QuerySet[Programme]:
    """Programmes running in the round's period, narrowed by its streams and priorities."""
    first = FinancialYear.parse(review_round.first_year)
    last = FinancialYear.parse(review_round.last_year)
    programmes = Programme.objects.filter(start_date__lte=last.end, end_date__gte=first.start)
    stream_ids = list(review_round.funding_streams.values_list("id", flat=True))
    if stream_ids:
        programmes = programmes.filter(funding_stream_id__in=stream_ids)
    priority_ids = list(review_round.priorities.values_list("id", flat=True))
    if priority_ids:
        programmes = programmes.filter(programme_priorities__priority_id__in=priority_ids).distinct()
    return programmes.order_by("reference")


def vfm_inputs(review_round: ReviewRound, *, today=None) -> vfm.VfmInputs:
    criteria = _frame(
        Criterion.objects.filter(review_round=review_round).values("id", "weight"),
        {"id": "criterion_id"},
        columns=["criterion_id", "weight"],
        numeric=["weight"],
    )
    scores = _frame(
        Score.objects.filter(review_round=review_round).values(
            "programme_id", "criterion_id", "commissioner_id", "score"
        ),
        {},
        columns=["programme_id", "criterion_id", "commissioner_id", "score"],
    )
    return portfolio_vfm_inputs(
        round_programmes(review_round),
        first_year=review_round.first_year,
        last_year=review_round.last_year,
        include_submitted=review_round.include_submitted,
        scores=scores,
        criteria=criteria,
        today=today,
    )


def portfolio_vfm_inputs(
    programmes: QuerySet[Programme],
    *,
    first_year: str,
    last_year: str,
    include_submitted: bool = False,
    scores: pd.DataFrame | None = None,
    criteria: pd.DataFrame | None = None,
    today=None,
) -> vfm.VfmInputs:
    """The engine's inputs for any set of programmes over financial years first_year to last_year
    (a review round, a funding stream, a financial year), one query per table."""
    first = FinancialYear.parse(first_year)
    last = FinancialYear.parse(last_year)
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(first.start_year, last.start_year + 1)]
    extra = {} if scores is None else {"scores": scores, "criteria": criteria}
    today = today or timezone.localdate()
    return vfm.VfmInputs(
        programmes=programme_frame(programmes),
        measures=measure_frame(),
        targets=pd.DataFrame(columns=["programme_id", "measure_id", "financial_year", "quarter", "target"]),
        returns=pd.DataFrame(columns=["programme_id", "measure_id", "financial_year", "quarter", "value"]),
        period_start=first.start,
        period_end=last.end,
        today=today,
        include_submitted=include_submitted,
        default_optimism_bias=_cautious_bias(),
        totals=vfm_totals(programmes, years=years, today=today, include_submitted=include_submitted),
        **extra,
    )


# The engine's totals in SQL. Only placeholders ("%s" lists), the ORM's own SQL for the
# programme sub-query and SQL fragments of this module are interpolated; every value is a
# query parameter.
_SCOPE = "{t}.programme_id IN ({ids}) AND {t}.financial_year IN ({years})"
# Each quarter of the period as one bit (2009/10 Q1 = bit 0, Q2 = bit 1, ...): per programme and
# measure, the quarters with a target and those with a return, so that missing returns come from
# the two grouped queries already made rather than from an anti join of both tables.
_QUARTER_BIT = "(CAST(SUBSTR({t}.financial_year, 1, 4) AS INTEGER) - %s) * 4 + {t}.quarter - 1"
_MAX_MASK_YEARS = 15  # 60 bits in a signed 64-bit integer
_TOTALS_SQL = {
    "targets": "SELECT t.programme_id, t.measure_id, CAST(SUM(t.target_value) AS {real}), {mask_t} "
    "FROM grants_programmetarget t WHERE {scope_t} GROUP BY t.programme_id, t.measure_id",
    "achieved": "SELECT r.programme_id, r.measure_id, "
    "CAST(SUM(CASE WHEN r.status IN ({statuses}) THEN r.value END) AS {real}), {mask_r} "
    "FROM grants_outcomereturn r WHERE {scope_r} GROUP BY r.programme_id, r.measure_id",
    # A programme-quarter's spend counts once: the largest figure on its returns.
    "spend": "SELECT q.programme_id, CAST(SUM(q.spend) AS {real}) FROM (SELECT r.programme_id, "
    "MAX(r.spend) AS spend FROM grants_outcomereturn r WHERE {scope_r} AND r.status IN ({statuses}) "
    "AND r.spend IS NOT NULL GROUP BY r.programme_id, r.financial_year, r.quarter) q GROUP BY q.programme_id",
}
# Periods longer than the masks hold: missing returns by an anti join instead.
_MISSING_SQL = (
    "SELECT t.programme_id, COUNT(*) FROM grants_programmetarget t WHERE {scope_t} AND ({ended}) "
    "AND NOT EXISTS (SELECT 1 FROM grants_outcomereturn r WHERE r.programme_id = t.programme_id "
    "AND r.measure_id = t.measure_id AND r.financial_year = t.financial_year AND r.quarter = t.quarter) "
    "GROUP BY t.programme_id"
)


def vfm_totals(programmes: QuerySet[Programme], *, years: list[str], today, include_submitted: bool):
    """The engine's totals summed in the database in three grouped queries, so that no return
    row crosses into Python (vfm.totals_from_rows is the same computation in pandas; a test
    holds the two equal)."""
    ids_sql, ids_params = programmes.order_by().values("id").query.sql_with_params()
    statuses = ["verified", "submitted"] if include_submitted else ["verified"]
    first_year = int(years[0][:4])
    masks = len(years) <= _MAX_MASK_YEARS
    parts = {
        "real": "double precision" if connection.vendor == "postgresql" else "REAL",
        "scope_t": _SCOPE.format(t="t", ids=ids_sql, years=_placeholders(years)),
        "scope_r": _SCOPE.format(t="r", ids=ids_sql, years=_placeholders(years)),
        "statuses": _placeholders(statuses),
        "mask_t": _mask("t") if masks else "0",
        "mask_r": _mask("r") if masks else "0",
    }
    scope_params = [*ids_params, *years]
    mask_params = [first_year] if masks else []
    params = {
        "targets": [*mask_params, *scope_params],
        "achieved": [*statuses, *mask_params, *scope_params],
        "spend": [*scope_params, *statuses],
    }
    rows = {}
    with connection.cursor() as cursor:
        for name, template in _TOTALS_SQL.items():
            cursor.execute(template.format(**parts), params[name])
            rows[name] = cursor.fetchall()
        if not masks:
            ended_sql, ended_params = _ended_quarters(years, today)
            with _hash_anti_join(cursor):
                cursor.execute(_MISSING_SQL.format(**parts, ended=ended_sql), [*scope_params, *ended_params])
                missing_rows = cursor.fetchall()
    frame = pd.DataFrame.from_records
    keys = ["programme_id", "measure_id"]
    targets = frame(rows["targets"], columns=[*keys, "target", "target_mask"])
    returned = frame(rows["achieved"], columns=[*keys, "achieved", "return_mask"])
    if masks:
        missing_rows = _missing_from_masks(targets, returned, _ended_mask(years, today))
    # Returns with no counted status sum to NULL: they count as absent, as in the pandas path.
    counted = returned.dropna(subset=["achieved"])
    per_measure = targets[[*keys, "target"]].merge(counted[[*keys, "achieved"]], on=keys, how="outer")
    return vfm.VfmTotals(
        per_measure=per_measure.fillna({"target": 0.0, "achieved": 0.0}),
        spend=frame(rows["spend"], columns=["programme_id", "spend"]),
        missing=frame(missing_rows, columns=["programme_id", "missing_returns"]).astype("int64"),
    )


def _mask(alias: str) -> str:
    bit = _QUARTER_BIT.format(t=alias)
    # Keys are unique per programme, measure and quarter, so a sum of distinct bits is their OR.
    if connection.vendor == "postgresql":
        return f"BIT_OR(CAST(1 AS BIGINT) << ({bit}))"
    return f"SUM(1 << ({bit}))"


def _ended_mask(years: list[str], today) -> int:
    ended = 0
    for offset, year in enumerate(years):
        for quarter in (1, 2, 3, 4):
            if Quarter.of(year, quarter).end < today:
                ended |= 1 << (offset * 4 + quarter - 1)
    return ended


def _missing_from_masks(targets: pd.DataFrame, returned: pd.DataFrame, ended: int) -> list[tuple[int, int]]:
    """Per programme, the ended target quarters with no return of any status."""
    keys = ["programme_id", "measure_id"]
    both = targets[[*keys, "target_mask"]].merge(returned[[*keys, "return_mask"]], on=keys, how="left")
    counts: dict[int, int] = {}
    for programme_id, target_mask, return_mask in both[
        ["programme_id", "target_mask", "return_mask"]
    ].itertuples(index=False):
        gap = int(target_mask) & ended & ~int(0 if pd.isna(return_mask) else return_mask)
        if gap:
            counts[programme_id] = counts.get(programme_id, 0) + gap.bit_count()
    return list(counts.items())


@contextmanager
def _hash_anti_join(cursor):
    """PostgreSQL estimates the missing-returns anti join at one row and probes the returns
    index once per target (0.8 s for 600,000 targets); a hash anti join takes half that."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET enable_nestloop = off")
    try:
        yield
    finally:
        cursor.execute("RESET enable_nestloop")


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _ended_quarters(years: list[str], today) -> tuple[str, list]:
    """SQL (on alias t) matching the target quarters among `years` that ended before `today`."""
    ended = [(y, q) for y in years for q in (1, 2, 3, 4) if Quarter.of(y, q).end < today]
    if not ended:
        return "1 = 0", []
    by_year: dict[str, int] = {}
    for year, quarter in ended:
        by_year[year] = max(by_year.get(year, 0), quarter)
    clauses = " OR ".join("(t.financial_year = %s AND t.quarter <= %s)" for _ in by_year)
    return clauses, [value for item in by_year.items() for value in item]


def programme_frame(programmes: QuerySet[Programme]) -> pd.DataFrame:
    rows = programmes.values(
        "id",
        "reference",
        "title",
        "provider__name",
        "funding_stream__name",
        "award_amount",
        "start_date",
        "end_date",
        "evidence_grade__optimism_bias",
        "attribution",
    )
    frame = _frame(
        rows,
        {
            "id": "programme_id",
            "provider__name": "provider",
            "funding_stream__name": "funding_stream",
            "award_amount": "award",
            "evidence_grade__optimism_bias": "optimism_bias",
        },
        numeric=["award", "optimism_bias", "attribution"],
        columns=[
            "programme_id",
            "reference",
            "title",
            "provider",
            "funding_stream",
            "award",
            "start_date",
            "end_date",
            "optimism_bias",
            "attribution",
        ],
    )
    primary = dict(
        ProgrammePriority.objects.filter(is_primary=True, programme__in=programmes.values("id")).values_list(
            "programme_id", "priority__name"
        )
    )
    frame["primary_priority"] = frame["programme_id"].map(primary)
    return frame


def measure_frame() -> pd.DataFrame:
    rows = OutcomeMeasure.objects.values(
        "id", "name", "polarity", "unit_cost", "deadweight", "attribution", "theme__slug"
    )
    return _frame(
        rows,
        {"id": "measure_id", "name": "measure", "theme__slug": "theme"},
        numeric=["unit_cost", "deadweight", "attribution"],
        columns=["measure_id", "measure", "polarity", "unit_cost", "deadweight", "attribution", "theme"],
    )


def round_vfm(review_round: ReviewRound, *, today=None) -> vfm.VfmResult:
    return vfm.compute(vfm_inputs(review_round, today=today))


def vfm_rows(result: vfm.VfmResult) -> list[dict]:
    """The ranked table as plain values: money in Decimal pence, ratios rounded."""
    rows = []
    for record in result.programmes.to_dict("records"):
        rows.append(
            {
                "rank": int(record["rank"]),
                "programme": int(record["programme_id"]),
                "reference": record["reference"],
                "title": record["title"],
                "provider": record["provider"],
                "funding_stream": record["funding_stream"],
                "primary_priority": record["primary_priority"]
                if isinstance(record["primary_priority"], str)
                else None,
                "award": money(record["award"]),
                "cost": money(record["cost"]),
                "cost_estimated": bool(record["cost_estimated"]),
                "outcomes": _round(record["outcomes"], 2),
                "achievement": _round(record["achievement"], 4),
                "benefit": money(record["benefit"]),
                "bcr": _round(record["bcr"], 2),
                "bcr_band": record["bcr_band"],
                "worklessness_share": _round(record["worklessness_share"], 4),
                "composite_score": _round(record["composite_score"], 1),
                "mean_score": _round(record["mean_score"], 2),
                "spread": _round(record["spread"], 0),
                "scorers": int(record["scorers"]),
                "missing_returns": int(record["missing_returns"]),
                "flags": list(record["flags"]),
            }
        )
    return rows


def measure_rows(result: vfm.VfmResult, programme_id: int) -> list[dict]:
    frame = result.measures[result.measures["programme_id"] == programme_id]
    return [
        {
            "measure": r["measure"],
            "polarity": r["polarity"],
            "target": _round(r["target"], 2),
            "achieved": _round(r["achieved"], 2),
            "achievement": _round(r["achievement"], 4),
            "cost_per_outcome": money(r["cost_per_outcome"]),
            "benefit": money(r["benefit"]),
        }
        for r in frame.sort_values("measure").to_dict("records")
    ]


def portfolio_breakdown(result: vfm.VfmResult, by: str) -> list[dict]:
    """Cost and benefit summed by primary_priority, funding_stream or provider."""
    frame = result.programmes
    grouped = frame.groupby(frame[by].fillna("Not recorded"))[["cost", "benefit", "award"]].sum()
    grouped["programmes"] = frame.groupby(frame[by].fillna("Not recorded")).size()
    rows = []
    for name, r in grouped.sort_values("cost", ascending=False).iterrows():
        bcr = r["benefit"] / r["cost"] if r["cost"] > 0 else None
        rows.append(
            {
                "name": name,
                "programmes": int(r["programmes"]),
                "award": money(r["award"]),
                "cost": money(r["cost"]),
                "benefit": money(r["benefit"]),
                "bcr": _round(bcr, 2),
            }
        )
    return rows


def theme_breakdown(result: vfm.VfmResult) -> list[dict]:
    """Cost and benefit by cross-cutting theme: a programme counts under each of its themes."""
    ids = result.programmes["programme_id"].tolist()
    links = pd.DataFrame.from_records(
        Programme.themes.through.objects.filter(programme_id__in=ids).values("programme_id", "theme__name"),
        columns=["programme_id", "theme__name"],
    )
    joined = links.merge(result.programmes[["programme_id", "cost", "benefit", "award"]], on="programme_id")
    joined = joined.rename(columns={"theme__name": "theme"})
    if joined.empty:
        return []
    return portfolio_breakdown(vfm.VfmResult(programmes=joined, measures=result.measures), "theme")


def round_detail(pk: int) -> ReviewRound:
    return ReviewRound.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")),
        "funding_streams",
        "priorities",
    ).get(pk=pk)


def decisions_for(review_round: ReviewRound) -> dict[int, Decision]:
    return {d.programme_id: d for d in review_round.decisions.select_related("decided_by")}


def money(value) -> Decimal | None:
    if value is None or pd.isna(value):
        return None
    return Decimal(repr(float(value))).quantize(PENNY, rounding=ROUND_HALF_UP)


def _round(value, places: int):
    if value is None or pd.isna(value):
        return None
    return round(float(value), places)


def _frame(rows, renames: dict, *, columns: list[str], numeric=()) -> pd.DataFrame:
    """A values() queryset as a DataFrame in one query, renamed to the engine's column names.

    Rows come straight from the cursor as tuples (no model or dict per row), and numeric
    columns are cast to double precision in SQL, because the engine works in float64 anyway."""
    inverse = {new: old for old, new in renames.items()}
    fields = [inverse.get(c, c) for c in columns]
    casts = {f"_{name}": Cast(inverse.get(name, name), FloatField()) for name in numeric}
    query = rows.annotate(**casts).values_list(
        *[f"_{c}" if c in numeric else f for f, c in zip(fields, columns, strict=True)]
    )
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    return pd.DataFrame.from_records(records, columns=columns)


def _cautious_bias() -> float:
    """Programmes with no evidence grade take the largest optimism bias of any grade."""
    biases = EvidenceGrade.objects.values_list("optimism_bias", flat=True)
    return float(max(biases, default=Decimal("0.6")))
