"""The Green Book parts of the value-for-money engine: what one outcome is worth (by agency and
kind), benefits over time, measured impact in place of assumed deadweight, and sensitivity.
Pure: pandas and numpy over whole columns; commissioning.vfm calls it, docs/vfm.md explains it.

For each programme and measure, with the assumptions a = (deadweight, attribution, optimism
bias, persistence, measured effect):

    gross outcomes  = returns counted × (1 − deadweight)       (no impact report)
                    = effect per cohort member × cohort           (a published impact report)
    net outcomes    = gross × attribution × (1 − optimism bias)
    present value   = Σ_{t=0}^{persistence−1} ((1 − drop-off) ÷ (1 + 3.5%))^t
    a value         = net × present value × value of one outcome (that kind, that agency)

Public value (the benefit in the BCR) is fiscal value without transfers + economic + social
(+ a typed unit cost not broken down); the fiscal return counts transfers (benefit payments saved).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outcomes.prices import GREEN_BOOK_DISCOUNT_RATE

KINDS = ("fiscal", "economic", "social", "combined")
COMBINED = "combined"  # a typed unit cost, not broken down by kind or agency
NOT_BROKEN_DOWN = "Not broken down by agency"
# The assumptions sensitivity varies, in the order the tornado lists them when they tie.
ASSUMPTIONS = {
    "deadweight": "Deadweight",
    "attribution": "Attribution",
    "optimism_bias": "Optimism bias",
    "persistence": "Persistence",
    "effect": "Measured effect (95% confidence interval)",
}
VALUE_COLUMNS = ["measure_id", "agency", "kind", "transfer", "value", "uprated"]
IMPACT_COLUMNS = [
    "programme_id",
    "measure_id",
    "effect",
    "low",
    "high",
    "cohort",
    "method",
    "report_id",
    "method_bias",
]
_SUMS = ["public_unit", "fiscal_unit", "economic_unit", "social_unit", "transfer_unit"]


def typed_values(measures: pd.DataFrame) -> pd.DataFrame:
    """Each measure's typed unit cost as one value not broken down (used when no values are given)."""
    return pd.DataFrame(
        {
            "measure_id": measures["measure_id"],
            "agency": NOT_BROKEN_DOWN,
            "kind": COMBINED,
            "transfer": False,
            "value": pd.to_numeric(measures["unit_cost"], errors="coerce").fillna(0.0),
            "uprated": True,
        }
    )


def unit_values(values: pd.DataFrame) -> pd.DataFrame:
    """Per measure, what one outcome is worth: public value, fiscal (with transfers), economic,
    social and transfers, and whether every part could be uprated to the price year."""
    v = values.astype({"value": float})
    transfer = v["transfer"].astype(bool)
    parts = pd.DataFrame(
        {
            "measure_id": v["measure_id"],
            "public_unit": v["value"].where(~transfer, 0.0),
            "fiscal_unit": v["value"].where(v["kind"] == "fiscal", 0.0),
            "economic_unit": v["value"].where(v["kind"] == "economic", 0.0),
            "social_unit": v["value"].where(v["kind"] == "social", 0.0),
            "transfer_unit": v["value"].where(transfer, 0.0),
            "not_uprated": ~v["uprated"].astype(bool),
        }
    )
    return parts.groupby("measure_id").agg({**dict.fromkeys(_SUMS, "sum"), "not_uprated": "any"})


