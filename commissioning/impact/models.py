"""Comparison pools, programme cohorts and the impact reports made from them. People are held only
as the keyed hash of their identifier (pool) or through their enrolment (cohort)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.impact.estimates import OUTCOME_LABELS, OutcomeKind

OUTCOME_CHOICES = [(kind.value, OUTCOME_LABELS[kind]) for kind in OutcomeKind]
MAX_OUTCOME_DAYS = 366


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or not known"


class OffenceGroup(models.TextChoices):
    VIOLENCE = "violence", "Violence against the person"
    SEXUAL = "sexual", "Sexual offences"
    ROBBERY = "robbery", "Robbery"
    THEFT = "theft", "Theft and handling"
    BURGLARY = "burglary", "Burglary"
    DRUGS = "drugs", "Drug offences"
    FRAUD = "fraud", "Fraud and forgery"
    PUBLIC_ORDER = "public_order", "Public order"
    MOTORING = "motoring", "Motoring offences"
    OTHER = "other", "Other offences"
    NONE = "none", "No offence"


class PersonRecord(models.Model):
    """One person's covariates at start and their outcome."""

    age = models.PositiveSmallIntegerField(validators=[MinValueValidator(10), MaxValueValidator(110)])
    gender = models.CharField(max_length=6, choices=Gender.choices)
    prior_offences = models.PositiveSmallIntegerField()
    days_since_last_offence = models.PositiveIntegerField()
    offence_group = models.CharField(max_length=12, choices=OffenceGroup.choices)
    employed = models.BooleanField()
    outcome = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="1 or 0 for a reoffence, days for employment; blank while the follow-up is not complete.",
    )

    class Meta:
        abstract = True


def _outcome_in_range(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(outcome__isnull=True) | Q(outcome__gte=0, outcome__lte=MAX_OUTCOME_DAYS),
        name=f"{prefix}_outcome_in_range",
        violation_error_message=f"An outcome is 0 or 1 (reoffence) or 0 to {MAX_OUTCOME_DAYS} days.",
    )


class ComparisonPool(models.Model):
    """People like those the programmes work with, who did not take part: uploaded by the
    partnership (from its data sharing with the police, probation or DWP), with one outcome."""

    name = models.CharField(max_length=200, unique=True)
    outcome_kind = models.CharField(max_length=16, choices=OUTCOME_CHOICES)
    description = models.TextField(blank=True, max_length=2000)
    source_name = models.CharField(max_length=255, blank=True, help_text="The uploaded file's name.")
    rows_submitted = models.PositiveIntegerField(default=0)
    rows_enrolled = models.PositiveIntegerField(
        default=0, help_text="Rows left out because the person is enrolled on a programme."
    )
    synthetic = models.BooleanField(default=False, help_text="Generated for the demo, not real people.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class PoolMember(PersonRecord):
    pool = models.ForeignKey(ComparisonPool, on_delete=models.PROTECT, related_name="members")
    pseudonym = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "pseudonym"],
                name="one_pool_row_per_person",
                violation_error_message="This person is already in the pool.",
            ),
            models.CheckConstraint(
                condition=Q(pseudonym__regex=r"^[0-9a-f]{64}$"),
                name="pool_member_pseudonym_is_a_hash",
                violation_error_message="A pool member is held only as a 64-digit keyed hash.",
            ),
            models.CheckConstraint(condition=Q(outcome__isnull=False), name="pool_member_has_outcome"),
            _outcome_in_range("pool_member"),
        ]

    def __str__(self) -> str:
        return f"Pool member {self.pk} of {self.pool_id}"


class CohortUpload(models.Model):
    """A programme's cohort: covariates and outcomes of its enrolled participants. The newest
    upload for a programme and outcome is the one reports use; earlier ones are kept."""

    programme = models.ForeignKey("grants.Programme", on_delete=models.PROTECT, related_name="impact_cohorts")
    outcome_kind = models.CharField(max_length=16, choices=OUTCOME_CHOICES)
    source_name = models.CharField(max_length=255, blank=True)
    rows_submitted = models.PositiveIntegerField(default=0)
    rows_not_found = models.PositiveIntegerField(
        default=0, help_text="Rows whose person is not enrolled on the programme."
    )
    synthetic = models.BooleanField(default=False, help_text="Generated for the demo, not real people.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["programme", "outcome_kind"])]

    def __str__(self) -> str:
        return f"Cohort for {self.programme} ({self.get_outcome_kind_display()}), {self.created_at:%d %b %Y}"


class CohortMember(PersonRecord):
    upload = models.ForeignKey(CohortUpload, on_delete=models.PROTECT, related_name="members")
    enrolment = models.ForeignKey("claims.Enrolment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "enrolment"],
                name="one_cohort_row_per_enrolment",
                violation_error_message="This participant appears twice in the cohort.",
            ),
            _outcome_in_range("cohort_member"),
        ]

    def __str__(self) -> str:
        return f"Cohort member {self.pk} (enrolment {self.enrolment_id})"


class ImpactReport(models.Model):
    """A matched-comparison estimate for one programme and measure, from a cohort upload and a
    pool. Drafts are for checking; publishing one supersedes the programme's earlier report for
    that measure. The result (funnel, balance, outcome) is kept exactly as computed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    programme = models.ForeignKey("grants.Programme", on_delete=models.PROTECT, related_name="impact_reports")
    measure = models.ForeignKey("outcomes.OutcomeMeasure", on_delete=models.PROTECT, related_name="+")
    pool = models.ForeignKey(ComparisonPool, on_delete=models.PROTECT, related_name="reports")
    cohort = models.ForeignKey(CohortUpload, on_delete=models.PROTECT, related_name="reports")
    outcome_kind = models.CharField(max_length=16, choices=OUTCOME_CHOICES)
    covariates = models.JSONField(default=list)
    with_replacement = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    result = models.JSONField(default=dict, help_text="The estimate as computed (estimates.Estimate).")
    cohort_submitted = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    effect = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    effect_low = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    effect_high = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    refusal = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text="Made from generated demo data.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure"],
                condition=Q(status="published"),
                name="one_published_impact_report_per_programme_measure",
                violation_error_message="This programme already has a published report for this measure.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(effect__isnull=True, effect_low__isnull=True, effect_high__isnull=True)
                    | Q(
                        effect__isnull=False,
                        effect_low__isnull=False,
                        effect_high__isnull=False,
                        effect_low__lte=models.F("effect"),
                        effect_high__gte=models.F("effect"),
                        refusal="",
                    )
                ),
                name="impact_report_effect_within_interval",
                violation_error_message="An estimate needs its interval around it, and no refusal.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="impact_report_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Impact report {self.pk}: {self.programme} on {self.measure}"

    @property
    def kind(self) -> OutcomeKind:
        return OutcomeKind(self.outcome_kind)
