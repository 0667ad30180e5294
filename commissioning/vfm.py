"""The value-for-money engine: whole-column computation over a round's portfolio (pandas).

Pure: it takes DataFrames (loaded by commissioning.selectors.vfm_inputs, one query per table)
and returns DataFrames; it knows nothing of the ORM or HTTP. The method, with a worked example,
is written up in docs/vfm.md; tests/commissioning/test_vfm.py reproduces that example.

Money is computed in float64 and rounded to pence only when presented (vfm_rows), which keeps
the engine fast; every figure in docs/vfm.md is reproduced to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from commissioning import greenbook

BANDS = [(1.0, "poor"), (1.5, "low"), (2.0, "medium"), (4.0, "high"), (np.inf, "very high")]
ACHIEVEMENT_CAP = 2.0  # a measure counts for at most 200% of its target in overall achievement
DISAGREEMENT_POINTS = 2

# Each flag's name in words: the one map pages, the PDF and exports' readers use.
FLAG_LABELS = {
    "bcr_below_1": "Benefit-cost ratio below 1",
    "achievement_below_50": "Achievement below 50% of target",
    "missing_returns": "Returns missing for ended quarters",
    "cost_estimated": "Cost estimated from the award (no spend returned)",
    "no_scores": "No scores",
    "partly_scored": "Partly scored (composite from some criteria)",
    "scorers_disagree": f"Scorers differ by {DISAGREEMENT_POINTS} or more on a criterion",
    "not_uprated": "A unit cost could not be uprated to the price year (no deflator for its year)",
}


def flag_label(flag: str) -> str:
    """A flag in words, e.g. "bcr_below_1" → "Benefit-cost ratio below 1"."""
    return FLAG_LABELS.get(flag, flag.replace("_", " ").capitalize())


@dataclass
class VfmTotals:
    """The targets and returns summed to what the engine needs. The database keeps them per year
    (grants.totals) and commissioning.selectors.vfm_totals reads them, so that 600,000 returns never
    cross into Python; tests/commissioning/oracle.py computes the same from every row.

    per_measure: programme_id, measure_id, target (sum over the period), achieved (counted returns)
    spend:       programme_id, spend (per quarter the largest figure on counted returns, summed);
                 programmes with no spend returned are absent
    missing:     programme_id, missing_returns (ended target quarters with no return at all)
    """

    per_measure: pd.DataFrame
    spend: pd.DataFrame
    missing: pd.DataFrame


@dataclass
class VfmInputs:
    """Everything the engine reads, one frame per table.

    programmes: programme_id, reference, title, provider, funding_stream, award, start_date, end_date,
                optimism_bias (NaN = no evidence grade), attribution (NaN = use the measure's)
    measures:   measure_id, measure, polarity ("higher"/"lower"), unit_cost, deadweight, attribution, theme
    scores:     programme_id, criterion_id, commissioner_id, score
    criteria:   criterion_id, weight
    """

    programmes: pd.DataFrame
    measures: pd.DataFrame
    period_start: date
    period_end: date
    today: date
    totals: VfmTotals
    scores: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["programme_id", "criterion_id", "commissioner_id", "score"]
        )
    )
    criteria: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["criterion_id", "weight"]))
    include_submitted: bool = False
    default_optimism_bias: float = 0.6
    values: pd.DataFrame | None = None
    impacts: pd.DataFrame | None = None
    discount_rate: float = greenbook.GREEN_BOOK_DISCOUNT_RATE
    price_year: str = ""  # named on every output, with the deflator series
    deflator_series: str = ""


@dataclass
class VfmResult:
    programmes: pd.DataFrame  # one row per programme, ranked
    measures: pd.DataFrame  # one row per programme and measure
    agencies: pd.DataFrame = field(  # fiscal benefit by programme and agency (transfers apart)
        default_factory=lambda: pd.DataFrame(columns=["programme_id", "agency", "fiscal", "transfers"])
    )
    sensitivity: pd.DataFrame = field(  # the tornado: BCR with each assumption at each end
        default_factory=lambda: pd.DataFrame(
            columns=["programme_id", "assumption", "bcr_low", "bcr_high", "swing"]
        )
    )
    price_year: str = ""
    deflator_series: str = ""


def compute(inputs: VfmInputs) -> VfmResult:
    programmes = inputs.programmes.set_index("programme_id")
    totals = inputs.totals
    per_measure, ranges, values = _per_measure(inputs, totals.per_measure, programmes)
    cost = _cost(inputs, totals.spend, programmes)
    table = programmes.join(cost, how="left")
    table = table.join(_achievement(per_measure), how="left")
    table = table.join(_benefit(per_measure), how="left")
    for column in ["benefit", *_VALUE_TOTALS]:
        table[column] = table[column].fillna(0.0)
    table["measured"] = table["measured"].eq(True)
    table["not_uprated"] = table["not_uprated"].eq(True)
    table["outcomes"] = table["outcomes"].fillna(0.0)
    positive_cost = table["cost"].where(table["cost"] > 0)
    table["bcr"] = np.where(table["cost"] > 0, table["benefit"] / positive_cost, np.nan)
    table["fiscal_return"] = np.where(table["cost"] > 0, table["fiscal_benefit"] / positive_cost, np.nan)
    summary, tornado = greenbook.sensitivity(per_measure, ranges, table["cost"])
    table = table.join(summary, how="left")
    table["bcr_band"] = bands(table["bcr"])
    table["worklessness_share"] = np.where(
        table["benefit"] > 0,
        table["worklessness_benefit"].fillna(0.0) / table["benefit"].where(table["benefit"] > 0),
        np.nan,
    )
    table = table.join(totals.missing.set_index("programme_id"), how="left")
    table["missing_returns"] = table["missing_returns"].fillna(0).astype(int)
    table = table.join(_scores(inputs), how="left")
    table["scorers"] = pd.to_numeric(table["scorers"], errors="coerce").fillna(0).astype(int)
    table["criteria_scored"] = pd.to_numeric(table["criteria_scored"], errors="coerce").fillna(0).astype(int)
    table["criteria_total"] = len(inputs.criteria)
    # A composite from some of the criteria only: marked, and ranked after complete ones.
    table["composite_partial"] = (table["criteria_scored"] > 0) & (
        table["criteria_scored"] < table["criteria_total"]
    )
    per_measure["cost_per_outcome"] = _cost_per_outcome(per_measure, table["cost"])
    table["flags"] = _flags(table)
    table = _rank(table)
    agencies = greenbook.agency_benefits(per_measure, values, per_measure["scale"].to_numpy())
    return VfmResult(
        programmes=table.reset_index(),
        measures=per_measure.reset_index(drop=True),
        agencies=agencies,
        sensitivity=tornado,
        price_year=inputs.price_year,
        deflator_series=inputs.deflator_series,
    )


def band(bcr: float) -> str | None:
    if bcr is None or pd.isna(bcr):
        return None
    return next(label for limit, label in BANDS if bcr < limit)


def bands(bcr: pd.Series) -> pd.Series:
    """band() over a whole column."""
    limits = np.array([limit for limit, _ in BANDS])
    labels = np.array([label for _, label in BANDS], dtype=object)
    found = np.minimum(np.searchsorted(limits, bcr.to_numpy(dtype=float), side="right"), len(labels) - 1)
    return pd.Series(np.where(bcr.isna(), None, labels[found]), index=bcr.index, dtype=object)


def _per_measure(
    inputs: VfmInputs, totals: pd.DataFrame, programmes: pd.DataFrame
) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """One row per programme and measure with its outcomes, benefit and values by kind; the
    assumptions' ranges (for sensitivity) and the values by part (for who benefits)."""
    keys = ["programme_id", "measure_id"]
    impacts = inputs.impacts if inputs.impacts is not None else pd.DataFrame(columns=greenbook.IMPACT_COLUMNS)
    if not impacts.empty:  # a measured impact counts even where the programme had no target or return
        totals = totals.merge(impacts[keys], on=keys, how="outer").fillna({"target": 0.0, "achieved": 0.0})
    frame = totals.merge(inputs.measures, on="measure_id", how="left")
    lower = frame["polarity"] == "lower"
    with np.errstate(divide="ignore", invalid="ignore"):
        higher_ratio = frame["achieved"] / frame["target"]
        # Fewer events is better: achievement is target ÷ achieved (no events at all counts as the cap).
        lower_ratio = np.where(frame["achieved"] > 0, frame["target"] / frame["achieved"], ACHIEVEMENT_CAP)
    frame["achievement"] = np.where(frame["target"] > 0, np.where(lower, lower_ratio, higher_ratio), np.nan)
    # Benefit counts outcomes achieved; for a lower-is-better measure, the events avoided below target.
    counted = np.where(lower, (frame["target"] - frame["achieved"]).clip(lower=0), frame["achieved"])
    bias = pd.to_numeric(frame["programme_id"].map(programmes["optimism_bias"]), errors="coerce")
    bias = bias.fillna(inputs.default_optimism_bias)
    attribution = pd.to_numeric(frame["programme_id"].map(programmes["attribution"]), errors="coerce")
    frame["attribution_used"] = attribution.fillna(frame["attribution"])
    frame["outcomes_counted"] = counted
    if impacts.empty:  # nothing measured: no merge over the whole portfolio
        for column in ("effect", "low", "high", "cohort", "report_id"):
            frame[column] = np.nan
        frame["method"] = None
    else:
        frame = frame.merge(
            impacts.drop(columns=["method_bias"], errors="ignore").astype(
                {"effect": float, "low": float, "high": float}
            ),
            on=keys,
            how="left",
        )
    frame["measured"] = frame["effect"].notna()
    if "method_bias" in impacts and not impacts.empty:  # the evidence grade follows the method
        method_bias = frame[keys].merge(impacts[[*keys, "method_bias"]], on=keys, how="left")["method_bias"]
        bias = pd.Series(
            np.where(frame["measured"] & method_bias.notna(), method_bias, bias), index=frame.index
        )
    frame["optimism_bias_used"] = bias.astype(float)
    for column, default in (("persistence_years", 1.0), ("drop_off", 0.0)):
        frame[column] = (
            pd.to_numeric(frame[column], errors="coerce").fillna(default) if column in frame else default
        )
    values = inputs.values if inputs.values is not None else greenbook.typed_values(inputs.measures)
    frame = frame.join(greenbook.unit_values(values), on="measure_id")
    frame[greenbook_units] = frame[greenbook_units].fillna(0.0)
    frame["not_uprated"] = frame["not_uprated"].eq(True)
    ranges = greenbook.assumptions(frame, frame["optimism_bias_used"])
    net = greenbook.net_outcomes(
        frame, *(ranges[name][0] for name in ("deadweight", "attribution", "optimism_bias", "effect"))
    )
    frame["net_outcomes"] = net
    frame["scale"] = net * greenbook.present_value_factor(
        frame["persistence_years"], frame["drop_off"], inputs.discount_rate
    )
    frame["benefit"] = frame["scale"] * frame["public_unit"]
    for kind in ("fiscal", "economic", "social"):
        frame[f"{kind}_benefit"] = frame["scale"] * frame[f"{kind}_unit"]
    frame["transfers"] = frame["scale"] * frame["transfer_unit"]
    return frame, ranges, values


greenbook_units = ["public_unit", "fiscal_unit", "economic_unit", "social_unit", "transfer_unit"]
_VALUE_TOTALS = ["fiscal_benefit", "economic_benefit", "social_benefit", "transfers"]


def _cost(inputs: VfmInputs, spend: pd.DataFrame, programmes: pd.DataFrame) -> pd.DataFrame:
    """Spend returned in the period; a programme-quarter's spend counts once (the largest figure
    on its returns). With no spend returned at all, the award pro rata, marked estimated."""
    returned = spend.set_index("programme_id")["spend"].astype(float)  # an empty frame is object-typed
    start = pd.to_datetime(programmes["start_date"])
    end = pd.to_datetime(programmes["end_date"])
    overlap_start = start.clip(lower=pd.Timestamp(inputs.period_start))
    overlap_end = end.clip(upper=pd.Timestamp(inputs.period_end))
    overlap_days = ((overlap_end - overlap_start).dt.days + 1).clip(lower=0)
    total_days = (end - start).dt.days + 1
    pro_rata = programmes["award"] * overlap_days / total_days
    frame = pd.DataFrame(index=programmes.index)
    frame["cost_estimated"] = ~frame.index.isin(returned.index)
    frame["cost"] = returned.reindex(frame.index).fillna(pro_rata)
    return frame


def _achievement(per_measure: pd.DataFrame) -> pd.DataFrame:
    """Overall achievement: the mean over measures with a target, weighted by target value."""
    scored = per_measure[per_measure["target"] > 0].copy()
    scored["weighted"] = scored["achievement"].clip(upper=ACHIEVEMENT_CAP) * scored["target"]
    sums = scored.groupby("programme_id")[["weighted", "target"]].sum()
    outcomes = per_measure.groupby("programme_id")["achieved"].sum().rename("outcomes")
    return pd.DataFrame({"achievement": sums["weighted"] / sums["target"]}).join(outcomes, how="outer")


def _benefit(per_measure: pd.DataFrame) -> pd.DataFrame:
    worklessness = per_measure["benefit"].where(per_measure["theme"] == "worklessness", 0.0)
    grouped = per_measure.groupby("programme_id")
    return pd.DataFrame(
        {
            "benefit": grouped["benefit"].sum(),
            "worklessness_benefit": worklessness.groupby(per_measure["programme_id"]).sum(),
            **{column: grouped[column].sum() for column in _VALUE_TOTALS},
            "measured": grouped["measured"].any(),
            "not_uprated": grouped["not_uprated"].any(),
        }
    )


def _cost_per_outcome(per_measure: pd.DataFrame, cost: pd.Series) -> pd.Series:
    programme_cost = per_measure["programme_id"].map(cost)
    usable = (per_measure["achieved"] > 0) & (per_measure["polarity"] == "higher")
    return (programme_cost / per_measure["achieved"].where(usable)).where(usable)


def _scores(inputs: VfmInputs) -> pd.DataFrame:
    """Composite score (0-100): the rubric's weighted mean of each criterion's mean score; the
    spread is the widest gap between two scorers on any criterion."""
    scores = inputs.scores
    columns = ["composite_score", "mean_score", "spread", "scorers", "criteria_scored"]
    if scores.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="programme_id"))
    by_criterion = (
        scores.groupby(["programme_id", "criterion_id"])["score"].agg(["mean", "min", "max"]).reset_index()
    )
    by_criterion = by_criterion.merge(inputs.criteria, on="criterion_id", how="left")
    by_criterion["weighted"] = by_criterion["mean"] * by_criterion["weight"]
    grouped = by_criterion.groupby("programme_id")
    mean_score = grouped["weighted"].sum() / grouped["weight"].sum()
    frame = pd.DataFrame(
        {
            "mean_score": mean_score,
            "composite_score": mean_score / 5 * 100,
            "spread": (by_criterion["max"] - by_criterion["min"]).groupby(by_criterion["programme_id"]).max(),
            "scorers": scores.groupby("programme_id")["commissioner_id"].nunique(),
            "criteria_scored": grouped["criterion_id"].nunique(),
        }
    )
    return frame[columns]


