"""Reads for calls and bids: visible-object fetches, lists shaped for pages and endpoints, the
blind view of scores, the ranking per lot (fed to the pure ranking module in a constant number of
queries), and each bid's projected value for money from the existing engine."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pandas as pd
from django.db.models import Prefetch, QuerySet

from accounts.roles import is_commissioner, is_provider
from commissioning import vfm
from commissioning.selectors import measure_frame
from core.errors import Conflict
from grants.permissions import member_organisation_ids

from . import ranking
from .delivery import BidDelivery, MeasureDelivery
from .models import (
    AssessmentSubmission,
    Assessor,
    AssessorScore,
    Bid,
    Call,
    Criterion,
    InterestDeclaration,
    LotMeasure,
    Moderation,
    ProposedOutcome,
)
from .permissions import CALL_NOT_VISIBLE, RULES, Action
from .services._common import now

SUBMIT_YOUR_OWN = "Submit your own scores for every bid you assess before you see the ranking."


def open_calls(at=None) -> QuerySet[Call]:
    """Calls published and open for bids now (the public list)."""
    at = at or now()
    return (
        Call.objects.filter(status=Call.Status.OPEN, opens_at__lte=at, closes_at__gt=at)
        .select_related("funding_stream")
        .prefetch_related("lots", "priorities", "themes", "wards")
        .order_by("closes_at", "reference")
    )


def calls_visible(user) -> QuerySet[Call]:
    """Commissioners see every call; everyone else the published ones."""
    calls = Call.objects.select_related("funding_stream").prefetch_related("lots")
    return calls if is_commissioner(user) else calls.exclude(status=Call.Status.DRAFT)


def call_get_visible(*, user, pk) -> Call:
    return RULES.get_visible(
        Call.objects.select_related("funding_stream"), user=user, pk=pk, action=Action.CALL_VIEW,
        missing=CALL_NOT_VISIBLE,
    )  # fmt: skip


def bid_get_visible(*, user, pk) -> Bid:
    """A bid its organisation's members may see, or a commissioner not conflicted with it (an
    assessor who has not yet declared an interest in its organisation is asked to first)."""
    from .permissions import BID_NOT_VISIBLE
    from .services.assessment import check_may_see

    bid = RULES.get_visible(
        Bid.objects.select_related("call", "lot", "organisation"), user=user, pk=pk, action=Action.BID_VIEW,
        missing=BID_NOT_VISIBLE,
    )  # fmt: skip
    if bid.organisation_id not in (member_organisation_ids(user) if is_provider(user) else set()):
        check_may_see(bid.call, bid, user)
    return bid


def bids_visible(*, user, call: Call) -> QuerySet[Bid]:
    """A call's bids the user may see: a provider's own organisations'; for a commissioner the
    submitted and withdrawn ones, less those of organisations they declared a conflict with."""
    bids = Bid.objects.filter(call=call).select_related("lot", "organisation")
    if is_commissioner(user):
        conflicted = InterestDeclaration.objects.filter(call=call, assessor=user, conflicted=True).values(
            "organisation_id"
        )
        return bids.exclude(status=Bid.Status.DRAFT).exclude(organisation_id__in=conflicted)
    if is_provider(user):
        return bids.filter(organisation_id__in=member_organisation_ids(user))
    return bids.none()


def bids_of_user(user) -> QuerySet[Bid]:
    organisations = member_organisation_ids(user) if is_provider(user) else set()
    return Bid.objects.filter(organisation_id__in=organisations).select_related("call", "lot", "organisation")


def bid_detail(bid: Bid) -> Bid:
    """The bid with everything its page and endpoint show, in a fixed number of queries."""
    return (
        Bid.objects.select_related("call", "lot", "organisation")
        .prefetch_related(
            "answers",
            "eligibility_answers",
            Prefetch("proposed_outcomes", queryset=ProposedOutcome.objects.select_related("measure")),
            "rate_card__measure",
            "budget_lines",
            "social_value",
        )
        .get(pk=bid.pk)
    )


def scores_visible(*, user, bid: Bid) -> list[AssessorScore]:
    """Blind scoring: an assessor sees their own scores, and everyone's once they have submitted
    theirs for this bid; a commissioner who is not an assessor sees them once every assessor has
    submitted; providers see none here (their summary comes with the award)."""
    scores = (
        AssessorScore.objects.filter(bid=bid)
        .select_related("criterion", "assessor")
        .order_by("criterion__kind", "criterion__order", "assessor__username")
    )
    if not is_commissioner(user):
        return []
    if Assessor.objects.filter(call_id=bid.call_id, user=user).exists():
        if AssessmentSubmission.objects.filter(bid=bid, assessor=user).exists():
            return list(scores)
        return list(scores.filter(assessor=user))
    from .services.assessment import expected_assessors, submitted_assessors

    if expected_assessors(bid.call, bid) <= submitted_assessors(bid):
        return list(scores)
    return []


def require_ranking_visible(*, user, call: Call) -> None:
    """The ranking shows every bid's scores: an assessor sees it once they have submitted their
    own assessment of every bid they can score."""
    if not Assessor.objects.filter(call=call, user=user).exists():
        return
    conflicted = InterestDeclaration.objects.filter(call=call, assessor=user, conflicted=True).values(
        "organisation_id"
    )
    owed = (
        Bid.objects.filter(call=call, status=Bid.Status.SUBMITTED)
        .exclude(organisation_id__in=conflicted)
        .exclude(assessments__assessor=user)
    )
    if owed.exists():
        raise Conflict(SUBMIT_YOUR_OWN)


def call_ranking(call: Call) -> list[ranking.RankedBid]:
    """Every submitted bid of the call ranked within its lot; seven queries whatever the bids."""
    criteria = list(Criterion.objects.filter(call=call).order_by("kind", "order", "id"))
    bids = list(
        Bid.objects.filter(call=call, status=Bid.Status.SUBMITTED).select_related("organisation", "lot")
    )
    volumes = _volumes(call)
    unit_costs = _lot_unit_costs(call)
    specs = [
        ranking.BidSpec(
            id=b.pk,
            lot_id=b.lot_id,
            price=b.price,
            weighted_outcomes=ranking.weighted_outcomes(volumes.get(b.pk, {}), unit_costs.get(b.lot_id, {})),
            excluded_reason=b.excluded_reason,
        )
        for b in bids
    ]
    scores = [
        ranking.RawScore(*row)
        for row in AssessorScore.objects.filter(bid__call=call, bid__status=Bid.Status.SUBMITTED).values_list(
            "bid_id", "criterion_id", "assessor_id", "score"
        )
    ]
    moderations = {
        (b, c): s
        for b, c, s in Moderation.objects.filter(bid__call=call).values_list(
            "bid_id", "criterion_id", "score"
        )
    }
    scheme = ranking.Scheme(
        quality_weight=call.quality_weight,
        price_weight=call.price_weight,
        social_value_weight=call.social_value_weight,
        quality_threshold=call.quality_threshold,
        price_method=call.price_method,
    )
    specs_ = [ranking.CriterionSpec(c.pk, c.kind, c.weight) for c in criteria]
    rows = ranking.rank(scheme, specs_, specs, scores, moderations)
    by_id = {b.pk: b for b in bids}
    for row in rows:
        row.bid = by_id[row.bid_id]  # type: ignore[attr-defined]
    return rows


def _volumes(call: Call) -> dict[int, dict[int, Decimal]]:
    out: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for bid_id, measure_id, volume in ProposedOutcome.objects.filter(
        bid__call=call, bid__status=Bid.Status.SUBMITTED
    ).values_list("bid_id", "measure_id", "volume"):
        out[bid_id][measure_id] += volume
    return out


def _lot_unit_costs(call: Call) -> dict[int, dict[int, Decimal]]:
    out: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for lot_id, measure_id, unit_cost in LotMeasure.objects.filter(lot__call=call).values_list(
        "lot_id", "measure_id", "measure__unit_cost"
    ):
        out[lot_id][measure_id] = unit_cost
    return out


def bids_vfm(bids: QuerySet[Bid] | list[Bid]) -> dict[int, dict]:
    """Each bid's projected value for money from the engine (commissioning.vfm): its proposed
    outcomes taken as delivered, its price as the cost over the service period. Per bid:
    projected_outcomes, projected_cost_per_outcome, projected_bcr, bcr_band."""
    ids = [b.pk for b in bids]
    if not ids:
        return {}
    rows = list(
        Bid.objects.filter(pk__in=ids).values(
            "id", "title", "organisation__name", "price", "call__service_start", "call__service_end"
        )
    )
    programmes = pd.DataFrame(
        {
            "programme_id": [r["id"] for r in rows],
            "reference": [f"bid-{r['id']}" for r in rows],
            "title": [r["title"] for r in rows],
            "provider": [r["organisation__name"] for r in rows],
            "funding_stream": [""] * len(rows),
            "award": [float(r["price"]) for r in rows],
            "start_date": [r["call__service_start"] for r in rows],
            "end_date": [r["call__service_end"] for r in rows],
            "optimism_bias": [float("nan")] * len(rows),
            "attribution": [float("nan")] * len(rows),
        }
    )
    proposed = pd.DataFrame.from_records(
        list(ProposedOutcome.objects.filter(bid_id__in=ids).values_list("bid_id", "measure_id", "volume")),
        columns=["programme_id", "measure_id", "volume"],
    )
    proposed["volume"] = proposed["volume"].astype(float)
    per_measure = proposed.groupby(["programme_id", "measure_id"], as_index=False)["volume"].sum()
    per_measure["target"] = per_measure["volume"]
    per_measure["achieved"] = per_measure["volume"]
    start = min(r["call__service_start"] for r in rows)
    end = max(r["call__service_end"] for r in rows)
    inputs = vfm.VfmInputs(
        programmes=programmes,
        measures=measure_frame(),
        period_start=start,
        period_end=end,
        today=end,
        totals=vfm.VfmTotals(
            per_measure=per_measure[["programme_id", "measure_id", "target", "achieved"]],
            spend=pd.DataFrame({"programme_id": pd.Series(dtype="int64"), "spend": pd.Series(dtype=float)}),
            missing=pd.DataFrame(
                {"programme_id": pd.Series(dtype="int64"), "missing_returns": pd.Series(dtype="int64")}
            ),
        ),
    )
    table = vfm.compute(inputs).programmes
    out = {}
    for r in table.to_dict("records"):
        outcomes = float(r.get("outcomes") or 0.0)
        cost = float(r["cost"])
        bcr = r.get("bcr")
        out[int(r["programme_id"])] = {
            "projected_outcomes": _dec(outcomes, "0.01"),
            "projected_cost_per_outcome": _dec(cost / outcomes, "0.01") if outcomes > 0 else None,
            "projected_bcr": None if bcr is None or pd.isna(bcr) else _dec(bcr, "0.01"),
            "bcr_band": r.get("bcr_band"),
        }
    return out


def _dec(value: float, places: str) -> Decimal:
    return ranking.money(Decimal(str(value)), places)


def prefill_from_programme(programme) -> dict:
    """A new call's starting values from a programme a review round decided to recommission: its
    measures (with their volumes over the last year as minimums), priorities, themes, wards,
    funding stream and award as the budget."""
    measures = defaultdict(Decimal)
    for measure_id, value in programme.targets.values_list("measure_id", "target_value"):
        measures[measure_id] += value
    primary = (
        programme.programme_priorities.filter(is_primary=True).values_list("priority_id", flat=True).first()
    )
    return {
        "title": f"Recommissioning: {programme.title}",
        "specification": programme.description,
        "funding_stream": programme.funding_stream_id,
        "commissioning_model": programme.commissioning_model,
        "priority_ids": list(programme.priorities.values_list("pk", flat=True)),
        "primary_priority_id": primary,
        "theme_ids": list(programme.themes.values_list("pk", flat=True)),
        "ward_ids": list(programme.wards.values_list("pk", flat=True)),
        "budget": programme.award_amount,
        "measures": [(m, Decimal(0)) for m in measures],
        "source_programme": programme.pk,
    }


def summary_figures(bid: Bid):
    """The figures of a bid's assessment summary: the same ranking the API and pages show."""
    from .models import Award
    from .summary_pdf import CriterionLine, SummaryFigures

    award = Award.objects.select_related("bid__organisation", "lot").filter(lot_id=bid.lot_id).first()
    if award is None:
        return None
    rows = [r for r in call_ranking(bid.call) if r.lot_id == bid.lot_id]
    mine = next((r for r in rows if r.bid_id == bid.pk), None)
    winner = next((r for r in rows if r.bid_id == award.bid_id), None)
    if mine is None or winner is None:
        return None
    ranked = sum(1 for r in rows if r.rank is not None)
    rank = f"{mine.rank} of {ranked}" if mine.rank else f"not ranked ({mine.excluded_reason or 'incomplete'})"
    reasons: dict[int, list[str]] = defaultdict(list)
    for criterion_id, justification in AssessorScore.objects.filter(bid=bid).values_list(
        "criterion_id", "justification"
    ):
        reasons[criterion_id].append(justification)
    moderated = dict(Moderation.objects.filter(bid=bid).values_list("criterion_id", "rationale"))
    for criterion_id, rationale in moderated.items():
        reasons[criterion_id].append(f"Moderated: {rationale}")

    def final(row, criterion_id) -> str:
        value = row.criteria.get(criterion_id)
        return "–" if value is None or value.final is None else f"{ranking.money(value.final)}"

    def fig(value) -> str:
        return "–" if value is None else f"{ranking.money(value)}"

    lines = [
        CriterionLine(c.name, c.weight, final(mine, c.pk), final(winner, c.pk), reasons.get(c.pk, []))
        for c in Criterion.objects.filter(call=bid.call).order_by("kind", "order")
    ]
    totals = [
        ("Price (£)", f"{mine.price:,.2f}", f"{winner.price:,.2f}"),
        ("Quality %", fig(mine.quality_pct), fig(winner.quality_pct)),
        ("Quality score", fig(mine.quality_score), fig(winner.quality_score)),
        ("Price score", fig(mine.price_score), fig(winner.price_score)),
        ("Social value score", fig(mine.social_value_score), fig(winner.social_value_score)),
        ("Total", fig(mine.total), fig(winner.total)),
    ]
    from core.formatting import short_date

    return SummaryFigures(
        call=f"{bid.call.reference} {bid.call.title}", lot=f"Lot {award.lot.number}: {award.lot.title}",
        bidder=bid.organisation.name, winner=award.bid.organisation.name, rank=rank,
        standstill_ends=short_date(award.standstill_ends), lines=lines, totals=totals,
    )  # fmt: skip


