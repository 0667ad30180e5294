"""A funding review's figures as plain rows and a plain dict: the CSV download and the API's JSON
take them from here, as the PDF and the HTML version take them from the same FundingReview
(commissioning.reports.selectors.funding_review). Pure: no ORM, no HTTP."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from commissioning.reports.content import FundingReview, ProgrammeSection

PROGRAMME_COLUMNS = [
    "rank",
    "reference",
    "title",
    "provider",
    "funding_stream",
    "award",
    "spent",
    "spend_returned",
    "cost",
    "cost_estimated",
    "benefit",
    "outcomes",
    "achievement",
    "bcr",
    "bcr_band",
    "composite_score",
    "criteria_scored",
    "criteria_total",
    "decision",
    "flags",
]


PENNY = Decimal("0.01")


def pennies(amount: Decimal | None) -> Decimal | None:
    """Money to the penny, as the API writes it everywhere ("0.00", not "0")."""
    return None if amount is None else Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


def programme_row(p: ProgrammeSection) -> dict:
    return {
        "rank": p.rank,
        "reference": p.reference,
        "title": p.title,
        "provider": p.provider,
        "funding_stream": p.funding_stream,
        "award": pennies(p.award),
        "spent": pennies(p.spent),
        "spend_returned": pennies(p.spend_returned),
        "cost": pennies(p.cost),
        "cost_estimated": p.cost_estimated,
        "benefit": pennies(p.benefit),
        "outcomes": p.outcomes,
        "achievement": p.achievement,
        "bcr": p.bcr,
        "bcr_band": p.bcr_band,
        "composite_score": p.composite_score,
        "criteria_scored": p.criteria_scored,
        "criteria_total": p.criteria_total,
        "decision": p.decision.outcome if p.decision else None,
        "flags": list(p.flags),
        "fiscal_benefit": pennies(p.fiscal_benefit),
        "transfers": pennies(p.transfers),
        "economic_benefit": pennies(p.economic_benefit),
        "social_benefit": pennies(p.social_benefit),
        "fiscal_return": p.fiscal_return,
        "bcr_low": p.bcr_low,
        "bcr_high": p.bcr_high,
        "bcr_ci_low": p.bcr_ci_low,
        "bcr_ci_high": p.bcr_ci_high,
        "measured": p.measured,
        "who_benefits": [agency_row(a) for a in p.agencies],
    }


def agency_row(a) -> dict:
    return {
        "agency": a.agency,
        "fiscal": pennies(a.fiscal),
        "transfers": pennies(a.transfers),
        "share": a.share,
    }


def sensitivity_row(t) -> dict:
    return {"assumption": t.assumption, "bcr_low": t.bcr_low, "bcr_high": t.bcr_high, "swing": t.swing}


def programme_rows(review: FundingReview) -> list[dict]:
    """One row per programme, in rank order (as the ranked table)."""
    return [programme_row(p) for p in sorted(review.programmes, key=lambda p: p.rank)]


def csv_table(review: FundingReview) -> tuple[list[str], list[list]]:
    rows = programme_rows(review)
    return PROGRAMME_COLUMNS, [
        ["; ".join(r[c]) if c == "flags" else r[c] for c in PROGRAMME_COLUMNS] for r in rows
    ]


def as_dict(review: FundingReview) -> dict:
    """The whole review's figures: scope, totals, budget lines, rounds and programmes."""
    return {
        "scope": review.scope_kind,
        "label": review.scope_label,
        "financial_years": review.financial_years,
        "draft": review.is_draft,
        "draft_reasons": review.draft_reasons,
        "counted": "verified and submitted returns" if review.include_submitted else "verified returns",
        "totals": {
            "programmes": review.programme_count,
            "awarded": pennies(review.total_awarded),
            "spent": pennies(review.total_spent),
            "spend_returned": pennies(review.total_spend_returned),
            "cost": pennies(review.total_cost),
            "benefit": pennies(review.total_benefit),
            "outcomes": review.outcomes_achieved,
            "portfolio_bcr": review.portfolio_bcr,
            "fiscal_benefit": pennies(review.total_fiscal),
            "transfers": pennies(review.total_transfers),
            "portfolio_fiscal_return": review.portfolio_fiscal_return,
        },
        "price_basis": {
            "price_year": review.price_year,
            "deflator_series": review.deflator_series,
            "discount_rate": review.discount_rate,
        },
        "who_benefits": [agency_row(a) for a in review.agencies],
        "sensitivity": [sensitivity_row(t) for t in review.sensitivity],
        "funding_streams": [
            {
                "name": s.name,
                "financial_year": s.financial_year,
                "programmes": s.programmes,
                "budget": pennies(s.budget),
                "awarded": pennies(s.awarded),
                "available": pennies(s.available),
                "spent": pennies(s.spent),
                "percent_spent": percent_of(s.spent, s.budget),
            }
            for s in review.streams
        ],
        "review_rounds": [
            {
                "name": line.name,
                "status": line.status,
                "programmes": line.programmes,
                "unscored": line.unscored,
                "undecided": line.undecided,
            }
            for line in review.rounds
        ],
        "decisions": dict(review.decisions),
        "programmes": programme_rows(review),
    }


def percent_of(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole × 100 to one place, half up: the budgets page's "% spent" arithmetic."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
