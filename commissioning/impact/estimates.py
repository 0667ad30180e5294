"""Matched-comparison impact estimates (the Justice Data Lab's method), pure: numpy arrays in,
an Estimate out. No ORM, no HTTP. The method is written up in docs/impact.md.

    estimate(cohort, pool, kind=OutcomeKind.REOFFENCE, settings=MatchSettings())

1. A logistic propensity score model (statsmodels) of being in the cohort rather than the pool,
   on the chosen covariates; categorical covariates are one-hot coded (the first level, in sorted
   order, is the reference).
2. Nearest-neighbour matching on the logit of the score (the linear predictor) within a caliper
   of 0.2 pooled standard deviations of the logit (Austin 2011). Without replacement: greedy, the
   cohort taken from the highest score down, each person matched to the nearest comparison
   person still unused (a sorted array and two "next unused" pointers with path compression, so
   each match costs close to O(log n)). With replacement: every cohort member takes the nearest
   comparison person (numpy searchsorted on the sorted logits), who may be used again, weighted
   by the number of times used.
3. Balance: standardised mean differences for every covariate (each category level as a
   proportion) before matching (cohort against the whole pool) and after (matched cohort against
   the weighted matched comparison group); |SMD| >= 0.1 is flagged.
4. The outcome: the matched cohort's rate (or mean) against the matched comparison group's, the
   difference with a 95% interval and two-sided p-value from the two-sample (Welch) normal
   approximation, the comparison group's variance taken over its Kish effective size when people
   are used more than once.
Fewer than 60 matched people: no estimate, and the reason says so.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import numpy as np

MIN_MATCHED = 60
SMD_FLAG = 0.1
DEFAULT_CALIPER_SD = 0.2
Z_95 = 1.959963984540054
METHOD = "matched comparison"


class OutcomeKind(StrEnum):
    REOFFENCE = "reoffence"  # binary: proven reoffence within 12 months (after a 6-month wait)
    EMPLOYMENT_DAYS = "employment_days"  # continuous: days in employment over the follow-up

    @property
    def binary(self) -> bool:
        return self is OutcomeKind.REOFFENCE

    @property
    def lower_is_better(self) -> bool:
        return self is OutcomeKind.REOFFENCE

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    OutcomeKind.REOFFENCE: "Proven reoffence within 12 months",
    OutcomeKind.EMPLOYMENT_DAYS: "Days in employment over the follow-up",
}


class EstimationError(ValueError):
    """The data cannot support the model (too few people, a covariate with one value, separation)."""


@dataclass(frozen=True)
class Covariate:
    name: str  # the column's name, as in the upload
    label: str  # for people
    categorical: bool


COVARIATES: tuple[Covariate, ...] = (
    Covariate("age", "Age at start", False),
    Covariate("gender", "Gender", True),
    Covariate("prior_offences", "Prior proven offences", False),
    Covariate("days_since_last_offence", "Days since last offence", False),
    Covariate("offence_group", "Index offence group", True),
    Covariate("employed", "Employed at start", False),
)
COVARIATES_BY_NAME = {c.name: c for c in COVARIATES}


@dataclass(frozen=True)
class MatchSettings:
    with_replacement: bool = False
    caliper_sd: float = DEFAULT_CALIPER_SD


@dataclass(frozen=True)
class Sample:
    """One group's covariates (name -> one value per person) and outcomes (0/1 or days)."""

    covariates: Mapping[str, Sequence | np.ndarray]
    outcome: Sequence | np.ndarray

    def __len__(self) -> int:
        return len(self.outcome)


@dataclass(frozen=True)
class MeasuredImpact:
    """What the value-for-money engine takes from a published report: outcomes attributable per
    cohort member in the measure's good direction (0.08 fewer reoffenders per person -> 0.08),
    with the 95% interval, the matched cohort's size, the method and the report's id."""

    effect: Decimal
    low: Decimal
    high: Decimal
    cohort: int
    method: str
    report_id: int


@dataclass(frozen=True)
class BalanceRow:
    name: str  # "age", or "gender=female" for a category level
    label: str
    smd_before: float | None
    smd_after: float | None

    @property
    def flagged_before(self) -> bool:
        return self.smd_before is not None and abs(self.smd_before) >= SMD_FLAG

    @property
    def flagged_after(self) -> bool:
        return self.smd_after is not None and abs(self.smd_after) >= SMD_FLAG


@dataclass(frozen=True)
class Matches:
    """Pairs: treated[i] (a cohort index) matched to control[i] (a pool index)."""

    treated: np.ndarray
    control: np.ndarray
    caliper: float


