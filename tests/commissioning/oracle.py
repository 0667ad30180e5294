"""The value-for-money engine's totals computed from every target and return row, in pandas: the
oracle that the totals the database keeps (grants.totals, read by commissioning.selectors) are
held equal to, and the way the engine's hand-worked tests state their inputs as rows."""

import pandas as pd

from commissioning.vfm import VfmTotals
from grants.models import OutcomeReturn

TARGET_COLUMNS = ["programme_id", "measure_id", "financial_year", "quarter", "quarter_end", "target"]
RETURN_COLUMNS = ["programme_id", "measure_id", "financial_year", "quarter", "value", "spend", "status"]
Status = OutcomeReturn.Status


def totals_from_rows(targets: pd.DataFrame, returns: pd.DataFrame, *, today, include_submitted: bool) -> VfmTotals:
    """targets: TARGET_COLUMNS; returns: RETURN_COLUMNS (status as OutcomeReturn.Status values)."""
    statuses = [Status.VERIFIED, Status.SUBMITTED] if include_submitted else [Status.VERIFIED]
    counted = returns[returns["status"].isin(statuses)]
    keys = ["programme_id", "measure_id"]
    target_sums = targets.groupby(keys, as_index=False)["target"].sum()
    achieved = counted.groupby(keys, as_index=False)["value"].sum().rename(columns={"value": "achieved"})
    per_measure = target_sums.merge(achieved, on=keys, how="outer").astype({"target": float, "achieved": float})
    per_measure = per_measure.fillna({"target": 0.0, "achieved": 0.0})
    spend = counted.dropna(subset=["spend"])
    per_quarter = spend.groupby(["programme_id", "financial_year", "quarter"])["spend"].max()
    returned = per_quarter.groupby(level="programme_id").sum().rename("spend").reset_index()
    return VfmTotals(per_measure=per_measure, spend=returned, missing=missing_returns(targets, returns, today=today))


def missing_returns(targets: pd.DataFrame, returns: pd.DataFrame, *, today) -> pd.DataFrame:
    """Target quarters that have ended with no return at all (any status)."""
    keys = ["programme_id", "measure_id", "financial_year", "quarter"]
    due = targets[pd.to_datetime(targets["quarter_end"]) < pd.Timestamp(today)]
    present = returns[keys].drop_duplicates()
    merged = due[keys].merge(present, on=keys, how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    return missing.groupby("programme_id").size().rename("missing_returns").reset_index()
