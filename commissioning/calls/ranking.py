"""Ranking a lot's bids: quality % from weighted (moderated) scores, the quality threshold, the
price score by the call's method, the social value score, the total; ties broken by quality,
then by price (lower first). Pure: no ORM, no HTTP; fed by commissioning.calls.selectors and
tested on hand-worked cases (tests/calls/test_ranking.py). docs/commissioning.md explains it.

All arithmetic is in Decimal; figures are rounded half up to two places only when shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MODERATION_SPREAD = 2  # assessors this many points apart on a criterion: the lead moderates
RELATIVE = "relative"
COST_PER_OUTCOME = "cost_per_outcome"
QUALITY = "quality"
SOCIAL_VALUE = "social_value"
HUNDRED = Decimal(100)
FIVE = Decimal(5)


@dataclass(frozen=True)
class Scheme:
    quality_weight: int
    price_weight: int
    social_value_weight: int
    quality_threshold: Decimal
    price_method: str


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    kind: str  # QUALITY or SOCIAL_VALUE
    weight: int  # percent of its part


@dataclass(frozen=True)
class BidSpec:
    id: int
    lot_id: int
    price: Decimal
    weighted_outcomes: Decimal | None = None  # for the cost-per-outcome method
    excluded_reason: str = ""


@dataclass(frozen=True)
class RawScore:
    bid_id: int
    criterion_id: int
    assessor_id: int
    score: int


@dataclass
class CriterionResult:
    criterion_id: int
    scores: list[int]
    mean: Decimal | None
    spread: int
    moderated: int | None
    needs_moderation: bool

    @property
    def final(self) -> Decimal | None:
        return Decimal(self.moderated) if self.moderated is not None else self.mean


@dataclass
class RankedBid:
    bid_id: int
    lot_id: int
    price: Decimal
    criteria: dict[int, CriterionResult] = field(default_factory=dict)
    quality_pct: Decimal | None = None
    passes_threshold: bool = False
    quality_score: Decimal | None = None
    price_score: Decimal | None = None
    social_value_score: Decimal | None = None
    total: Decimal | None = None
    cost_per_outcome: Decimal | None = None
    rank: int | None = None
    excluded_reason: str = ""
    incomplete: bool = False

    @property
    def awaiting_moderation(self) -> list[int]:
        return [c.criterion_id for c in self.criteria.values() if c.needs_moderation]


def money(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def criterion_results(
    criteria: Iterable[CriterionSpec], scores: Iterable[RawScore], moderations: dict[tuple[int, int], int]
) -> dict[int, dict[int, CriterionResult]]:
    """Per bid, per criterion: the assessors' scores, their mean and spread, the moderated score."""
    by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    bids: set[int] = set()
    for s in scores:
        by_pair[(s.bid_id, s.criterion_id)].append(s.score)
        bids.add(s.bid_id)
    bids |= {bid for bid, _ in moderations}
    out: dict[int, dict[int, CriterionResult]] = {}
    for bid in bids:
        out[bid] = {}
        for c in criteria:
            values = sorted(by_pair.get((bid, c.id), []))
            spread = values[-1] - values[0] if values else 0
            moderated = moderations.get((bid, c.id))
            out[bid][c.id] = CriterionResult(
                criterion_id=c.id,
                scores=values,
                mean=Decimal(sum(values)) / len(values) if values else None,
                spread=spread,
                moderated=moderated,
                needs_moderation=spread >= MODERATION_SPREAD and moderated is None,
            )
    return out


