"""Demo review round: the 2009/10 review of partnership-funded activity, open, part-scored."""

from collections import Counter

from django.contrib.auth import get_user_model

from commissioning import services
from commissioning.models import Criterion, Decision, ReviewRound, Score
from grants.models import Programme

ROUND_NAME = "2009/10 review of partnership-funded activity"

# reference: {scorer: [scores for the five default criteria]}; rationale is generated from the figures.
SCORES = {
    "SSP-0918": {"commissioner": [5, 5, 4, 4, 4], "commissioner2": [5, 4, 4, 4, 3]},
    "SSP-0924": {"commissioner": [5, 3, 3, 3, 3], "commissioner2": [4, 3, 2, 3, 3]},
    "SSP-0910": {"commissioner": [4, 5, 4, 4, 4]},
    "SSP-0921": {"commissioner": [2, 1, 1, 2, 2], "commissioner2": [4, 1, 1, 2, 2]},
    "SSP-0903": {"commissioner": [5, 4, 4, 5, 4]},
    "SSP-0916": {"commissioner2": [2, 2, 2, 3, 3]},
}
DECISIONS = {
    "SSP-0918": ("continue", "Strong resettlement and job outcomes at a high benefit-cost ratio.", ""),
    "SSP-0921": (
        "decommission",
        "Outcomes far below target for a year; the partnership review found the strand ineffective.",
        "",
    ),
    "SSP-0924": (
        "conditions",
        "Largest worklessness programme; achievement slightly below target.",
        "Quarterly job-sustainment evidence; improvement plan for training completions by Q3 2010/11.",
    ),
}


def load(log=print) -> Counter:
    created: Counter = Counter()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["commissioner", "commissioner2"])
    }
    review_round = ReviewRound.objects.filter(name=ROUND_NAME).first()
    if review_round is None:
        review_round = services.round_create(
            user=users["commissioner"],
            name=ROUND_NAME,
            first_year="2009/10",
            last_year="2009/10",
            description="Review of all partnership-funded activity against the "
            "2009-12 priorities, value for money first.",
        )
        review_round = services.round_transition(
            user=users["commissioner"], review_round=review_round, to="open"
        )
        created["ReviewRound"] += 1
    if review_round.status != ReviewRound.Status.OPEN:
        log(f"Review round: {review_round} is {review_round.status}; left as it is.")
        return created
    criteria = list(Criterion.objects.filter(review_round=review_round).order_by("order"))
    programmes = {
        p.reference: p for p in Programme.objects.filter(reference__in=set(SCORES) | set(DECISIONS))
    }
    for reference, by_scorer in SCORES.items():
        for username, values in by_scorer.items():
            for criterion, value in zip(criteria, values, strict=False):
                exists = Score.objects.filter(
                    review_round=review_round,
                    programme=programmes[reference],
                    criterion=criterion,
                    commissioner=users[username],
                ).exists()
                if not exists:
                    services.score_record(
                        user=users[username],
                        review_round=review_round,
                        programme=programmes[reference],
                        criterion=criterion,
                        score=value,
                        rationale=f"{criterion.name}: scored {value} on the evidence to date.",
                    )
                    created["Score"] += 1
    for reference, (outcome, rationale, conditions) in DECISIONS.items():
        if not Decision.objects.filter(review_round=review_round, programme=programmes[reference]).exists():
            services.decision_record(
                user=users["commissioner"],
                review_round=review_round,
                programme=programmes[reference],
                outcome=outcome,
                rationale=rationale,
                conditions=conditions,
            )
            created["Decision"] += 1
    log(
        f"Review round: {review_round} ({review_round.get_status_display().lower()}), "
        f"{review_round.scores.count()} scores, {review_round.decisions.count()} decisions."
    )
    return created