def _flags(table: pd.DataFrame) -> pd.Series:
    checks = {
        "bcr_below_1": table["bcr"] < 1,
        "achievement_below_50": table["achievement"] < 0.5,
        "missing_returns": table["missing_returns"] > 0,
        "cost_estimated": table["cost_estimated"].astype(bool),
        # Scores belong to a review round: outside one (a stream's or a year's figures) no flag.
        "no_scores": (table["scorers"] == 0) & (table["criteria_total"] > 0),
        "partly_scored": table["composite_partial"],
        "scorers_disagree": pd.to_numeric(table["spread"], errors="coerce").fillna(0) >= DISAGREEMENT_POINTS,
        "not_uprated": table["not_uprated"],
    }
    flags = pd.DataFrame(checks)
    names = np.array(list(checks))
    return pd.Series([list(names[row]) for row in flags.to_numpy()], index=table.index)


def _rank(table: pd.DataFrame) -> pd.DataFrame:
    """Value for money first: by benefit-cost ratio, then composite score (a complete composite
    before one from some of the criteria only), then reference."""
    ordered = table.sort_values(
        ["bcr", "composite_partial", "composite_score", "reference"],
        ascending=[False, True, False, True],
        na_position="last",
    )
    ordered["rank"] = np.arange(1, len(ordered) + 1)
    return ordered
