"""Reads for review rounds: the programmes in a round, the engine's inputs (one query per
table), and the figures shaped for pages, the API and exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.db import connections
from django.db.models import FloatField, Prefetch, QuerySet
from django.db.models.functions import Cast

from claims.selectors import figures as claim_figures
from commissioning import greenbook, valuation, vfm
from commissioning.models import ConflictOfInterest, Criterion, Decision, ReviewRound, Score
from commissioning.permissions import Action, has_permission
from core import clock
from core.errors import NotFound
from grants import totals
from grants.models import Programme, ProgrammePriority
from outcomes.models import DeflatorSeries, EvidenceGrade, OutcomeMeasure
from outcomes.periods import FinancialYear, year_labels

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


@dataclass(frozen=True)
class RoundProgress:
    """How far a round has got: its programmes, those no commissioner has scored on any criterion,
    and those without a decision (shown before the round is closed)."""

    programmes: int
    unscored: int
    undecided: int

    @property
    def complete(self) -> bool:
        return not (self.unscored or self.undecided)


def round_progress(review_round: ReviewRound) -> RoundProgress:
    """The round's progress in three counting queries."""
    programmes = round_programmes(review_round).order_by()
    scored = Score.objects.filter(review_round=review_round).values("programme_id")
    decided = Decision.objects.filter(review_round=review_round).values("programme_id")
    return RoundProgress(
        programmes=programmes.count(),
        unscored=programmes.exclude(pk__in=scored).count(),
        undecided=programmes.exclude(pk__in=decided).count(),
    )


def round_status_history(review_round: ReviewRound) -> list[dict]:
    """When the round was created, opened, closed and reopened, by whom, with any reason given."""
    labels = dict(ReviewRound.Status.choices)
    entries, previous = [], None
    records = review_round.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if record.status != previous:
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.get_username() if record.history_user else "system",
                    "status": labels.get(record.status, record.status),
                    "reopened": previous == ReviewRound.Status.CLOSED,
                    "reason": (record.history_change_reason or "").removeprefix("Reopened: "),
                }
            )
        previous = record.status
    return entries


def vfm_inputs(
    review_round: ReviewRound, *, today=None, programmes: QuerySet[Programme] | None = None
) -> vfm.VfmInputs:
    """The engine's inputs for a round (`programmes`: its round_programmes, if already at hand)."""
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
        round_programmes(review_round) if programmes is None else programmes,
        first_year=review_round.first_year,
        last_year=review_round.last_year,
        include_submitted=review_round.include_submitted,
        scores=scores,
        criteria=criteria,
        today=today,
        price_year=round_price_year(review_round),
        deflator_series=review_round.deflator_series,
    )


def deflator_series_choices() -> list[tuple[int, str]]:
    """The GDP deflator series a round can be uprated with, newest first (the default)."""
    return list(DeflatorSeries.objects.order_by("-loaded_at", "-id").values_list("id", "name"))


def round_price_year(review_round: ReviewRound) -> str:
    """The price year a round's benefits are shown in: its own, else its first year."""
    return review_round.price_year or review_round.first_year


def portfolio_vfm_inputs(
    programmes: QuerySet[Programme],
    *,
    first_year: str,
    last_year: str,
    include_submitted: bool = False,
    scores: pd.DataFrame | None = None,
    criteria: pd.DataFrame | None = None,
    today=None,
    price_year: str | None = None,
    deflator_series=None,
) -> vfm.VfmInputs:
    """The engine's inputs for any set of programmes over financial years first_year to last_year
    (a review round, a funding stream, a financial year), one query per table. Values are in
    `price_year`'s prices (default: first_year), uprated with `deflator_series` (default: the
    newest loaded)."""
    first = FinancialYear.parse(first_year)
    last = FinancialYear.parse(last_year)
    years = year_labels(first_year, last_year)
    extra = {} if scores is None else {"scores": scores, "criteria": criteria}
    today = today or clock.today()
    basis = valuation.price_basis(price_year or first_year, deflator_series)
    # Programmes with no evidence grade take the largest optimism bias of any grade; a measured
    # impact takes the bias of the grade that stands for its method.
    grades = list(EvidenceGrade.objects.values_list("method", "optimism_bias"))
    biases = {method: float(bias) for method, bias in grades if method}
    programme_table = programme_frame(programmes)
    return vfm.VfmInputs(
        programmes=programme_table,
        measures=measure_frame(),
        values=valuation.measure_values(basis),
        impacts=valuation.impact_frame(programme_table["programme_id"].astype(int).tolist(), biases),
        price_year=basis.price_year,
        deflator_series=basis.series_name,
        period_start=first.start,
        period_end=last.end,
        today=today,
        include_submitted=include_submitted,
        default_optimism_bias=float(max((bias for _, bias in grades), default=Decimal("0.6"))),
        totals=vfm_totals(programmes, years=years, today=today, include_submitted=include_submitted),
        **extra,
    )


