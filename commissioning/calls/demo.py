"""Demo calls: recommissioning young people's substance misuse services (two lots, four bids, one
ineligible, both demo commissioners assessing, one criterion awaiting moderation, lot 2's award in
standstill on 15 November 2010), and the earlier concluded call whose winning bid became the
programme SSP-0914, delivering since April 2009.

Create-only: a call whose reference exists is left exactly as it is. The rows are written here
rather than through the services because the demo's dates (2008-2010) are long past by the
server's clock, which the services (rightly) judge closing times by; every row names who did it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from grants.models import FundingStream, Organisation, Programme
from outcomes.models import OutcomeMeasure

from . import selectors
from .models import (
    AssessmentSubmission,
    Assessor,
    AssessorScore,
    Award,
    Bid,
    BidAnswer,
    BudgetLine,
    Call,
    Criterion,
    EligibilityAnswer,
    EligibilityQuestion,
    InterestDeclaration,
    Lot,
    LotMeasure,
    ProposedOutcome,
    RateCardLine,
    SocialValueCommitment,
)
from .services.calls import DEFAULT_SOCIAL_VALUE_DESCRIPTORS
from .standstill import standstill_ends

DESCRIPTORS = [
    "No response, or it does not address the criterion.",
    "Poor: major gaps or serious concerns.",
    "Weak: some relevant content, significant gaps.",
    "Adequate: meets the requirement with minor gaps.",
    "Good: meets the requirement fully, with evidence.",
    "Excellent: exceeds the requirement, with strong local evidence.",
]
CRITERIA = [
    ("Understanding of young people's needs in Southwark", 40),
    ("Treatment model and outcomes", 40),
    ("Partnership, referral routes and safeguarding", 20),
]
ELIGIBILITY = [
    "Registered charity, CIC or company with a named safeguarding lead",
    "Two years' audited accounts",
]
NEW_CALL, OLD_CALL = "SSP-C-2010-01", "SSP-C-2008-03"
# organisation key (org_id), lot number, price, {measure code: volume per quarter}, scores
# {assessor: [criterion scores..., social value]}, eligible
NEW_BIDS = [
    ("GB-CHC-1001957", 1, "285000.00", {"drug-treatment-effective": 22, "fte-diverted": 8},
     {"commissioner": [4, 4, 3, 4], "commissioner2": [4, 2, 3, 3]}, True),
    ("GB-CHC-1002269", 1, "262000.00", {"drug-treatment-effective": 18, "fte-diverted": 6},
     {"commissioner": [3, 3, 3, 3]}, False),
    ("GB-CHC-1064040", 2, "188000.00", {"drug-treatment-effective": 14},
     {"commissioner": [4, 4, 3, 3], "commissioner2": [4, 3, 3, 3]}, True),
    ("GB-CHC-801355", 2, "176000.00", {"drug-treatment-effective": 12},
     {"commissioner": [3, 3, 4, 4], "commissioner2": [3, 4, 4, 4]}, True),
]  # fmt: skip


def _at(y: int, m: int, d: int, hour: int = 12) -> datetime:
    return datetime(y, m, d, hour, tzinfo=UTC)


def load(log=print) -> Counter:
    created: Counter = Counter()
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["commissioner", "commissioner2"])
    }
    if len(users) < 2 or Programme.objects.filter(reference__in=["SSP-0907", "SSP-0914"]).count() != 2:
        log("Calls: the demo programmes and commissioners are missing; no calls loaded.")
        return created
    if not Call.objects.filter(reference=OLD_CALL).exists():
        _old_call(users, created)
    if not Call.objects.filter(reference=NEW_CALL).exists():
        _new_call(users, created)
    log(f"Calls: {Call.objects.count()} calls, {Bid.objects.count()} bids, {Award.objects.count()} awards.")
    return created


def _save(obj, created: Counter, user=None):
    if user is not None:
        obj._history_user = user
    obj.save()
    created[type(obj).__name__] += 1
    return obj


def _call(
    reference, title, source: Programme, stream: FundingStream, model: str, dates, user, created
) -> Call:
    opens, clarify, closes, start, end = dates
    call = _save(
        Call(
            reference=reference, title=title, kind=Call.Kind.LIGHT_TOUCH, commissioning_model=model,
            specification=(
                f"{title}. Outcomes are priced per young person or adult in effective treatment; providers "
                "propose quarterly volumes, a price and, under payment by results, a tariff per outcome."
            ),
            funding_stream=stream, opens_at=opens, clarification_deadline=clarify, closes_at=closes,
            service_start=start, service_end=end, status=Call.Status.OPEN, source_programme=source,
            primary_priority=source.programme_priorities.get(is_primary=True).priority, created_by=user,
        ),
        created,
        user,
    )  # fmt: skip
    call.priorities.set(source.priorities.all())
    call.themes.set(source.themes.all())
    call.wards.set(source.wards.all())
    for order, (name, weight) in enumerate(CRITERIA):
        _save(
            Criterion(call=call, name=name, weight=weight, descriptors=DESCRIPTORS, order=order),
            created,
            user,
        )
    _save(
        Criterion(call=call, kind=Criterion.Kind.SOCIAL_VALUE, name="Social value", weight=100,
                  descriptors=DEFAULT_SOCIAL_VALUE_DESCRIPTORS, order=len(CRITERIA)),
        created, user,
    )  # fmt: skip
    for order, text in enumerate(ELIGIBILITY):
        _save(EligibilityQuestion(call=call, text=text, order=order), created, user)
    _save(Assessor(call=call, user=user, is_lead=True), created, user)
    return call


def _bid(
    call,
    lot,
    org,
    price,
    volumes,
    years,
    submitted_at,
    created,
    *,
    tariffs=None,
    fee=Decimal(0),
    eligible=True,
):
    lead = Assessor.objects.get(call=call, is_lead=True).user
    member = org.members.first() or lead
    bid = _save(
        Bid(
            call=call, lot=lot, organisation=org, title=f"{org.name}: {lot.title}", status=Bid.Status.SUBMITTED,
            summary="Assertive engagement, structured treatment and recovery support.", price=price,
            service_fee=fee, declaration_accurate=True, declaration_no_collusion=True,
            declaration_safeguarding=True, created_by=member, submitted_at=submitted_at,
        ),
        created, member,
    )  # fmt: skip
    for criterion in call.criteria.all():
        _save(
            BidAnswer(bid=bid, criterion=criterion, text=f"Our response on {criterion.name.lower()}."),
            created,
        )
    for question in call.eligibility_questions.all():
        meets = eligible or question.order != 1
        _save(EligibilityAnswer(bid=bid, question=question, meets=meets,
                                note="" if meets else "Accounts for one year only."), created)  # fmt: skip
    for measure, fy, quarter, volume in volumes:
        _save(
            ProposedOutcome(bid=bid, measure=measure, financial_year=fy, quarter=quarter, volume=volume),
            created,
        )
    for measure, tariff in (tariffs or {}).items():
        _save(RateCardLine(bid=bid, measure=measure, tariff=tariff), created)
    staff = (price * Decimal("0.65")).quantize(Decimal("0.01"))
    overheads = (price * Decimal("0.10")).quantize(Decimal("0.01"))
    for category, amount in (
        ("staff", staff),
        ("overheads", overheads),
        ("delivery", price - staff - overheads),
    ):
        _save(BudgetLine(bid=bid, category=category, amount=amount), created)
    _save(SocialValueCommitment(bid=bid, measure="Local young people trained as peer mentors", quantity=Decimal(6),
                                by_when=date(years[1], 3, 31)), created)  # fmt: skip
    return bid


def _assess(call, bid, scores: dict, users, created) -> None:
    criteria = list(call.criteria.order_by("kind", "order"))
    criteria = [c for c in criteria if c.kind == Criterion.Kind.QUALITY] + [
        c for c in criteria if c.kind == Criterion.Kind.SOCIAL_VALUE
    ]
    for username, values in scores.items():
        user = users[username]
        for criterion, value in zip(criteria, values, strict=True):
            _save(
                AssessorScore(bid=bid, criterion=criterion, assessor=user, score=value,
                              justification=f"{criterion.name}: {DESCRIPTORS[value].split(':')[0].lower()} "
                              "against the anchored descriptor, on the evidence in the bid."),
                created, user,
            )  # fmt: skip
        _save(AssessmentSubmission(bid=bid, assessor=user), created, user)


def _declare(call, users, organisations, created, conflicts=()) -> None:
    for username, user in users.items():
        for org in organisations:
            conflicted = (username, org.org_id) in conflicts
            _save(
                InterestDeclaration(call=call, assessor=user, organisation=org, conflicted=conflicted,
                                    description="Trustee of the bidding organisation" if conflicted else ""),
                created, user,
            )  # fmt: skip


def _new_call(users, created: Counter) -> None:
    lead = users["commissioner"]
    source = Programme.objects.get(reference="SSP-0907")
    stream = source.funding_stream
    call = _call(
        NEW_CALL, "Young people's substance misuse services", source, stream, Call.CommissioningModel.PAYMENT_BY_RESULTS,
        (_at(2010, 7, 5, 9), _at(2010, 8, 20), _at(2010, 9, 3), date(2011, 4, 1), date(2012, 3, 31)), lead, created,
    )  # fmt: skip
    _save(Assessor(call=call, user=users["commissioner2"]), created, lead)
    measures = {
        m.code: m
        for m in OutcomeMeasure.objects.filter(code__in=["drug-treatment-effective", "fte-diverted"])
    }
    lots = [
        _save(Lot(call=call, number=1, title="Young people's substance misuse treatment", budget=Decimal(300000)),
              created, lead),
        _save(Lot(call=call, number=2, title="Assertive drugs outreach for young adults", budget=Decimal(200000)),
              created, lead),
    ]  # fmt: skip
    _save(
        LotMeasure(lot=lots[0], measure=measures["drug-treatment-effective"], minimum_volume=60),
        created,
        lead,
    )
    _save(LotMeasure(lot=lots[0], measure=measures["fte-diverted"], minimum_volume=20), created, lead)
    _save(
        LotMeasure(lot=lots[1], measure=measures["drug-treatment-effective"], minimum_volume=40),
        created,
        lead,
    )
    organisations = {o.org_id: o for o in Organisation.objects.filter(org_id__in=[b[0] for b in NEW_BIDS])}
    _declare(call, users, organisations.values(), created, conflicts={("commissioner2", "GB-CHC-1002269")})
    bids = []
    for org_id, lot_number, price, per_quarter, scores, eligible in NEW_BIDS:
        volumes = [
            (measures[code], "2011/12", q, Decimal(v))
            for code, v in per_quarter.items()
            for q in (1, 2, 3, 4)
        ]
        tariffs = {measures[code]: Decimal("2400.00") for code in per_quarter}
        bid = _bid(call, lots[lot_number - 1], organisations[org_id], Decimal(price), volumes, (2011, 2012),
                   _at(2010, 8, 31 if eligible else 27), created, tariffs=tariffs, fee=Decimal(price) * Decimal("0.3"),
                   eligible=eligible)  # fmt: skip
        if not eligible:
            bid.excluded_reason = (
                "Fails eligibility: two years' audited accounts are required; one year was supplied."
            )
            bid.excluded_by = lead
            _save(bid, Counter(), lead)
        _assess(call, bid, scores, users, created)
        bids.append(bid)
    ranked = [r for r in selectors.call_ranking(call) if r.lot_id == lots[1].pk and r.rank == 1]
    winner = next(b for b in bids if b.pk == ranked[0].bid_id)
    recommended = date(2010, 11, 10)
    _save(
        Award(lot=lots[1], bid=winner, rationale="Highest total score in lot 2: strong quality at a competitive price.",
              recommended_by=lead, recommended_on=recommended, standstill_ends=standstill_ends(recommended)),
        created, lead,
    )  # fmt: skip


def _old_call(users, created: Counter) -> None:
    lead = users["commissioner"]
    programme = Programme.objects.get(reference="SSP-0914")
    call = _call(
        OLD_CALL, "Assertive drugs and alcohol outreach", programme, programme.funding_stream,
        Call.CommissioningModel.PAYMENT_BY_RESULTS,
        (_at(2008, 11, 3, 9), _at(2008, 12, 5), _at(2008, 12, 19), programme.start_date, programme.end_date),
        lead, created,
    )  # fmt: skip
    _save(Assessor(call=call, user=users["commissioner2"]), created, lead)
    lot = _save(Lot(call=call, number=1, title="Assertive drugs and alcohol outreach", budget=Decimal(400000)),
                created, lead)  # fmt: skip
    for measure_id in sorted(set(programme.targets.values_list("measure_id", flat=True))):
        _save(LotMeasure(lot=lot, measure_id=measure_id, minimum_volume=100), created, lead)
    winner_org, runner_up = programme.provider, Organisation.objects.get(org_id="GB-CHC-1001957")
    _declare(call, users, [winner_org, runner_up], created)
    targets = list(programme.targets.select_related("measure"))
    volumes = [(t.measure, t.financial_year, t.quarter, t.target_value) for t in targets]
    tariffs = {t.measure: t.tariff for t in targets if t.tariff is not None}
    winner = _bid(call, lot, winner_org, programme.award_amount, volumes, (2009, 2011), _at(2008, 12, 15), created,
                  tariffs=tariffs, fee=programme.service_fee)  # fmt: skip
    other = _bid(call, lot, runner_up, Decimal("395000.00"), [(t.measure, t.financial_year, t.quarter,
                 (t.target_value * Decimal("0.8")).quantize(Decimal("0.01"))) for t in targets], (2009, 2011),
                 _at(2008, 12, 18), created, tariffs={m: v + 300 for m, v in tariffs.items()},
                 fee=Decimal("150000.00"))  # fmt: skip
    _assess(call, winner, {"commissioner": [4, 4, 4, 3], "commissioner2": [4, 4, 3, 3]}, users, created)
    _assess(call, other, {"commissioner": [3, 3, 3, 3], "commissioner2": [3, 3, 3, 2]}, users, created)
    recommended = date(2009, 2, 10)
    _save(
        Award(lot=lot, bid=winner, rationale="Highest total score; the strongest evidence of engagement.",
              recommended_by=lead, recommended_on=recommended, standstill_ends=standstill_ends(recommended),
              concluded_at=_at(2009, 2, 25), concluded_by=lead),
        created, lead,
    )  # fmt: skip
    winner.programme = programme
    _save(winner, Counter(), lead)
    call.status = Call.Status.CONCLUDED
    _save(call, Counter(), lead)