@dataclass(frozen=True)
class Estimate:
    kind: str
    with_replacement: bool
    covariates: tuple[str, ...]
    cohort_size: int  # cohort members with covariates and an outcome
    pool_size: int
    matched: int  # cohort members matched within the caliper (and analysed)
    comparison_people: int  # distinct comparison people used
    caliper: float
    balance: tuple[BalanceRow, ...]
    cohort_outcome: float | None = None  # rate (0-1) or mean days
    comparison_outcome: float | None = None
    difference: float | None = None  # cohort minus comparison
    low: float | None = None
    high: float | None = None
    p_value: float | None = None
    standard_error: float | None = None
    cohort_events: int | None = None  # binary: matched cohort members with the outcome
    comparison_events: float | None = None  # binary: weighted count in the comparison group
    refusal: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_estimate(self) -> bool:
        return not self.refusal and self.difference is not None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["balance"] = [asdict(row) for row in self.balance]
        data["covariates"] = list(self.covariates)
        data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Estimate:
        values = dict(data)
        values["balance"] = tuple(BalanceRow(**row) for row in values.get("balance", []))
        values["covariates"] = tuple(values.get("covariates", []))
        values["notes"] = tuple(values.get("notes", []))
        return cls(**values)

    def measured_impact(self, report_id: int) -> MeasuredImpact | None:
        """The estimate in the measure's good direction, or None without an estimate."""
        if not self.has_estimate:
            return None
        kind = OutcomeKind(self.kind)
        places = Decimal("0.0001") if kind.binary else Decimal("0.01")
        sign = -1 if kind.lower_is_better else 1
        bounds = sorted([sign * self.low, sign * self.high])
        return MeasuredImpact(
            effect=_decimal(sign * self.difference, places),
            low=_decimal(bounds[0], places),
            high=_decimal(bounds[1], places),
            cohort=self.matched,
            method=METHOD,
            report_id=report_id,
        )


def _decimal(value: float, places: Decimal) -> Decimal:
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_UP)


# --- 1. the design matrix and the propensity model -----------------------------------------


def design(
    cohort: Sample, pool: Sample, covariates: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, list[str], list[tuple[str, str]]]:
    """(X for the model with its intercept, X for balance (every category level), model column
    names, balance rows as (name, label)); cohort rows first, then the pool's."""
    model_cols: list[np.ndarray] = [np.ones(len(cohort) + len(pool))]
    model_names = ["const"]
    balance_cols: list[np.ndarray] = []
    balance_names: list[tuple[str, str]] = []
    for name in covariates:
        covariate = COVARIATES_BY_NAME.get(name) or Covariate(name, name, False)
        values = np.concatenate([np.asarray(cohort.covariates[name]), np.asarray(pool.covariates[name])])
        if covariate.categorical:
            levels, codes = np.unique(values.astype(str), return_inverse=True)
            if len(levels) < 2:
                raise EstimationError(f"{covariate.label} has only one value ({levels[0]}); leave it out.")
            for i, level in enumerate(levels.tolist()):
                column = (codes == i).astype(float)
                balance_cols.append(column)
                balance_names.append((f"{name}={level}", f"{covariate.label}: {level}"))
                if i:
                    model_cols.append(column)
                    model_names.append(f"{name}={level}")
        else:
            column = values.astype(float)
            if np.ptp(column) == 0:
                raise EstimationError(f"{covariate.label} is the same for everyone; leave it out.")
            balance_cols.append(column)
            balance_names.append((name, covariate.label))
            model_cols.append(column)
            model_names.append(name)
    return np.column_stack(model_cols), np.column_stack(balance_cols), model_names, balance_names


