"""A small portfolio for the management pages: a current plan with two priorities, a theme, two
wards, a stream with room in its budget, and programme A (org_a's) with a target."""

from datetime import date
from decimal import Decimal

import pytest

from outcomes.models import Ward
from tests.factories import (
    FundingStreamFactory,
    OutcomeMeasureFactory,
    PartnershipFactory,
    PlanFactory,
    PriorityFactory,
    ProgrammeFactory,
    ProgrammeTargetFactory,
    ThemeFactory,
)


@pytest.fixture
def setup(org_a, org_b):
    partnership = PartnershipFactory()
    plan = PlanFactory(partnership=partnership, version="2009 revision", is_current=True)
    violent = PriorityFactory(plan=plan, name="Violent crime", slug="violent-crime", order=1)
    youth = PriorityFactory(plan=plan, name="Youth crime", slug="youth-crime", order=2)
    theme = ThemeFactory(partnership=partnership, name="Worklessness", slug="worklessness")
    peckham = Ward.objects.create(partnership=partnership, name="Peckham", code="E05000549")
    nunhead = Ward.objects.create(partnership=partnership, name="Nunhead", code="E05000548")
    stream = FundingStreamFactory(name="Working Neighbourhoods Fund", budget=Decimal("500000"))
    measure = OutcomeMeasureFactory(name="Sustained job entries")
    programme = ProgrammeFactory(
        provider=org_a, funding_stream=stream, title="Through-the-gate", primary_priority=violent,
        start_date=date(2009, 4, 1), end_date=date(2011, 3, 31), award_amount=Decimal("100000"),
    )  # fmt: skip
    ProgrammeTargetFactory(programme=programme, measure=measure, financial_year="2009/10", quarter=1)
    return {
        "plan": plan, "violent": violent, "youth": youth, "theme": theme, "peckham": peckham,
        "nunhead": nunhead, "stream": stream, "measure": measure, "programme": programme,
        "partnership": partnership,
    }  # fmt: skip