def clarifications_waiting() -> QuerySet:
    """The clarification queue: questions on published calls not yet answered, oldest first
    (commissioners answer them; who asked is never shown)."""
    from .models import Clarification

    return (
        Clarification.objects.filter(published_at__isnull=True)
        .exclude(call__status=Call.Status.DRAFT)
        .select_related("call")
        .order_by("asked_at", "pk")
    )


def clarifications_published(call: Call) -> QuerySet:
    """A call's published answers, as every bidder sees them (without who asked)."""
    return call.clarifications.filter(published_at__isnull=False).order_by("published_at", "pk")


def delivery_against_bids(programme_ids, *, today=None) -> dict[int, BidDelivery]:
    """Delivery against the bid, for programmes created from a winning bid: what the bid promised
    (its price, proposed outcomes per measure, projected cost per outcome and benefit-cost ratio
    from the engine) beside what returns and claims achieved over the same service period (the
    engine's outcomes, cost, cost per outcome and ratio). One definition for the programme page,
    the VfM table and the funding review (HTML and PDF), so every channel shows the same figures;
    the period is always the call's service period, whatever the page's own period."""
    from commissioning.selectors import portfolio_vfm_inputs
    from grants.models import Programme
    from outcomes.periods import FinancialYear

    bids = list(
        Bid.objects.filter(programme_id__in=list(programme_ids)).select_related("call", "organisation")
    )
    if not bids:
        return {}
    projected = bids_vfm(bids)
    promised: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    names: dict[int, str] = {}
    for bid_id, measure_id, name, volume in ProposedOutcome.objects.filter(
        bid_id__in=[b.pk for b in bids]
    ).values_list("bid_id", "measure_id", "measure__name", "volume"):
        promised[bid_id][measure_id] += volume
        names[measure_id] = name
    periods: dict[tuple[str, str], list[int]] = defaultdict(list)
    for bid in bids:
        first = FinancialYear.containing(bid.call.service_start).label
        last = FinancialYear.containing(bid.call.service_end).label
        periods[(first, last)].append(bid.programme_id)
    achieved_rows: dict[int, dict] = {}
    achieved_measures: dict[int, dict[int, float]] = defaultdict(dict)
    for (first, last), ids in periods.items():
        result = vfm.compute(
            portfolio_vfm_inputs(
                Programme.objects.filter(pk__in=ids), first_year=first, last_year=last, today=today
            )
        )
        for row in result.programmes.to_dict("records"):
            achieved_rows[int(row["programme_id"])] = row | {"period": f"{first} to {last}"}
        for row in result.measures.to_dict("records"):
            achieved_measures[int(row["programme_id"])][int(row["measure_id"])] = float(row["achieved"] or 0)
            names.setdefault(int(row["measure_id"]), row["measure"])
    out = {}
    for bid in bids:
        row = achieved_rows.get(bid.programme_id, {})
        outcomes = float(row.get("outcomes") or 0.0)
        cost = row.get("cost")
        bcr = row.get("bcr")
        plan = projected.get(bid.pk, {})
        measure_ids = sorted(
            set(promised[bid.pk]) | set(achieved_measures[bid.programme_id]), key=lambda m: names.get(m, "")
        )
        out[bid.programme_id] = BidDelivery(
            programme_id=bid.programme_id,
            bid_id=bid.pk,
            call_id=bid.call_id,
            call_reference=bid.call.reference,
            period=row.get("period", ""),
            promised_price=bid.price,
            promised_outcomes=ranking.money(sum(promised[bid.pk].values(), Decimal(0))),
            projected_cost_per_outcome=plan.get("projected_cost_per_outcome"),
            projected_bcr=plan.get("projected_bcr"),
            achieved_outcomes=_dec(outcomes, "0.01"),
            actual_cost=None if cost is None or pd.isna(cost) else _dec(float(cost), "0.01"),
            cost_estimated=bool(row.get("cost_estimated", True)),
            actual_cost_per_outcome=_dec(float(cost) / outcomes, "0.01")
            if cost is not None and not pd.isna(cost) and outcomes > 0
            else None,
            actual_bcr=None if bcr is None or pd.isna(bcr) else _dec(float(bcr), "0.01"),
            measures=[
                MeasureDelivery(
                    names.get(m, ""),
                    ranking.money(promised[bid.pk].get(m, Decimal(0))),
                    _dec(achieved_measures[bid.programme_id].get(m, 0.0), "0.01"),
                )
                for m in measure_ids
            ],
        )
    return out


def add_delivery_against_bids(rows: list[dict]) -> list[dict]:
    """The VfM table's rows (commissioning.selectors.vfm_rows) with delivery against the bid for
    programmes created from a winning bid: `against_bid` (the page's lines) and the two figures
    the API and its CSV/Excel carry, `bid_projected_cost_per_outcome` and
    `bid_actual_cost_per_outcome` (None for other programmes). One helper for page and API."""
    deliveries = delivery_against_bids([row["programme"] for row in rows])
    for row in rows:
        found = deliveries.get(row["programme"])
        row["against_bid"] = found
        row["bid_projected_cost_per_outcome"] = found.projected_cost_per_outcome if found else None
        row["bid_actual_cost_per_outcome"] = found.actual_cost_per_outcome if found else None
    return rows