def vfm_totals(programmes: QuerySet[Programme], *, years: list[str], today, include_submitted: bool):
    """The engine's totals from the per-year totals the database keeps (grants.totals.engine_totals):
    two grouped queries, no return row read (a test holds them equal to the same computation in
    pandas over every row, tests/commissioning/oracle.py)."""
    measure_rows, spend_rows = totals.engine_totals(
        programmes, years=years, today=today, include_submitted=include_submitted
    )
    keys = ["programme_id", "measure_id"]
    columns = [*keys, "target", "achieved", "missing_returns"]
    measures = pd.DataFrame.from_records(measure_rows, columns=columns)
    measures = _claimed_outcomes(measures, programmes, years=years, include_submitted=include_submitted)
    measures = measures.astype({"target": float, "achieved": float})
    spend = pd.DataFrame.from_records(spend_rows, columns=["programme_id", "spend"])
    missing = measures.groupby("programme_id", as_index=False)["missing_returns"].sum()
    return vfm.VfmTotals(
        per_measure=measures[[*keys, "target", "achieved"]].fillna({"achieved": 0.0}),
        spend=spend.astype({"spend": float}),
        missing=missing[missing["missing_returns"] > 0].astype("int64").reset_index(drop=True),
    )


def _claimed_outcomes(
    measures: pd.DataFrame, programmes: QuerySet[Programme], *, years: list[str], include_submitted: bool
) -> pd.DataFrame:
    """Measures a programme pays per participant claim count its claims (the claims ledger), not
    returns: verified and paid claims achieved in the years (submitted too if the round counts
    them), and no missing returns, as none are expected."""
    start, end = FinancialYear.parse(years[0]).start, FinancialYear.parse(years[-1]).end
    pairs, counts = claim_figures.claim_outcome_counts(
        programmes, start=start, end=end, include_submitted=include_submitted
    )
    if not pairs:
        return measures
    keyed = list(zip(measures["programme_id"], measures["measure_id"], strict=True))
    claimed = pd.Series([key in pairs for key in keyed], index=measures.index, dtype=bool)
    measures = measures.copy()
    measures.loc[claimed, "achieved"] = [float(counts.get(key, 0)) for key in keyed if key in pairs]
    measures.loc[claimed, "missing_returns"] = 0
    present = set(keyed)
    extra = [(p, m, 0.0, float(n), 0) for (p, m), n in counts.items() if (p, m) not in present]
    if extra:
        measures = pd.concat([measures, pd.DataFrame.from_records(extra, columns=measures.columns)])
    return measures.reset_index(drop=True)


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


MEASURE_ASSUMPTIONS = [
    "persistence_years",
    "drop_off",
    *(
        f"{name}_{end}"
        for name in ("deadweight", "attribution", "optimism_bias", "persistence")
        for end in ("low", "high")
    ),
]


def measure_frame() -> pd.DataFrame:
    rows = OutcomeMeasure.objects.values(
        "id",
        "name",
        "polarity",
        "unit_cost",
        "deadweight",
        "attribution",
        "theme__slug",
        *MEASURE_ASSUMPTIONS,
    )
    numeric = ["unit_cost", "deadweight", "attribution", *MEASURE_ASSUMPTIONS]
    return _frame(
        rows,
        {"id": "measure_id", "name": "measure", "theme__slug": "theme"},
        numeric=numeric,
        columns=["measure_id", "measure", "polarity", "unit_cost", "deadweight", "attribution", "theme",
                 *MEASURE_ASSUMPTIONS],
    )  # fmt: skip


def round_vfm(review_round: ReviewRound, *, today=None) -> vfm.VfmResult:
    return vfm.compute(vfm_inputs(review_round, today=today))


