"""The pure ranking module on hand-worked cases (docs/commissioning.md works the first by hand)."""

from decimal import Decimal

from commissioning.calls.ranking import (
    BidSpec,
    CriterionSpec,
    RawScore,
    Scheme,
    money,
    rank,
    weighted_outcomes,
)

A, B, SV = 1, 2, 3
CRITERIA = [
    CriterionSpec(A, "quality", 60),
    CriterionSpec(B, "quality", 40),
    CriterionSpec(SV, "social_value", 100),
]
SCHEME = Scheme(60, 30, 10, Decimal("50"), "relative")


def scores(bid: int, by_criterion: dict[int, list[int]]) -> list[RawScore]:
    return [
        RawScore(bid, criterion, assessor, value)
        for criterion, values in by_criterion.items()
        for assessor, value in enumerate(values, start=1)
    ]


RAW = (
    scores(10, {A: [4, 4], B: [3, 3], SV: [5, 5]})
    + scores(20, {A: [2, 4], B: [3, 3], SV: [3, 3]})
    + scores(30, {A: [1, 2], B: [2, 2], SV: [4, 4]})
)
BIDS = [
    BidSpec(10, 1, Decimal("100000")),
    BidSpec(20, 1, Decimal("80000")),
    BidSpec(30, 1, Decimal("50000")),
]


def by_id(rows):
    return {r.bid_id: r for r in rows}


def test_worked_example_quality_threshold_price_and_social_value():
    rows = rank(SCHEME, CRITERIA, BIDS, RAW, {(20, A): 3})
    r = by_id(rows)
    # Bid 10: quality (60×4 + 40×3) ÷ 5 = 72%; 60 × 72% = 43.2; price 30 × 80,000 ÷ 100,000 = 24; SV 10 × 5/5.
    assert (r[10].quality_pct, r[10].quality_score) == (Decimal(72), Decimal("43.2"))
    assert (r[10].price_score, r[10].social_value_score, r[10].total) == (
        Decimal(24),
        Decimal(10),
        Decimal("77.2"),
    )
    # Bid 20: moderated 3 on A: (60×3 + 40×3) ÷ 5 = 60%; 36 + 30 (lowest passing price) + 10 × 3/5 = 72.
    assert (r[20].quality_pct, r[20].price_score, r[20].social_value_score) == (
        Decimal(60),
        Decimal(30),
        Decimal(6),
    )
    assert r[20].total == Decimal(72)
    # Bid 30: (60×1.5 + 40×2) ÷ 5 = 34% is under the 50% threshold: not price-scored, ranked after.
    assert r[30].quality_pct == Decimal(34) and not r[30].passes_threshold
    assert (r[30].price_score, r[30].total) == (None, None)
    assert [row.bid_id for row in rows] == [10, 20, 30]
    assert [row.rank for row in rows] == [1, 2, 3]


def test_a_spread_of_two_awaits_moderation_until_moderated():
    unmoderated = by_id(rank(SCHEME, CRITERIA, BIDS, RAW))
    assert unmoderated[20].awaiting_moderation == [A]
    assert unmoderated[20].criteria[A].mean == Decimal(3) and unmoderated[20].criteria[A].spread == 2
    assert unmoderated[30].awaiting_moderation == []  # 1 and 2 differ by one point
    moderated = by_id(rank(SCHEME, CRITERIA, BIDS, RAW, {(20, A): 2}))
    assert moderated[20].awaiting_moderation == []
    assert moderated[20].criteria[A].scores == [2, 4]  # the originals are kept beside it
    assert moderated[20].quality_pct == Decimal(48)  # (60×2 + 40×3) ÷ 5: now under the threshold


def test_excluded_and_incomplete_bids_are_not_ranked():
    bids = [
        *BIDS[:2],
        BidSpec(30, 1, Decimal("50000"), excluded_reason="Not a registered charity"),
        BidSpec(40, 1, Decimal("1")),
    ]
    rows = rank(SCHEME, CRITERIA, bids, RAW, {(20, A): 3})
    r = by_id(rows)
    assert r[30].rank is None and r[30].total is None
    assert r[40].incomplete and r[40].rank is None
    assert [row.bid_id for row in rows] == [10, 20, 40, 30]
    # An excluded bid's lower price does not set the lowest price.
    assert r[20].price_score == Decimal(30)


def test_ties_are_broken_by_quality_then_price():
    one = [CriterionSpec(1, "quality", 100)]
    scheme = Scheme(50, 50, 0, Decimal("0"), "relative")
    raw = scores(1, {1: [5, 5]}) + scores(2, {1: [2, 3]})
    # Bid 1: 50 × 100% + 50 × 100/200 = 75; bid 2: 50 × 50% + 50 × 100/100 = 75: quality decides.
    rows = rank(scheme, one, [BidSpec(1, 1, Decimal(200)), BidSpec(2, 1, Decimal(100))], raw)
    assert [r.total for r in rows] == [Decimal(75), Decimal(75)]
    assert [r.bid_id for r in rows] == [1, 2]
    # Equal quality and equal cost per outcome: the lower price first.
    cpo = Scheme(50, 50, 0, Decimal("0"), "cost_per_outcome")
    raw = scores(3, {1: [4, 4]}) + scores(4, {1: [4, 4]})
    bids = [BidSpec(3, 1, Decimal(200), Decimal(20)), BidSpec(4, 1, Decimal(100), Decimal(10))]
    rows = rank(cpo, one, bids, raw)
    assert rows[0].total == rows[1].total
    assert [r.bid_id for r in rows] == [4, 3]


def test_cost_per_outcome_method_scores_lowest_cost_per_weighted_outcome():
    one = [CriterionSpec(1, "quality", 100)]
    scheme = Scheme(60, 40, 0, Decimal("0"), "cost_per_outcome")
    raw = scores(1, {1: [3, 3]}) + scores(2, {1: [3, 3]})
    # Bid 1: 100,000 for 50 outcomes = 2,000 each; bid 2: 60,000 for 20 = 3,000: 40 × 2,000/3,000.
    rows = by_id(
        rank(
            scheme,
            one,
            [BidSpec(1, 1, Decimal(100000), Decimal(50)), BidSpec(2, 1, Decimal(60000), Decimal(20))],
            raw,
        )
    )
    assert rows[1].price_score == Decimal(40)
    assert money(rows[2].price_score) == Decimal("26.67")
    assert (rows[1].cost_per_outcome, rows[2].cost_per_outcome) == (Decimal(2000), Decimal(3000))


def test_weighted_outcomes_make_measures_comparable_by_unit_cost():
    # Unit costs 1,000 and 3,000 (mean 2,000): 10 × 0.5 + 5 × 1.5 = 12.5 weighted outcomes.
    assert weighted_outcomes(
        {1: Decimal(10), 2: Decimal(5)}, {1: Decimal(1000), 2: Decimal(3000)}
    ) == Decimal("12.5")
    assert weighted_outcomes({1: Decimal(7)}, {1: Decimal(450)}) == Decimal(7)
    assert weighted_outcomes({}, {1: Decimal(450)}) is None


def test_lots_are_ranked_separately():
    bids = [BidSpec(10, 1, Decimal("100000")), BidSpec(20, 2, Decimal("80000"))]
    rows = rank(SCHEME, CRITERIA, bids, RAW, {(20, A): 3})
    assert [(r.lot_id, r.rank) for r in rows] == [(1, 1), (2, 1)]
    assert all(r.price_score == Decimal(30) for r in rows)
