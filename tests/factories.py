"""factory_boy factories that build valid objects by default."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import Role
from grants import models as g
from outcomes import models as o

PASSWORD = "test-pass-123!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))
        if create:
            self.save()

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        for organisation in extracted or []:
            g.Membership.objects.create(user=self, organisation=organisation)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.Partnership
        django_get_or_create = ["slug"]

    name = "Safer Southwark Partnership"
    slug = "safer-southwark"
    area = "London Borough of Southwark"
    org_id = "GB-LAE-SWK"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.Plan

    partnership = factory.SubFactory(PartnershipFactory)
    title = "Rolling plan 2008 to 2012"
    version = factory.Sequence(lambda n: f"revision {n}")
    first_year = "2009/10"
    last_year = "2011/12"
    is_current = False


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.Priority

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Priority {n}")
    slug = factory.Sequence(lambda n: f"priority-{n}")
    order = factory.Sequence(int)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.Theme

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.Indicator

    code = factory.Sequence(lambda n: f"NI {900 + n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "count"
    polarity = o.Polarity.LOWER
    frequency = o.Indicator.Frequency.ANNUAL


class EvidenceGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.EvidenceGrade
        django_get_or_create = ["code"]

    code = "B"
    name = "Comparison group"
    optimism_bias = Decimal("0.20")


class OutcomeMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = o.OutcomeMeasure

    code = factory.Sequence(lambda n: f"measure-{n}")
    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "people"
    polarity = o.Polarity.HIGHER
    unit_cost = Decimal("1000.00")
    unit_cost_source = "Test unit cost"
    unit_cost_price_year = "2009/10"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = g.Organisation

    name = factory.Sequence(lambda n: f"Provider {n}")
    org_id = factory.Sequence(lambda n: f"GB-CHC-{1000000 + n}")
    org_type = g.Organisation.Type.VOLUNTARY


class FunderFactory(OrganisationFactory):
    class Meta:
        django_get_or_create = ["org_id"]

    name = "Southwark Council"
    org_id = "GB-LAE-SWK"
    org_type = g.Organisation.Type.STATUTORY


class FundingStreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = g.FundingStream

    name = factory.Sequence(lambda n: f"Stream {n}")
    code = factory.Sequence(lambda n: f"stream-{n}")
    funder = factory.SubFactory(FunderFactory)
    financial_year = "2009/10"
    budget = Decimal("1000000.00")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme serving one primary priority, 2009/10 to 2010/11."""

    class Meta:
        model = g.Programme
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"SSP-T{n:04d}")
    title = factory.Sequence(lambda n: f"Programme {n}")
    provider = factory.SubFactory(OrganisationFactory)
    funding_stream = factory.SubFactory(FundingStreamFactory)
    award_amount = Decimal("100000.00")
    start_date = date(2009, 4, 1)
    end_date = date(2011, 3, 31)
    status = g.Programme.Status.ACTIVE

    @factory.post_generation
    def primary_priority(self, create, extracted, **kwargs):
        if not create:
            return
        priority = extracted or PriorityFactory()
        g.ProgrammePriority.objects.create(programme=self, priority=priority, is_primary=True)


class ProgrammeTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = g.ProgrammeTarget

    programme = factory.SubFactory(ProgrammeFactory)
    measure = factory.SubFactory(OutcomeMeasureFactory)
    financial_year = "2009/10"
    quarter = 1
    target_value = Decimal("10")


class OutcomeReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = g.OutcomeReturn

    programme = factory.SubFactory(ProgrammeFactory)
    measure = factory.SubFactory(OutcomeMeasureFactory)
    financial_year = "2009/10"
    quarter = 1
    value = Decimal("8")
    spend = Decimal("20000.00")
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)


def api_token(
    user, *, scope: str = "write", name: str | None = None, days: int | None = None, used: bool = False
) -> str:
    """A new API token for `user` (the key itself: only its hash is stored). `used` marks it as
    just used, so that a test's first request does not record the last-used time (a write that
    authentication makes at most once a minute per token)."""
    import secrets

    from django.utils import timezone

    from accounts.tokens import token_issue

    issued = token_issue(user=user, name=name or f"Test token {secrets.token_hex(4)}", scope=scope, days=days)
    if used:
        type(issued.token).objects.filter(pk=issued.token.pk).update(last_used_at=timezone.now())
    return issued.key