def rank(
    scheme: Scheme,
    criteria: list[CriterionSpec],
    bids: list[BidSpec],
    scores: Iterable[RawScore],
    moderations: dict[tuple[int, int], int] | None = None,
) -> list[RankedBid]:
    """Rank the bids of each lot (the list holds every lot's bids, each lot in its own order)."""
    results = criterion_results(criteria, scores, moderations or {})
    quality = [c for c in criteria if c.kind == QUALITY]
    social = [c for c in criteria if c.kind == SOCIAL_VALUE]
    by_lot: dict[int, list[RankedBid]] = defaultdict(list)
    for bid in bids:
        row = RankedBid(
            bid_id=bid.id, lot_id=bid.lot_id, price=bid.price, excluded_reason=bid.excluded_reason
        )
        row.criteria = results.get(
            bid.id, {c.id: CriterionResult(c.id, [], None, 0, None, False) for c in criteria}
        )
        if bid.weighted_outcomes:
            row.cost_per_outcome = bid.price / bid.weighted_outcomes
        _score_quality(row, scheme, quality, social)
        by_lot[bid.lot_id].append(row)
    ranked: list[RankedBid] = []
    for lot_id in sorted(by_lot):
        ranked.extend(_rank_lot(scheme, by_lot[lot_id]))
    return ranked


def _weighted_pct(row: RankedBid, criteria: list[CriterionSpec]) -> Decimal | None:
    finals = [row.criteria[c.id].final for c in criteria]
    if not criteria or any(f is None for f in finals):
        return None
    total_weight = sum(c.weight for c in criteria)
    return (
        sum(Decimal(c.weight) * f for c, f in zip(criteria, finals, strict=True))
        / FIVE
        / total_weight
        * HUNDRED
    )


def _score_quality(row: RankedBid, scheme: Scheme, quality, social) -> None:
    row.quality_pct = _weighted_pct(row, quality)
    social_pct = _weighted_pct(row, social) if social and scheme.social_value_weight else Decimal(0)
    row.incomplete = row.quality_pct is None or social_pct is None
    if row.incomplete or row.excluded_reason:
        return
    row.quality_score = Decimal(scheme.quality_weight) * row.quality_pct / HUNDRED
    row.passes_threshold = row.quality_pct >= scheme.quality_threshold
    if row.passes_threshold:
        row.social_value_score = Decimal(scheme.social_value_weight) * social_pct / HUNDRED


def _price_basis(scheme: Scheme, row: RankedBid) -> Decimal | None:
    basis = row.cost_per_outcome if scheme.price_method == COST_PER_OUTCOME else row.price
    return basis if basis is not None and basis > 0 else None


def _rank_lot(scheme: Scheme, rows: list[RankedBid]) -> list[RankedBid]:
    passing = [r for r in rows if r.passes_threshold and not r.excluded_reason]
    bases = [b for r in passing if (b := _price_basis(scheme, r)) is not None]
    lowest = min(bases) if bases else None
    for r in passing:
        basis = _price_basis(scheme, r)
        r.price_score = Decimal(scheme.price_weight) * lowest / basis if basis is not None else Decimal(0)
        r.total = r.quality_score + r.price_score + (r.social_value_score or Decimal(0))
    below = [r for r in rows if not r.passes_threshold and not r.excluded_reason and not r.incomplete]
    incomplete = [r for r in rows if r.incomplete and not r.excluded_reason]
    excluded = [r for r in rows if r.excluded_reason]
    passing.sort(key=lambda r: (-r.total, -r.quality_pct, r.price, r.bid_id))
    below.sort(key=lambda r: (-r.quality_pct, r.price, r.bid_id))
    incomplete.sort(key=lambda r: (r.price, r.bid_id))
    for position, r in enumerate(passing + below, start=1):
        r.rank = position
    return passing + below + incomplete + excluded


def weighted_outcomes(volumes: dict[int, Decimal], unit_costs: dict[int, Decimal]) -> Decimal | None:
    """Outcomes of different measures made comparable by their unit costs: Σ volume × (unit cost ÷
    the mean unit cost of the lot's measures, `unit_costs`). For a single measure it is the plain
    volume."""
    if not volumes:
        return None
    costs = list(unit_costs.values())
    mean = sum(costs) / len(costs)
    if mean <= 0:
        return sum(volumes.values()) or None
    total = sum(v * unit_costs[m] / mean for m, v in volumes.items())
    return total or None