def programme_vfm_row(review_round: ReviewRound, programme: Programme) -> dict | None:
    """One programme's row as the round's table shows it, computed for that programme alone
    (after a score is saved): every figure but its rank, which needs the whole round."""
    programmes = round_programmes(review_round).filter(pk=programme.pk)
    rows = vfm_rows(vfm.compute(vfm_inputs(review_round, programmes=programmes)))
    return rows[0] if rows else None


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
                "fiscal_benefit": money(record["fiscal_benefit"]),
                "economic_benefit": money(record["economic_benefit"]),
                "social_benefit": money(record["social_benefit"]),
                "transfers": money(record["transfers"]),
                "fiscal_return": _round(record["fiscal_return"], 2),
                "bcr": _round(record["bcr"], 2),
                "bcr_low": _round(record["bcr_low"], 2),
                "bcr_high": _round(record["bcr_high"], 2),
                "bcr_ci_low": _round(record["bcr_ci_low"], 2),
                "bcr_ci_high": _round(record["bcr_ci_high"], 2),
                "measured": bool(record["measured"]),
                "bcr_band": record["bcr_band"],
                "worklessness_share": _round(record["worklessness_share"], 4),
                "composite_score": _round(record["composite_score"], 1),
                "mean_score": _round(record["mean_score"], 2),
                "spread": _round(record["spread"], 0),
                "scorers": int(record["scorers"]),
                "criteria_scored": int(record["criteria_scored"]),
                "criteria_total": int(record["criteria_total"]),
                "composite_partial": bool(record["composite_partial"]),
                "missing_returns": int(record["missing_returns"]),
                "flags": list(record["flags"]),
            }
        )
    return rows


def measure_rows(result: vfm.VfmResult, programme_id: int) -> list[dict]:
    frame = result.measures[result.measures["programme_id"] == programme_id]
    return [_measure_row(r) for r in frame.sort_values("measure").to_dict("records")]


def measure_rows_by_programme(result: vfm.VfmResult) -> dict[int, list[dict]]:
    """measure_rows for every programme at once."""
    out: dict[int, list[dict]] = defaultdict(list)
    if result.measures.empty:
        return out
    for r in result.measures.sort_values(["programme_id", "measure"]).to_dict("records"):
        out[int(r["programme_id"])].append(_measure_row(r))
    return out


def _measure_row(r: dict) -> dict:
    return {
        "measure": r["measure"],
        "polarity": r["polarity"],
        "target": _round(r["target"], 2),
        "achieved": _round(r["achieved"], 2),
        "achievement": _round(r["achievement"], 4),
        "cost_per_outcome": money(r["cost_per_outcome"]),
        "benefit": money(r["benefit"]),
        "fiscal_benefit": money(r["fiscal_benefit"]),
        "net_outcomes": _round(r["net_outcomes"], 2),
        "persistence_years": int(r["persistence_years"]),
        "measured": bool(r["measured"]),
        "effect": _round(r["effect"], 4),
        "effect_low": _round(r["low"], 4),
        "effect_high": _round(r["high"], 4),
        "cohort": None if pd.isna(r["cohort"]) else int(r["cohort"]),
        "method": r["method"] if isinstance(r["method"], str) else None,
        "report_id": None if pd.isna(r["report_id"]) else int(r["report_id"]),
    }


def agency_rows(result: vfm.VfmResult, programme_id: int | None = None) -> list[dict]:
    """Fiscal benefit by agency, largest first: one programme's, or the portfolio's (summed over
    its programmes). Transfers (benefit payments saved) are part of each agency's fiscal benefit
    and shown apart; they are not in public value."""
    frame = result.agencies
    if programme_id is not None:
        frame = frame[frame["programme_id"] == programme_id]
    if frame.empty:
        return []
    grouped = frame.groupby("agency")[["fiscal", "transfers"]].sum()
    return _agency_lines(
        zip(grouped.index, grouped["fiscal"].to_numpy(), grouped["transfers"].to_numpy(), strict=True)
    )


def agency_rows_by_programme(result: vfm.VfmResult) -> dict[int, list[dict]]:
    """agency_rows for every programme at once (one group-by, not one filter per programme)."""
    frame = result.agencies
    if frame.empty:
        return {}
    grouped = frame.groupby(["programme_id", "agency"])[["fiscal", "transfers"]].sum()
    lines: dict[int, list] = defaultdict(list)
    for (pid, agency), fiscal, transfers in zip(
        grouped.index, grouped["fiscal"].to_numpy(), grouped["transfers"].to_numpy(), strict=True
    ):
        lines[int(pid)].append((agency, fiscal, transfers))
    return {pid: _agency_lines(by_agency) for pid, by_agency in lines.items()}


