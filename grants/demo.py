"""Demo data for grants: organisations, funding streams, programmes, targets, returns, users.

Programmes are drawn from the actions of the Safer Southwark Partnership's 2009 rolling plan.
Organisation numbers other than the council's are illustrative. Deterministic and idempotent.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from grants.models import (
    FundingStream,
    Membership,
    Organisation,
    OutcomeReturn,
    Payment,
    Programme,
    ProgrammePriority,
    ProgrammeTarget,
)
from grants.selectors.payments import payment_schedule
from grants.services.payments import payment_record
from outcomes.models import EvidenceGrade, OutcomeMeasure, Plan, Theme, Ward
from outcomes.periods import FinancialYear, Quarter, quarters_between

DEMO_PASSWORD = "yardstick-demo"
LONDON = ZoneInfo("Europe/London")
S, V, P, G = (Organisation.Type.STATUTORY, Organisation.Type.VOLUNTARY, Organisation.Type.PRIVATE,
              Organisation.Type.GOVERNMENT)  # fmt: skip

ORGANISATIONS = {
    "council": ("London Borough of Southwark", "GB-LAE-SWK", S),
    "police": ("Metropolitan Police Service (Southwark Borough)", "GB-GOR-PC000104", S),
    "probation": ("London Probation Trust", "GB-GOR-PB000101", S),
    "pct": ("NHS Southwark (Southwark Primary Care Trust)", "GB-NHS-5LE", S),
    "homeoffice": ("Home Office", "GB-GOR-D3", G),
    "stgiles": ("St Giles Trust", "GB-CHC-801355", V),
    "victimsupport": ("Victim Support Southwark", "GB-CHC-298028", V),
    "mediation": ("Southwark Mediation Centre", "GB-CHC-1011201", V),
    "outreach": ("Blenheim Community Drug Project", "GB-CHC-1064040", V),
    "addaction": ("Addaction Young People's Service", "GB-CHC-1001957", V),
    "pecan": ("Pecan", "GB-CHC-1002269", V),
    "interpreting": ("Southwark Refugee Communities Forum", "GB-CHC-1089127", V),
    "security": ("Safe Night Out Ltd", "GB-COH-06842190", P),
}  # fmt: skip

# key: (name, funder, budget)
STREAMS = {
    "wnf": ("Working Neighbourhoods Fund", "council", "2500000"),
    "abg": ("Area Based Grant: community safety", "council", "1400000"),
    "sscf": ("Safer Stronger Communities Fund", "homeoffice", "1100000"),
    "dip": ("Drug Intervention Programme", "homeoffice", "850000"),
    "ycap": ("Youth Crime Action Plan", "homeoffice", "600000"),
    "lpt": ("London Probation Trust partnership fund", "probation", "650000"),
}

A1, A2 = date(2009, 4, 1), date(2011, 3, 31)
PBR, GRANT, CONTRACT = Programme.Model.PAYMENT_BY_RESULTS, Programme.Model.GRANT, Programme.Model.CONTRACT

# (reference, title, provider, stream, award, start, end, model, primary, [secondary], [themes],
#  [wards], {measure: annual target}, {measure: tariff}, service fee, evidence grade, performance)
PROGRAMMES = [
    ("SSP-0901", "Pathways: focused deterrence for gang members", "council", "abg", 420000, A1, A2, GRANT,
     "serious-violent-crime", ["reducing-reoffending"], [], ["Peckham", "Camberwell Green", "Livesey"],
     {"gang-exits": 30, "not-reconvicted": 20}, {}, 0, "B", 1.05),
    ("SSP-0902", "SOS intensive advocates for violent offenders", "stgiles", "sscf", 180000, A1, A2, GRANT,
     "serious-violent-crime", ["reducing-reoffending"], ["worklessness"], ["Peckham", "Nunhead", "The Lane"],
     {"gang-exits": 24, "job-entries-ex-offenders": 10}, {}, 0, "B", 1.25),
    ("SSP-0903", "Independent domestic violence advocacy (IDVA) service", "victimsupport", "sscf", 240000, A1,
     A2, CONTRACT, "serious-violent-crime", ["communities-and-communications"], [], [],
     {"dv-victims-safe": 160, "dv-repeat-victims": 40}, {}, 0, "B", 1.15),
    ("SSP-0904", "Safe accommodation from gang violence", "council", "abg", 150000, date(2009, 10, 1), A2,
     GRANT, "serious-violent-crime", [], ["regeneration"], [], {"gang-exits": 12}, {}, 0, "C", 0.7),
    ("SSP-0905", "Community safety roadshows and talkeoke", "council", "abg", 60000, A1, A2, GRANT,
     "serious-violent-crime", ["communities-and-communications"], [], [], {"residents-engaged": 3000}, {}, 0,
     "D", 1.3),
    ("SSP-0906", "Priority patrol task force for school journeys", "police", "sscf", 220000, A1, A2,
     CONTRACT, "preventing-youth-crime", ["anti-social-behaviour"], [],
     ["Peckham", "Camberwell Green", "East Walworth", "Faraday"], {"fte-diverted": 60}, {}, 0, "C", 0.85),
    ("SSP-0907", "Young people's substance misuse service", "addaction", "ycap", 300000, A1, A2, CONTRACT,
     "preventing-youth-crime", ["drugs-and-alcohol"], [], [], {"drug-treatment-effective": 80,
     "fte-diverted": 30}, {}, 0, "B", 0.95),
    ("SSP-0908", "Targeted youth support and diversion", "council", "ycap", 260000, A1, A2, GRANT,
     "preventing-youth-crime", [], [], [], {"fte-diverted": 120, "young-offenders-not-reoffending": 40}, {},
     0, "B", 1.1),
    ("SSP-0909", "Youth employability and training", "pecan", "wnf", 350000, A1, A2, GRANT,
     "preventing-youth-crime", ["communities-and-communications"], ["worklessness"],
     ["Peckham", "Livesey", "Nunhead"], {"training-completions": 150, "sustained-job-entries": 40}, {}, 0,
     "C", 0.9),
    ("SSP-0910", "Community mediation service", "mediation", "abg", 140000, A1, A2, GRANT,
     "anti-social-behaviour", ["communities-and-communications"], ["regeneration"], [],
     {"asb-resolved-mediation": 300}, {}, 0, "C", 1.2),
    ("SSP-0911", "Multi-agency street based ASB team", "council", "sscf", 320000, A1, A2, CONTRACT,
     "anti-social-behaviour", [], ["regeneration"], ["Cathedrals", "Chaucer", "Newington", "Faraday"],
     {"asb-resolved-mediation": 400}, {}, 0, "C", 0.75),
    ("SSP-0912", "Support for victims and witnesses of anti-social behaviour", "victimsupport", "sscf", 90000,
     A1, A2, GRANT, "anti-social-behaviour", ["communities-and-communications"], [], [],
     {"asb-resolved-mediation": 150}, {}, 0, "D", 1.0),
    ("SSP-0913", "Family intervention tenancies", "council", "abg", 200000, A1, A2, GRANT,
     "anti-social-behaviour", [], ["worklessness", "regeneration"], ["Faraday", "East Walworth"],
     {"asb-resolved-mediation": 60, "sustained-job-entries": 10}, {}, 0, "C", 0.55),
    ("SSP-0914", "Assertive drugs and alcohol outreach", "outreach", "dip", 380000, A1, A2, PBR,
     "drugs-and-alcohol", ["reducing-reoffending"], [], [], {"drug-treatment-effective": 150},
     {"drug-treatment-effective": 1200}, 200000, "B", 1.1),
    ("SSP-0915", "Drug Intervention Programme community premises", "pct", "dip", 420000, A1, A2, CONTRACT,
     "drugs-and-alcohol", ["reducing-reoffending"], [], [], {"drug-treatment-effective": 200,
     "not-reconvicted": 40}, {}, 0, "B", 0.9),
    ("SSP-0916", "Night-time economy hotspot management", "security", "abg", 110000, A1, A2, CONTRACT,
     "drugs-and-alcohol", ["anti-social-behaviour"], [], ["Cathedrals", "Riverside", "Grange"],
     {"asb-resolved-mediation": 120}, {}, 0, "D", 0.6),
    ("SSP-0917", "Street drinking, dealing and begging hotspot team", "council", "abg", 95000, A1, A2, GRANT,
     "drugs-and-alcohol", ["anti-social-behaviour"], [], ["Camberwell Green", "Peckham"],
     {"asb-resolved-mediation": 90}, {}, 0, "C", 1.0),
    ("SSP-0918", "Through-the-gate resettlement", "stgiles", "lpt", 350000, A1, A2, PBR,
     "reducing-reoffending", ["serious-violent-crime"], ["worklessness"], [],
     {"not-reconvicted": 60, "job-entries-ex-offenders": 30},
     {"not-reconvicted": 2500, "job-entries-ex-offenders": 1500}, 150000, "B", 1.2),
    ("SSP-0919", "Job brokerage for ex-offenders", "stgiles", "wnf", 280000, A1, A2, GRANT,
     "reducing-reoffending", ["communities-and-communications"], ["worklessness"], [],
     {"job-entries-ex-offenders": 50, "sustained-job-entries": 40}, {}, 0, "C", 1.0),
    ("SSP-0920", "Saturday reparation and community payback", "probation", "lpt", 120000, A1, A2, GRANT,
     "reducing-reoffending", ["communities-and-communications"], [], [], {"not-reconvicted": 30,
     "residents-engaged": 500}, {}, 0, "C", 0.95),
    ("SSP-0921", "Prolific offenders: resettle and rehabilitate strand", "probation", "lpt", 160000, A1,
     date(2010, 3, 31), CONTRACT, "reducing-reoffending", [], [], [], {"not-reconvicted": 25}, {}, 0, "D",
     0.3),
    ("SSP-0922", "Preventing violent extremism in further education", "council", "abg", 85000,
     date(2009, 10, 1), A2, GRANT, "communities-and-communications", ["preventing-youth-crime"], [], [],
     {"residents-engaged": 1200, "training-completions": 60}, {}, 0, "D", 0.8),
    ("SSP-0923", "Neighbourhood panels and community payback choices", "council", "abg", 45000, A1, A2,
     GRANT, "communities-and-communications", ["reducing-reoffending"], [], [], {"residents-engaged": 2000},
     {}, 0, "D", 1.1),
    ("SSP-0924", "Employment support on estates", "pecan", "wnf", 1600000, A1, A2, PBR,
     "communities-and-communications", ["reducing-reoffending"], ["worklessness", "regeneration"],
     ["Peckham", "Livesey", "Faraday", "East Walworth", "Nunhead", "The Lane"],
     {"sustained-job-entries": 300, "training-completions": 400},
     {"sustained-job-entries": 2400, "training-completions": 300}, 800000, "B", 0.95),
    ("SSP-0925", "Interpreting support for reporting crime", "interpreting", "abg", 40000, A1, A2, GRANT,
     "communities-and-communications", [], [], [], {"residents-engaged": 400}, {}, 0, "D", 1.05),
]  # fmt: skip

USERS = {
    # username: (first, last, role, organisation key, superuser)
    "admin": ("Alex", "Admin", Role.ADMIN, None, True),
    "commissioner": ("Chris", "Commissioner", Role.COMMISSIONER, None, False),
    "commissioner2": ("Sam", "Scorer", Role.COMMISSIONER, None, False),
    "finance": ("Farah", "Finance", Role.FINANCE, None, False),
    "provider": ("Pat", "Provider", Role.PROVIDER, "stgiles", False),
    "provider2": ("Priya", "Provider", Role.PROVIDER, "mediation", False),
}

# The date the demo partnership stands at (`make run` sets YARDSTICK_TODAY to it): 20 October 2010,
# three weeks after 2010/11 Q2 ended, ten days before its returns are due. At that date the data
# shows every state: Q2 returns submitted and waiting for verification, or not yet sent (due);
# Q1 returns verified, queried, or never sent (late); an open review round; payment-by-results
# programmes paid for 2009/10 with 2010/11 earnings outstanding.
DEMO_TODAY = date(2010, 10, 20)
LAST_RETURNED = Quarter.containing(DEMO_TODAY).previous()
RETURN_FROM = Quarter.of("2009/10", 1)
# Programmes that have not sent their latest quarter yet (due), and whose whole 2010/11 Q1 never
# came (late); the provider accounts' organisations (St Giles, Southwark Mediation) have both.
NOT_YET_RETURNED = {"SSP-0902", "SSP-0907", "SSP-0910", "SSP-0919", "SSP-0922"}
NEVER_RETURNED = {("SSP-0919", Quarter.of("2010/11", 1)), ("SSP-0905", Quarter.of("2010/11", 1))}
QUERIED = {("SSP-0913", 0), ("SSP-0916", 0), ("SSP-0918", 0)}  # (programme, measure index) in Q1
WHOLE = Decimal("1")


def demo_admin():
    """The demo admin account (created if missing): the loaders' history rows name it."""
    first, last, role, _, superuser = USERS["admin"]
    user, created = get_user_model().objects.get_or_create(
        username="admin",
        defaults={"first_name": first, "last_name": last, "email": "admin@example.org",
                  "is_staff": superuser, "is_superuser": superuser, "is_active": True},
    )  # fmt: skip
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role.value)])
    return user


