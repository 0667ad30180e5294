"""Calls built through the services: a call for two lots with a scoring scheme, two bidding
providers, two assessing commissioners, and a clock the tests move (server time)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.calls import services
from commissioning.calls.models import Bid, Call
from tests.factories import (
    FundingStreamFactory,
    OutcomeMeasureFactory,
    PriorityFactory,
    ThemeFactory,
    UserFactory,
)

OPENS = datetime(2010, 1, 4, 9, 0, tzinfo=UTC)
CLARIFY_BY = datetime(2010, 1, 25, 12, 0, tzinfo=UTC)
CLOSES = datetime(2010, 2, 1, 12, 0, tzinfo=UTC)
DESCRIPTORS = [
    f"Score {n}: {word}" for n, word in enumerate(["none", "poor", "weak", "adequate", "good", "excellent"])
]
QUARTERS = [("2010/11", 1), ("2010/11", 2), ("2010/11", 3), ("2010/11", 4)]


class Clock:
    """Server time as the services read it (django.utils.timezone.now)."""

    def __init__(self, monkeypatch):
        self.at = OPENS + timedelta(days=1)
        monkeypatch.setattr(timezone, "now", lambda: self.at)

    def set(self, at: datetime) -> None:
        self.at = at


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def today(settings):
    """Pin core.clock.today(): today.set(date(...))."""

    class Today:
        def set(self, day: date) -> None:
            settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": day}

    return Today()


@pytest.fixture
def commissioner2(db):
    return UserFactory(username="t-commissioner2", role="Commissioner")


@dataclass
class Setup:
    call: Call
    measure_a: object
    measure_b: object
    priority: object
    theme: object

    @property
    def lot1(self):
        return self.call.lots.get(number=1)

    @property
    def lot2(self):
        return self.call.lots.get(number=2)

    def quality(self):
        return list(self.call.criteria.filter(kind="quality").order_by("order"))

    def criteria(self):
        return list(self.call.criteria.order_by("order"))


def scheme_criteria():
    return [
        services.CriterionInput("Understanding of need", 60, DESCRIPTORS),
        services.CriterionInput("Delivery model", 40, DESCRIPTORS),
    ]


def call_fields(stream, **overrides) -> dict:
    fields = {
        "reference": "SSP-C-2010-01",
        "title": "Young people's substance misuse treatment",
        "kind": Call.Kind.LIGHT_TOUCH,
        "specification": "Reduce young people's drug and alcohol misuse; outcomes paid by results.",
        "commissioning_model": Call.CommissioningModel.PAYMENT_BY_RESULTS,
        "funding_stream": stream,
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "clarification_deadline": CLARIFY_BY,
        "service_start": date(2010, 4, 1),
        "service_end": date(2011, 3, 31),
        "quality_weight": 60,
        "price_weight": 30,
        "social_value_weight": 10,
        "quality_threshold": Decimal("50"),
        "price_method": Call.PriceMethod.RELATIVE,
    }
    return fields | overrides


@pytest.fixture
def setup(commissioner, clock) -> Setup:
    stream = FundingStreamFactory(financial_year="2010/11", budget=Decimal("500000.00"))
    a = OutcomeMeasureFactory(name="Young people completing treatment", unit_cost=Decimal("3000"))
    b = OutcomeMeasureFactory(name="Young people in education or work", unit_cost=Decimal("1000"))
    priority, theme = PriorityFactory(), ThemeFactory()
    call = services.call_create(
        user=commissioner,
        fields=call_fields(stream),
        lots=[
            services.LotInput(1, "Treatment", Decimal("120000"), [(a.pk, Decimal("20"))]),
            services.LotInput(2, "Outreach", Decimal("60000"), [(b.pk, Decimal("10"))]),
        ],
        criteria=scheme_criteria(),
        eligibility=["Registered charity or CIC", "Safeguarding policy in place"],
        priority_ids=[priority.pk],
        primary_priority_id=priority.pk,
        theme_ids=[theme.pk],
    )
    return Setup(call, a, b, priority, theme)


@pytest.fixture
def published(setup, commissioner) -> Setup:
    services.call_publish(user=commissioner, call=setup.call)
    setup.call.refresh_from_db()
    return setup


def complete_bid(
    user,
    call: Call,
    lot,
    organisation,
    *,
    price=Decimal("100000"),
    volume=Decimal("10"),
    tariff=Decimal("2500"),
):
    """A provider's draft filled in completely (submittable)."""
    bid = services.bid_create(
        user=user, call=call, lot=lot, organisation=organisation, title=f"{organisation.name} bid"
    )
    measure_id = lot.lot_measures.get().measure_id
    services.bid_update(
        user=user,
        bid=bid,
        fields={
            "price": price,
            "service_fee": price / 4,
            "summary": "A tested model.",
            "declaration_accurate": True,
            "declaration_no_collusion": True,
            "declaration_safeguarding": True,
        },
        answers={c.pk: f"Our answer on {c.name}." for c in call.criteria.all()},
        eligibility={q.pk: (True, "") for q in call.eligibility_questions.all()},
        outcomes=[(measure_id, fy, q, volume) for fy, q in QUARTERS],
        rate_card={measure_id: tariff},
        budget_lines={
            "staff": price * Decimal("0.6"),
            "delivery": price * Decimal("0.3"),
            "overheads": price * Decimal("0.1"),
        },
        social_value=[("Local young people trained as peer mentors", Decimal("12"), date(2011, 3, 31))],
    )
    return Bid.objects.get(pk=bid.pk)
