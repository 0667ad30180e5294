"""Factories for impact reports' rows (kept with these tests)."""

from decimal import Decimal

import factory
from django.utils import timezone

from commissioning.impact import models as m
from tests.factories import OutcomeMeasureFactory, ProgrammeFactory, UserFactory


class ComparisonPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ComparisonPool

    name = factory.Sequence(lambda n: f"Pool {n}")
    outcome_kind = "reoffence"
    created_by = factory.SubFactory(UserFactory)


class CohortUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CohortUpload

    programme = factory.SubFactory(ProgrammeFactory)
    outcome_kind = "reoffence"
    created_by = factory.SubFactory(UserFactory)


class ImpactReportFactory(factory.django.DjangoModelFactory):
    """A published report with an estimate of 0.08 fewer reoffenders per person (0.01 to 0.15)."""

    class Meta:
        model = m.ImpactReport

    cohort = factory.SubFactory(CohortUploadFactory)
    programme = factory.SelfAttribute("cohort.programme")
    measure = factory.SubFactory(OutcomeMeasureFactory)
    pool = factory.SubFactory(ComparisonPoolFactory)
    outcome_kind = "reoffence"
    status = m.ImpactReport.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    matched = 400
    effect = Decimal("0.0800")
    effect_low = Decimal("0.0100")
    effect_high = Decimal("0.1500")
    created_by = factory.SubFactory(UserFactory)