@contextmanager
def recorded_as(user) -> Iterator[None]:
    """History rows saved in the block without a user of their own name `user`, as those saved
    in a request name the signed-in user (simple-history's middleware sets the same context).
    A service's explicit `_history_user` still wins: scores name their commissioner."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = _Acting(user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


class _Acting:
    """Stands in for the request simple-history reads the user from."""

    def __init__(self, user) -> None:
        self.user = user


def load(log=print) -> Counter:
    created: Counter = Counter()

    def count(model, was_created: bool) -> None:
        if was_created:
            created[model.__name__] += 1

    orgs = {}
    for key, (name, org_id, org_type) in ORGANISATIONS.items():
        orgs[key], new = Organisation.objects.get_or_create(
            org_id=org_id, defaults={"name": name, "org_type": org_type}
        )
        count(Organisation, new)
    users = _load_users(orgs, count)
    streams = {}
    for key, (name, funder, budget) in STREAMS.items():
        streams[key], new = FundingStream.objects.get_or_create(
            code=f"{key}-2009-10",
            defaults={"name": name, "funder": orgs[funder], "financial_year": "2009/10",
                      "budget": Decimal(budget)},
        )  # fmt: skip
        count(FundingStream, new)
    plan = Plan.objects.get(partnership__slug="safer-southwark", version="2009 revision")
    context = {
        "priorities": {p.slug: p for p in plan.priorities.all()},
        "themes": {t.slug: t for t in Theme.objects.filter(partnership=plan.partnership)},
        "wards": {w.name: w for w in Ward.objects.filter(partnership=plan.partnership)},
        "measures": {m.code: m for m in OutcomeMeasure.objects.all()},
        "grades": {g.code: g for g in EvidenceGrade.objects.all()},
        "orgs": orgs,
        "streams": streams,
        "users": users,
    }
    for index, spec in enumerate(PROGRAMMES):
        _load_programme(index, spec, context, count)
    log(f"Grants: {len(orgs)} organisations, {len(streams)} funding streams, {len(PROGRAMMES)} programmes, "
        f"{OutcomeReturn.objects.count()} outcome returns, demo users {', '.join(USERS)} "
        f"(password {DEMO_PASSWORD}).")  # fmt: skip
    return created


def _load_users(orgs: dict, count) -> dict:
    User = get_user_model()
    users = {}
    for username, (first, last, role, org_key, superuser) in USERS.items():
        user, new = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org",
                      "is_staff": superuser, "is_superuser": superuser, "is_active": True},
        )  # fmt: skip
        count(User, new)
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role.value)])
        if org_key:
            count(Membership, Membership.objects.get_or_create(user=user, organisation=orgs[org_key])[1])
        users[username] = user
    return users


def _load_programme(index: int, spec: tuple, ctx: dict, count) -> None:
    (ref, title, provider, stream, award, start, end, model, primary, secondary, themes, wards, targets,
     tariffs, fee, grade, performance) = spec  # fmt: skip
    programme, new = Programme.objects.get_or_create(
        reference=ref,
        defaults={
            "title": title, "provider": ctx["orgs"][provider], "funding_stream": ctx["streams"][stream],
            "award_amount": Decimal(award), "start_date": start, "end_date": end,
            "status": Programme.Status.COMPLETED if end < DEMO_TODAY else Programme.Status.ACTIVE,
            "commissioning_model": model, "service_fee": Decimal(fee), "evidence_grade": ctx["grades"][grade],
            "description": f"Funded under the 2009 rolling plan ({ctx['priorities'][primary].name.lower()}).",
        },
    )  # fmt: skip
    count(Programme, new)
    for slug in [primary, *secondary]:
        _, new = ProgrammePriority.objects.get_or_create(
            programme=programme, priority=ctx["priorities"][slug], defaults={"is_primary": slug == primary}
        )
        count(ProgrammePriority, new)
    if new:
        programme.themes.set([ctx["themes"][t] for t in themes])
        programme.wards.set([ctx["wards"][w] for w in wards])
    quarters = list(quarters_between(start, end))
    for code, annual in targets.items():
        quarterly = (Decimal(annual) / 4).quantize(WHOLE, rounding=ROUND_HALF_UP)
        tariff = Decimal(tariffs[code]) if code in tariffs else None
        for quarter in quarters:
            _, new = ProgrammeTarget.objects.get_or_create(
                programme=programme, measure=ctx["measures"][code],
                financial_year=quarter.financial_year.label, quarter=quarter.number,
                defaults={"target_value": quarterly, "tariff": tariff},
            )  # fmt: skip
            count(ProgrammeTarget, new)
    _load_returns(index, programme, targets, quarters, performance, ctx, count)


def _load_returns(index, programme, targets, quarters, performance, ctx, count) -> None:
    submitter = _submitter(programme, ctx)
    reviewer = ctx["users"]["commissioner"]
    per_quarter_spend = programme.award_amount / len(quarters)
    returned = [
        q for q in quarters
        if RETURN_FROM <= q <= LAST_RETURNED
        and (programme.reference, q) not in NEVER_RETURNED
        and not (q == LAST_RETURNED and programme.reference in NOT_YET_RETURNED)
    ]  # fmt: skip
    for q_index, quarter in enumerate(returned):
        for m_index, code in enumerate(sorted(targets)):
            measure = ctx["measures"][code]
            target = (Decimal(targets[code]) / 4).quantize(WHOLE, rounding=ROUND_HALF_UP)
            wobble = Decimal(((index * 7 + q_index * 3 + m_index) % 5) - 2) * Decimal("0.04")
            achieved = Decimal(str(performance)) + wobble
            if measure.polarity == "lower":  # fewer is better: good performers report fewer
                achieved = Decimal("2") - achieved
            value = max(Decimal("0"), target * achieved).quantize(WHOLE, rounding=ROUND_HALF_UP)
            spend = None
            if m_index == 0:  # the programme's spend for the quarter rides on its first return
                factor = Decimal("0.94") + Decimal((index + q_index) % 4) * Decimal("0.03")
                spend = (per_quarter_spend * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            # Late returns came 45 days after the quarter; none is dated after the demo's today.
            late = (programme.reference == "SSP-0921" or (index + q_index) % 11 == 0) and (
                quarter.end + timedelta(days=45) < DEMO_TODAY
            )
            days_after = 45 if late else 14
            submitted_at = datetime.combine(quarter.end + timedelta(days=days_after), time(10, 0), LONDON)
            status, query_reason, reviewed = _review_state(programme.reference, quarter, m_index)
            _, new = OutcomeReturn.objects.get_or_create(
                programme=programme, measure=measure, financial_year=quarter.financial_year.label,
                quarter=quarter.number,
                defaults={
                    "value": value, "spend": spend, "status": status, "query_reason": query_reason,
                    "is_late": late, "submitted_by": submitter, "submitted_at": submitted_at,
                    "reviewed_by": reviewer if reviewed else None,
                    "reviewed_at": submitted_at + timedelta(days=7) if reviewed else None,
                    "notes": "" if not late else "Submitted after the return window.",
                },
            )  # fmt: skip
            count(OutcomeReturn, new)


def load_payments(log=print) -> Counter:
    """The payments, loaded after the claims ledger's demo so that a programme paid per claim is
    paid what its verified claims earned (paying it first, from returns, overpaid it)."""
    created: Counter = Counter()
    finance = get_user_model().objects.get(username="finance")
    _load_payments(finance, lambda model, new: created.update({model.__name__: int(new)}))
    return +created


def _load_payments(finance, count) -> None:
    """Payment-by-results programmes were paid in full for 2009/10, two months after each quarter,
    through the payments service; 2010/11's earnings are outstanding at the demo's today. A
    quarter with any payment is left as it is."""
    programmes = Programme.objects.filter(commissioning_model=PBR).order_by("reference")
    for programme in programmes:
        paid = set(Payment.objects.filter(programme=programme).values_list("financial_year", "quarter"))
        for quarter in FinancialYear.parse("2009/10").quarters():
            key = (quarter.financial_year.label, quarter.number)
            if key in paid:
                continue
            row = payment_schedule(programme, today=DEMO_TODAY).find(*key)
            if row is None or row.outstanding <= 0:
                continue
            payment_record(
                user=finance, programme=programme, financial_year=key[0], quarter=key[1],
                amount=row.outstanding, paid_on=quarter.end + timedelta(days=60),
                reference=f"{programme.reference}-{quarter.financial_year.start_year}-Q{quarter.number}",
                today=DEMO_TODAY,
            )  # fmt: skip
            count(Payment, True)


def _submitter(programme: Programme, ctx: dict):
    for user in ctx["users"].values():
        if user.memberships.filter(organisation=programme.provider).exists():
            return user
    return ctx["users"]["admin"]


def _review_state(reference: str, quarter: Quarter, measure_index: int) -> tuple[str, str, bool]:
    """Most returns verified; the latest quarter waiting; a couple queried."""
    if (reference, measure_index) in QUERIED and quarter == LAST_RETURNED.previous():
        return (OutcomeReturn.Status.QUERIED,
                "Please attach the evidence behind this figure: case closure records for the quarter.", True)  # fmt: skip
    if quarter == LAST_RETURNED or (
        quarter == Quarter.of("2010/11", 1) and reference in {"SSP-0924", "SSP-0910"}
    ):
        return OutcomeReturn.Status.SUBMITTED, "", False
    return OutcomeReturn.Status.VERIFIED, "", True
