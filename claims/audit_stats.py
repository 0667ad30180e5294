"""An audit sample's error rate by value, its 95% confidence interval and the recovery it
implies. Pure computation on plain values (no database, no HTTP): claims.services.audits feeds
it and docs/claims.md works an example by hand that tests/claims/test_audit_stats.py
reproduces.

The method (a ratio estimator for a simple random sample without replacement):

    N, Y     claims in the audited population and their total value
    n        claims sampled; y_i the value of sampled claim i, x_i the value found invalid
             (x_i = y_i for an invalid claim, 0 for a valid one)
    r        = sum(x_i) / sum(y_i)                       the error rate by value
    d_i      = x_i - r * y_i                             each claim's residual
    s_d^2    = sum(d_i^2) / (n - 1)
    SE(r)    = sqrt((1 - n/N) * s_d^2 / n) / (Y / N)     with the finite population correction
    95% CI   = r +/- 1.96 * SE(r), held within [0, 1]
    recovery = r * Y (and the interval's ends * Y), rounded half up to the penny

The invalid sampled claims are rejected one by one. Those not yet paid leave what is due by
their rejection; money already paid is taken back only by the clawback. So the clawback posted
for the audit is the recovery less the invalid sampled claims not yet paid: when none was paid,
r * (Y - sum(y_i)), the estimate for the claims that were not sampled. Together they recover
r * Y.

Every figure is a Decimal computed to 28 significant digits, so the result does not depend on
the machine. A sample that is not random (a risk-based one) still has an error rate, but it
says nothing about the rest of the population: it is not extrapolated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

Z_95 = Decimal("1.96")
ZERO = Decimal("0")
ONE = Decimal("1")
PENNY = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")


class AuditStatsError(ValueError):
    """The figures cannot be computed from what was given; the message says why."""


def pence(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SampledClaim:
    """One sampled claim: its value and whether it was found invalid."""

    value: Decimal
    invalid: bool
    paid: bool = False  # already paid when the audit concluded

    @property
    def invalid_value(self) -> Decimal:
        return self.value if self.invalid else ZERO


@dataclass(frozen=True)
class AuditEstimate:
    population_count: int
    population_value: Decimal
    sample_count: int
    sample_value: Decimal
    invalid_count: int
    invalid_value: Decimal
    invalid_unpaid_value: Decimal  # what rejecting the invalid claims takes off what is due
    error_rate: Decimal  # r, to six decimal places
    standard_error: Decimal | None  # None when not extrapolated
    ci_low: Decimal | None
    ci_high: Decimal | None
    recovery: Decimal  # pence: r * Y if extrapolated, else the invalid sampled value
    recovery_low: Decimal | None
    recovery_high: Decimal | None
    extrapolated: bool

    @property
    def clawback(self) -> Decimal:
        """What the audit posts as a clawback: the recovery less the invalid sampled claims not
        yet paid, whose rejection takes them off what is due; never below £0."""
        return max(self.recovery - pence(self.invalid_unpaid_value), ZERO)


def estimate(
    *,
    population_count: int,
    population_value: Decimal,
    sample: Sequence[SampledClaim],
    extrapolate: bool = True,
) -> AuditEstimate:
    """The audit's figures. `extrapolate` is False for a sample that was not drawn at random."""
    n, big_n = len(sample), population_count
    if n == 0:
        raise AuditStatsError("The sample has no claims.")
    if n > big_n:
        raise AuditStatsError(f"The sample ({n}) is larger than the population ({big_n}).")
    if population_value <= 0:
        raise AuditStatsError("The population's claims have no value to audit.")
    with localcontext() as ctx:
        ctx.prec = 28
        y = sum((c.value for c in sample), ZERO)
        x = sum((c.invalid_value for c in sample), ZERO)
        if y <= 0:
            raise AuditStatsError("The sampled claims have no value, so no error rate by value.")
        r = x / y
        invalid_count = sum(1 for c in sample if c.invalid)
        common = {
            "population_count": big_n,
            "population_value": population_value,
            "sample_count": n,
            "sample_value": y,
            "invalid_count": invalid_count,
            "invalid_value": x,
            "invalid_unpaid_value": sum((c.invalid_value for c in sample if not c.paid), ZERO),
            "error_rate": r.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
        }
        if not extrapolate:
            return AuditEstimate(
                **common,
                standard_error=None,
                ci_low=None,
                ci_high=None,
                recovery=pence(x),
                recovery_low=None,
                recovery_high=None,
                extrapolated=False,
            )
        if n < 2 and n < big_n:
            raise AuditStatsError("A random sample needs at least two claims for a confidence interval.")
        if n == big_n:
            se = ZERO  # every claim was checked: the rate is known exactly
        else:
            residuals = [c.invalid_value - r * c.value for c in sample]
            s2 = sum((d * d for d in residuals), ZERO) / (n - 1)
            fpc = ONE - Decimal(n) / Decimal(big_n)
            mean_value = population_value / Decimal(big_n)
            se = (fpc * s2 / Decimal(n)).sqrt() / mean_value
        low = max(r - Z_95 * se, ZERO)
        high = min(r + Z_95 * se, ONE)
        return AuditEstimate(
            **common,
            standard_error=se.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
            ci_low=low.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
            ci_high=high.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
            recovery=pence(r * population_value),
            recovery_low=pence(low * population_value),
            recovery_high=pence(high * population_value),
            extrapolated=True,
        )
