"""Benchmark: matched comparison of 5,000 participants against a pool of 200,000 on 8 covariates.

    python bench/impact.py [--cohort 5000] [--pool 200000]

Prints, for matching without and with replacement, the time of the whole estimate (design,
propensity model, matching, balance, outcome) and the process's peak memory, against two lower
bounds measured in the same run on the same data: the logistic fit alone (statsmodels, which
every estimate must do) and a plain sorted nearest-neighbour search (argsort + searchsorted).
Goal: under 10 s and 1 GB. Pure computation: no database, no Django.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commissioning.impact import estimates, synthetic  # noqa: E402

COVARIATES = [c.name for c in estimates.COVARIATES] + ["risk_score", "accommodation_moves"]


def data(n: int, *, cohort: bool, seed: int) -> estimates.Sample:
    columns = synthetic.people(n, cohort=cohort, kind="reoffence", effect=-0.08 if cohort else 0.0, seed=seed)
    rng = np.random.default_rng(seed + 1000)
    columns["risk_score"] = np.clip(rng.normal(40 + 8 * cohort, 15, n), 0, 100)
    columns["accommodation_moves"] = rng.poisson(1 + 0.5 * cohort, n)
    return synthetic.sample(columns)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohort", type=int, default=5000)
    parser.add_argument("--pool", type=int, default=200_000)
    args = parser.parse_args()
    cohort, pool = data(args.cohort, cohort=True, seed=1), data(args.pool, cohort=False, seed=2)
    print(
        f"cohort {args.cohort:,}, pool {args.pool:,}, {len(COVARIATES)} covariates; memory before: {peak_mb():.0f} MB"
    )

    import statsmodels.api  # noqa: F401 - imported before timing: the first import takes seconds

    X, _, names, _ = estimates.design(cohort, pool, COVARIATES)
    treated = np.r_[np.ones(args.cohort), np.zeros(args.pool)]
    started = time.perf_counter()
    logits = estimates.propensity_logits(X, treated)
    fit = time.perf_counter() - started
    started = time.perf_counter()
    order = np.argsort(logits[args.cohort :])
    np.searchsorted(logits[args.cohort :][order], logits[: args.cohort])
    search = time.perf_counter() - started
    print(
        f"lower bound: logistic fit alone {fit:.2f} s ({len(names)} model columns); sorted search {search:.3f} s"
    )

    for with_replacement in (False, True):
        started = time.perf_counter()
        result = estimates.estimate(
            cohort,
            pool,
            kind="reoffence",
            covariates=COVARIATES,
            settings=estimates.MatchSettings(with_replacement=with_replacement),
        )
        elapsed = time.perf_counter() - started
        label = "with replacement" if with_replacement else "without replacement (greedy)"
        print(
            f"{label}: {elapsed:.2f} s, peak memory {peak_mb():.0f} MB; {elapsed / fit:.2f}x the logistic fit; "
            f"matched {result.matched:,}, difference {result.difference:+.4f} "
            f"(95% CI {result.low:+.4f} to {result.high:+.4f})"
        )
    print(f"goal: under 10 s and 1,024 MB -> peak {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