def _agency_lines(by_agency) -> list[dict]:
    """(agency, fiscal, transfers) in agency order -> the rows, largest fiscal benefit first (ties
    in agency order, as the stable sort of a group-by's sums), each with its share of the total."""
    ordered = sorted(by_agency, key=lambda line: -line[1])  # sums of a group-by: never NaN
    total = float(sum(line[1] for line in ordered))
    return [
        {
            "agency": agency,
            "fiscal": money(fiscal),
            "transfers": money(transfers),
            "share": _round(fiscal / total, 4) if total else None,
        }
        for agency, fiscal, transfers in ordered
    ]


def sensitivity_rows(result: vfm.VfmResult, programme_id: int | None = None) -> list[dict]:
    """The tornado: BCR with each assumption alone at the ends of its range, the one that moves it
    most first; for one programme or the portfolio (benefits and costs summed). Assumptions
    that do not move it are left out."""
    tornado = result.sensitivity
    programmes = result.programmes
    if programme_id is not None:
        tornado = tornado[tornado["programme_id"] == programme_id]
        central = programmes.loc[programmes["programme_id"] == programme_id, "bcr"]
        central = float(central.iloc[0]) if len(central) else float("nan")
    else:
        cost = programmes.set_index("programme_id")["cost"]
        if tornado.empty or cost.sum() <= 0:
            return []
        tornado = tornado.assign(
            benefit_low=tornado["bcr_low"] * tornado["programme_id"].map(cost),
            benefit_high=tornado["bcr_high"] * tornado["programme_id"].map(cost),
        )
        sums = tornado.groupby("assumption", sort=False)[["benefit_low", "benefit_high"]].sum()
        tornado = pd.DataFrame(
            {
                "assumption": sums.index,
                "bcr_low": sums["benefit_low"].to_numpy() / cost.sum(),
                "bcr_high": sums["benefit_high"].to_numpy() / cost.sum(),
            }
        )
        tornado["swing"] = (tornado["bcr_high"] - tornado["bcr_low"]).abs()
        central = float(programmes["benefit"].sum() / cost.sum())
    return _tornado_lines(tornado.to_dict("records"), central)


def sensitivity_rows_by_programme(result: vfm.VfmResult) -> dict[int, list[dict]]:
    """sensitivity_rows for every programme at once (one pass, not one filter per programme)."""
    tornado, programmes = result.sensitivity, result.programmes
    if tornado.empty:
        return {}
    central = dict(zip(programmes["programme_id"].astype(int), programmes["bcr"].astype(float), strict=True))
    records: dict[int, list[dict]] = defaultdict(list)
    for r in tornado.to_dict("records"):
        records[int(r["programme_id"])].append(r)
    return {pid: _tornado_lines(lines, central.get(pid, float("nan"))) for pid, lines in records.items()}


def _tornado_lines(records: list[dict], central: float) -> list[dict]:
    rows = []
    order = list(greenbook.ASSUMPTIONS)
    for r in records:
        if pd.isna(r["swing"]) or round(float(r["swing"]), 4) == 0:
            continue
        rows.append(
            {
                "assumption": r["assumption"],
                "label": greenbook.ASSUMPTIONS[r["assumption"]],
                "bcr_low": _round(r["bcr_low"], 2),
                "bcr_high": _round(r["bcr_high"], 2),
                "swing": _round(r["swing"], 2),
                "central": _round(central, 2),
            }
        )
    return sorted(rows, key=lambda r: (-r["swing"], order.index(r["assumption"])))


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


ROUND_NOT_FOUND = "There is no review round with that number."


def round_get_visible(*, user, pk) -> ReviewRound:
    """A round with its rubric, streams and priorities; NotFound if there is none. Rounds (not
    their scores: commissioning.permissions SCORES_SEE_ALL) are visible to every signed-in role."""
    review_round = (
        ReviewRound.objects.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id")),
            "funding_streams",
            "priorities",
        )
        .filter(pk=pk)
        .first()
    )
    if review_round is None:
        raise NotFound(ROUND_NOT_FOUND)
    return review_round


def has_conflict(review_round: ReviewRound, programme, user) -> bool:
    """Whether the user declared a conflict of interest in the programme in this round."""
    return ConflictOfInterest.objects.filter(
        review_round=review_round, programme=programme, commissioner=user
    ).exists()


def decisions_visible_to(user, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Decisions a user may read: partnership staff read them all; anyone else (providers) only
    those of closed rounds, as with scores: a decision and its rationale are not final until then."""
    if has_permission(Action.SCORES_SEE_ALL, user).allowed:
        return decisions
    return decisions.filter(review_round__status=ReviewRound.Status.CLOSED)


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