def propensity_logits(X: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """The fitted linear predictor (log-odds of being in the cohort) of a logistic regression of
    `treated` on X (X includes its intercept column)."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    # Standardise the continuous columns so Newton's method is well conditioned; the fitted
    # linear predictor is unchanged by this reparameterisation.
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    centre = X.mean(axis=0)
    centre[0] = 0.0
    scale[0] = 1.0
    Z = (X - centre) / scale
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            result = sm.Logit(treated.astype(float), Z).fit(disp=0, method="newton", maxiter=100)
        except (PerfectSeparationWarning, np.linalg.LinAlgError) as exc:
            raise EstimationError(
                "The propensity model cannot be fitted: a covariate separates the cohort from the "
                "pool completely, or two covariates carry the same information. Leave one out."
            ) from exc
    logits = Z @ np.asarray(result.params)
    if not np.all(np.isfinite(logits)):
        raise EstimationError("The propensity model did not converge; check the covariates.")
    return logits


def caliper_width(logit_t: np.ndarray, logit_c: np.ndarray, caliper_sd: float) -> float:
    """caliper_sd pooled standard deviations of the logit: sqrt((var_t + var_c) / 2)."""
    pooled = math.sqrt((np.var(logit_t, ddof=1) + np.var(logit_c, ddof=1)) / 2)
    return caliper_sd * pooled


# --- 2. matching -------------------------------------------------------------------------------


def match(logit_t: np.ndarray, logit_c: np.ndarray, caliper: float, *, with_replacement: bool) -> Matches:
    """Nearest neighbour on the logit within the caliper. Ties go to the lower logit."""
    order = np.argsort(logit_c, kind="stable")
    sorted_c = logit_c[order]
    if with_replacement:
        return _match_with_replacement(logit_t, sorted_c, order, caliper)
    return _match_greedy(logit_t, sorted_c, order, caliper)


def _match_with_replacement(logit_t, sorted_c, order, caliper) -> Matches:
    m = len(sorted_c)
    pos = np.searchsorted(sorted_c, logit_t)
    left = np.clip(pos - 1, 0, m - 1)
    right = np.clip(pos, 0, m - 1)
    d_left = np.abs(logit_t - sorted_c[left])
    d_right = np.abs(sorted_c[right] - logit_t)
    best = np.where(d_right < d_left, right, left)
    distance = np.minimum(d_left, d_right)
    ok = distance <= caliper
    treated = np.flatnonzero(ok)
    return Matches(treated=treated, control=order[best[ok]], caliper=caliper)


def _match_greedy(logit_t, sorted_c, order, caliper) -> Matches:
    m = len(sorted_c)
    # right[i]: the first unused sorted index >= i (m when none); left[i + 1]: the last unused
    # index <= i (0 when none, indices shifted by one). Path compression keeps lookups short.
    right = list(range(m + 1))
    left = list(range(m + 1))
    values_c = sorted_c.tolist()

    def find(parent: list[int], i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    positions = np.searchsorted(sorted_c, logit_t)
    treated_out: list[int] = []
    control_out: list[int] = []
    for t in np.argsort(-logit_t, kind="stable").tolist():
        value = float(logit_t[t])
        pos = int(positions[t])
        r = find(right, pos) if pos < m else m
        li = find(left, pos) - 1  # last unused index < pos (left is shifted: left[k] covers k - 1)
        best, best_d = -1, math.inf
        if li >= 0:
            best, best_d = li, value - values_c[li]
        if r < m and values_c[r] - value < best_d:
            best, best_d = r, values_c[r] - value
        if best < 0 or best_d > caliper:
            continue
        treated_out.append(t)
        control_out.append(int(order[best]))
        right[best] = best + 1
        left[best + 1] = best
    treated_idx = np.asarray(treated_out, dtype=np.intp)
    control_idx = np.asarray(control_out, dtype=np.intp)
    sort = np.argsort(treated_idx, kind="stable")
    return Matches(treated=treated_idx[sort], control=control_idx[sort], caliper=caliper)


# --- 3. balance ----------------------------------------------------------------------------------


def smd(x_t: np.ndarray, x_c: np.ndarray, w_c: np.ndarray | None = None) -> float | None:
    """Standardised mean difference: (mean_t - mean_c) / sqrt((var_t + var_c) / 2), the comparison
    group weighted by w_c. None when both groups are constant and equal."""
    mean_t, var_t = float(np.mean(x_t)), float(np.var(x_t, ddof=1)) if len(x_t) > 1 else 0.0
    mean_c, var_c = _weighted_mean_var(x_c, w_c)
    denominator = math.sqrt((var_t + var_c) / 2)
    if denominator == 0:
        return 0.0 if mean_t == mean_c else None
    return (mean_t - mean_c) / denominator


def _weighted_mean_var(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float]:
    """Weighted mean and variance, the variance unbiased for the Kish effective size."""
    if w is None:
        return float(np.mean(x)), float(np.var(x, ddof=1)) if len(x) > 1 else 0.0
    total = float(w.sum())
    mean = float(np.dot(w, x) / total)
    n_eff = total**2 / float(np.dot(w, w))
    var = float(np.dot(w, (x - mean) ** 2) / total)
    if n_eff > 1:
        var *= n_eff / (n_eff - 1)
    return mean, var


def _balance(
    B: np.ndarray, n_t: int, names: list[tuple[str, str]], matches: Matches | None
) -> tuple[BalanceRow, ...]:
    B_t, B_c = B[:n_t], B[n_t:]
    rows = []
    for j, (name, label) in enumerate(names):
        before = smd(B_t[:, j], B_c[:, j])
        after = None
        if matches is not None and len(matches.treated) > 1:
            controls, weights = np.unique(matches.control, return_counts=True)
            after = smd(B_t[matches.treated, j], B_c[controls, j], weights.astype(float))
        rows.append(BalanceRow(name, label, _round(before), _round(after)))
    return tuple(rows)


def _round(value: float | None, places: int = 6) -> float | None:
    return None if value is None else round(value, places)


# --- 4. the outcome -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    cohort: float
    comparison: float
    difference: float
    standard_error: float
    low: float
    high: float
    p_value: float


def difference(y_t: np.ndarray, y_c: np.ndarray, w_c: np.ndarray) -> Difference:
    """Cohort mean minus weighted comparison mean, with its 95% interval and p-value (normal
    approximation to the two-sample Welch test; the comparison's variance over its Kish
    effective size)."""
    n_t = len(y_t)
    mean_t, var_t = _weighted_mean_var(y_t.astype(float), None)
    mean_c, var_c = _weighted_mean_var(y_c.astype(float), w_c.astype(float))
    n_eff = float(w_c.sum()) ** 2 / float(np.dot(w_c, w_c))
    se = math.sqrt(var_t / n_t + var_c / n_eff)
    diff = mean_t - mean_c
    if se == 0:
        p = 1.0 if diff == 0 else 0.0
    else:
        p = math.erfc(abs(diff / se) / math.sqrt(2))
    return Difference(mean_t, mean_c, diff, se, diff - Z_95 * se, diff + Z_95 * se, p)


# --- the whole estimate ---------------------------------------------------------------------------


def refusal_message(matched: int) -> str:
    return (
        f"No estimate: only {matched:,} people could be matched, and an estimate needs at least "
        f"{MIN_MATCHED}. Fewer than that and chance alone could explain any difference; the data "
        "labs refuse such requests too. Add more of the cohort, a larger comparison pool or fewer "
        "covariates."
    )


def estimate(
    cohort: Sample,
    pool: Sample,
    *,
    kind: OutcomeKind | str,
    covariates: Sequence[str] | None = None,
    settings: MatchSettings = MatchSettings(),
) -> Estimate:
    kind = OutcomeKind(kind)
    covariates = tuple(covariates or [c.name for c in COVARIATES])
    n_t, n_c = len(cohort), len(pool)
    base = {
        "kind": str(kind),
        "with_replacement": settings.with_replacement,
        "covariates": covariates,
        "cohort_size": n_t,
        "pool_size": n_c,
    }
    if n_t < 2 or n_c < 2:
        return Estimate(
            **base, matched=0, comparison_people=0, caliper=0.0, balance=(), refusal=refusal_message(0)
        )
    X, B, _, balance_names = design(cohort, pool, covariates)
    treated = np.concatenate([np.ones(n_t), np.zeros(n_c)])
    logits = propensity_logits(X, treated)
    logit_t, logit_c = logits[:n_t], logits[n_t:]
    caliper = caliper_width(logit_t, logit_c, settings.caliper_sd)
    matches = match(logit_t, logit_c, caliper, with_replacement=settings.with_replacement)
    matched = len(matches.treated)
    balance = _balance(B, n_t, balance_names, matches)
    controls, weights = np.unique(matches.control, return_counts=True)
    common = {**base, "matched": matched, "comparison_people": len(controls), "caliper": caliper}
    if matched < MIN_MATCHED:
        return Estimate(**common, balance=balance, refusal=refusal_message(matched))
    y_t = np.asarray(cohort.outcome, dtype=float)[matches.treated]
    y_c = np.asarray(pool.outcome, dtype=float)[controls]
    result = difference(y_t, y_c, weights.astype(float))
    events: dict = {}
    if kind.binary:
        events = {
            "cohort_events": int(y_t.sum()),
            "comparison_events": float(np.dot(weights, y_c)),
        }
    return Estimate(
        **common,
        balance=balance,
        cohort_outcome=result.cohort,
        comparison_outcome=result.comparison,
        difference=result.difference,
        low=result.low,
        high=result.high,
        p_value=result.p_value,
        standard_error=result.standard_error,
        **events,
    )