def present_value_factor(
    years: pd.Series, drop_off: pd.Series, rate: float = GREEN_BOOK_DISCOUNT_RATE
) -> np.ndarray:
    """Σ_{t=0}^{n−1} q^t with q = (1 − drop-off) ÷ (1 + rate), over whole columns (n ≥ 1)."""
    n = np.maximum(np.floor(years.to_numpy(dtype=float)), 1.0)
    q = (1 - drop_off.to_numpy(dtype=float)) / (1 + rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = (1 - q**n) / (1 - q)
    return np.where(np.isclose(q, 1.0), n, geometric)


def assumptions(
    frame: pd.DataFrame, default_bias: pd.Series
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each assumption's (central, worst, best) per row as float arrays: worst is the end of its
    range that gives the least benefit. A missing range end is the central value (no spread).
    The row's fixed facts ride along under "_row": measured, cohort, outcomes counted, drop-off
    and the public value of one outcome."""
    n = len(frame)

    def column(name: str, default: float) -> np.ndarray:
        if name not in frame:
            return np.full(n, default)
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values.dtype):
            return values.to_numpy(dtype=float, na_value=np.nan)
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)

    def filled(values: np.ndarray, default) -> np.ndarray:
        return np.where(np.isnan(values), default, values)

    dw = filled(column("deadweight", 0.0), 0.0)
    attr = filled(column("attribution_used", 1.0), 1.0)
    bias = np.asarray(default_bias, dtype=float)
    years = filled(column("persistence_years", 1.0), 1.0)
    effect = column("effect", np.nan)

    def spread(central: np.ndarray, worst: str, best: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return central, filled(column(worst, np.nan), central), filled(column(best, np.nan), central)

    return {
        "deadweight": spread(dw, "deadweight_high", "deadweight_low"),
        "attribution": spread(attr, "attribution_low", "attribution_high"),
        "optimism_bias": spread(bias, "optimism_bias_high", "optimism_bias_low"),
        "persistence": spread(years, "persistence_low", "persistence_high"),
        "effect": spread(effect, "low", "high"),
        "_row": (
            frame["measured"].to_numpy(dtype=bool),
            filled(column("cohort", 0.0), 0.0),
            frame["outcomes_counted"].to_numpy(dtype=float),
            filled(column("drop_off", 0.0), 0.0),
            filled(column("public_unit", 0.0), 0.0),
        ),
    }


def net_outcomes(frame: pd.DataFrame, dw, attr, bias, effect) -> np.ndarray:
    """Net outcomes per row: measured (effect × cohort) where there is an impact report, else
    the returns counted less deadweight; then attribution and optimism bias."""
    measured = frame["measured"].to_numpy(dtype=bool)
    cohort = pd.to_numeric(frame["cohort"], errors="coerce").fillna(0.0) if "cohort" in frame else 0.0
    counted = frame["outcomes_counted"].to_numpy(dtype=float)
    return _net(measured, np.asarray(cohort, dtype=float), counted, dw, attr, bias, effect)


def _net(measured, cohort, counted, dw, attr, bias, effect) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        measured_gross = np.asarray(effect, dtype=float) * cohort
    gross = np.where(measured, measured_gross, counted * (1 - np.asarray(dw, dtype=float)))
    return gross * np.asarray(attr, dtype=float) * (1 - np.asarray(bias, dtype=float))


def value(ranges: dict, **choice: str) -> np.ndarray:
    """Public value per row with each assumption at "central" unless `choice` names "worst" or
    "best" for it (e.g. value(ranges, deadweight="worst"))."""
    ends = {"central": 0, "worst": 1, "best": 2}
    pick = {name: ranges[name][ends[choice.get(name, "central")]] for name in ASSUMPTIONS}
    measured, cohort, counted, drop_off, public_unit = ranges["_row"]
    net = _net(measured, cohort, counted, pick["deadweight"], pick["attribution"], pick["optimism_bias"],
               pick["effect"])  # fmt: skip
    n = np.maximum(np.floor(pick["persistence"]), 1.0)
    q = (1 - drop_off) / (1 + GREEN_BOOK_DISCOUNT_RATE)
    with np.errstate(divide="ignore", invalid="ignore"):
        pv = np.where(np.isclose(q, 1.0), n, (1 - q**n) / (1 - q))
    return net * pv * public_unit


def sensitivity(frame: pd.DataFrame, ranges: dict, cost: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per programme: BCR with all assumptions at their worst and best ends (bcr_low, bcr_high)
    and from the measured effect's interval alone (bcr_ci_low, bcr_ci_high, where measured);
    and the tornado: each assumption alone at its worst and best, others central."""
    codes = pd.Index(cost.index).get_indexer(frame["programme_id"])
    known = codes >= 0
    positive = cost.where(cost > 0).to_numpy(dtype=float)

    def bcr(benefit: np.ndarray) -> pd.Series:
        total = np.bincount(codes[known], weights=benefit[known], minlength=len(cost))
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.Series(total / positive, index=cost.index)

    everything = list(ASSUMPTIONS)
    summary = pd.DataFrame(
        {
            "bcr_low": bcr(value(ranges, **dict.fromkeys(everything, "worst"))),
            "bcr_high": bcr(value(ranges, **dict.fromkeys(everything, "best"))),
            "bcr_ci_low": bcr(value(ranges, effect="worst")),
            "bcr_ci_high": bcr(value(ranges, effect="best")),
        }
    )
    measured_rows = np.bincount(
        codes[known], weights=frame["measured"].to_numpy(dtype=float)[known], minlength=len(cost)
    )
    measured = pd.Series(measured_rows > 0, index=cost.index)
    summary[["bcr_ci_low", "bcr_ci_high"]] = summary[["bcr_ci_low", "bcr_ci_high"]].where(measured)
    bars = []
    for name in everything:
        low, high = bcr(value(ranges, **{name: "worst"})), bcr(value(ranges, **{name: "best"}))
        bars.append(
            pd.DataFrame(
                {
                    "programme_id": cost.index,
                    "assumption": name,
                    "bcr_low": low.to_numpy(),
                    "bcr_high": high.to_numpy(),
                }
            )
        )
    tornado = pd.concat(bars, ignore_index=True)
    tornado["swing"] = (tornado["bcr_high"] - tornado["bcr_low"]).abs()
    return summary, tornado


def agency_benefits(frame: pd.DataFrame, values: pd.DataFrame, scale: np.ndarray) -> pd.DataFrame:
    """Fiscal benefit by agency per programme: net outcomes × present value (`scale`, per row of
    `frame`) × each fiscal value of the measure, summed by programme and agency; transfers apart."""
    fiscal = values[values["kind"] == "fiscal"][["measure_id", "agency", "transfer", "value"]]
    if fiscal.empty:  # no unit cost broken down by agency
        return pd.DataFrame(columns=["programme_id", "agency", "fiscal", "transfers"])
    rows = pd.DataFrame(
        {"programme_id": frame["programme_id"], "measure_id": frame["measure_id"], "scale": scale}
    )
    joined = rows.merge(fiscal, on="measure_id")
    joined["fiscal"] = joined["scale"] * joined["value"].astype(float)
    joined["transfers"] = joined["fiscal"].where(joined["transfer"].astype(bool), 0.0)
    out = joined.groupby(["programme_id", "agency"], as_index=False)[["fiscal", "transfers"]].sum()
    return out[out["fiscal"] != 0].reset_index(drop=True)
