"""Generated (synthetic) people for the demo, the benchmark and the tests: covariates like those
of people on probation or employment programmes, outcomes from a known model, and an effect
planted for the cohort. Pure numpy; nothing here is real data.

    people(2000, cohort=True, kind=OutcomeKind.REOFFENCE, effect=-0.08, seed=1)

A cohort differs from the pool on its covariates (younger, more prior offences, a more recent
offence, less often employed), so matching has work to do. For a reoffence the effect is added to
each cohort member's probability (-0.08: eight points fewer); for employment it is added in days.
"""

from __future__ import annotations

import numpy as np

from commissioning.impact.estimates import OutcomeKind, Sample

OFFENCE_GROUPS = ("violence", "theft", "drugs", "burglary", "public_order", "fraud", "other")
GROUP_RISK = {
    "violence": 0.1,
    "theft": 0.35,
    "drugs": 0.2,
    "burglary": 0.3,
    "public_order": 0.0,
    "fraud": -0.3,
    "other": -0.1,
}


def people(
    n: int, *, cohort: bool, kind: OutcomeKind | str, effect: float = 0.0, seed: int = 0
) -> dict[str, np.ndarray]:
    """Columns age, gender, prior_offences, days_since_last_offence, offence_group, employed and
    outcome, for n generated people."""
    kind = OutcomeKind(kind)
    rng = np.random.default_rng(seed)
    t = 1.0 if cohort else 0.0
    age = np.clip(np.round(rng.normal(34 - 4 * t, 10, n)), 18, 80).astype(int)
    gender = np.where(rng.random(n) < 0.17, "female", "male")
    prior = rng.poisson(4 + 2 * t, n)
    days = np.clip(np.round(rng.exponential(500 - 150 * t, n)), 0, 5000).astype(int)
    group = rng.choice(OFFENCE_GROUPS, n)
    employed = rng.random(n) < (0.3 - 0.12 * t)
    risk = np.vectorize(GROUP_RISK.get)(group) if n else np.zeros(0)
    if kind.binary:
        logit = -0.6 + 0.12 * prior - 0.025 * (age - 34) - 0.0009 * days - 0.5 * employed + risk
        p = np.clip(1 / (1 + np.exp(-logit)) + effect * t, 0, 1)
        outcome = (rng.random(n) < p).astype(int)
    else:
        mean = 70 + 90 * employed - 4 * prior - 1.2 * (age - 34) + 0.02 * days + effect * t
        outcome = np.clip(np.round(mean + rng.normal(0, 60, n)), 0, 365).astype(int)
    return {
        "age": age,
        "gender": gender,
        "prior_offences": prior,
        "days_since_last_offence": days,
        "offence_group": group,
        "employed": employed.astype(int),
        "outcome": outcome,
    }


def sample(columns: dict[str, np.ndarray]) -> Sample:
    return Sample({k: v for k, v in columns.items() if k != "outcome"}, columns["outcome"])
