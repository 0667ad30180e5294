"""Sampling audits of claims: the sample drawn (and how, so it can be drawn again), each sampled
claim's check, and the figures and clawback the audit concluded with. Imported by
claims.models, so Django sees these as the claims app's models."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from outcomes.fields import FinancialYearField, MoneyField, QuarterField, fy_check, quarter_check


class ClaimAudit(models.Model):
    """A sample of one programme's verified or paid claims for one quarter, checked against
    their evidence, and what it found."""

    class Method(models.TextChoices):
        RANDOM = "random", "Simple random sample"
        RISK = "risk", "Risk-based sample"

    class Risk(models.TextChoices):
        NEAR_EARLIEST = "near_earliest", "Claims close to their earliest date"
        NEAR_CAP = "near_cap", "Participants near their cap"
        VOLUME = "volume", "The provider's unusual volumes"

    class Status(models.TextChoices):
        OPEN = "open", "Checking"
        CONCLUDED = "concluded", "Concluded"

    programme = models.ForeignKey("grants.Programme", on_delete=models.PROTECT, related_name="claim_audits")
    financial_year = FinancialYearField()
    quarter = QuarterField()
    method = models.CharField(max_length=6, choices=Method.choices)
    risk = models.CharField(max_length=13, choices=Risk.choices, blank=True)
    requested_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="Claims asked for (n), if given as a number."
    )
    requested_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the population asked for, if given as a percentage.",
    )
    seed = models.BigIntegerField(
        help_text="The random generator's seed: the same seed draws the same sample."
    )
    population_count = models.PositiveIntegerField()
    population_value = MoneyField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OPEN)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    error_rate = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    ci_low = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    ci_high = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)
    recovery = MoneyField(null=True, blank=True, help_text="The extrapolated recovery, GBP.")
    recovery_low = MoneyField(null=True, blank=True)
    recovery_high = MoneyField(null=True, blank=True)
    invalid_value = MoneyField(null=True, blank=True, help_text="Value of the invalid sampled claims.")
    clawback_amount = MoneyField(null=True, blank=True, help_text="Recovery less the unpaid rejected claims.")
    clawback = models.OneToOneField(
        "grants.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="claim_audit"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-drawn_at", "-id"]
        constraints = [
            fy_check("financial_year", "claim_audit_financial_year_format"),
            quarter_check("quarter", "claim_audit_quarter_1_4"),
            models.CheckConstraint(
                condition=(Q(method="random", risk="") | (Q(method="risk") & ~Q(risk=""))),
                name="claim_audit_risk_only_for_risk_method",
                violation_error_message="A risk-based sample names its risk; a random one does not.",
            ),
            models.UniqueConstraint(
                fields=["programme", "financial_year", "quarter"],
                condition=Q(status="open"),
                name="one_open_claim_audit_per_programme_quarter",
                violation_error_message="This programme already has an audit open for this quarter.",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(error_rate__isnull=False, recovery__isnull=False),
                name="claim_audit_concluded_has_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit {self.pk} of {self.programme_id} for {self.financial_year} Q{self.quarter}"


class AuditedClaim(models.Model):
    """One claim in an audit's sample and what its check found."""

    class Result(models.TextChoices):
        PENDING = "pending", "Not checked yet"
        VALID = "valid", "Valid"
        INVALID = "invalid", "Invalid"

    audit = models.ForeignKey(ClaimAudit, on_delete=models.CASCADE, related_name="items")
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="audit_items")
    value = MoneyField(help_text="The claim's price when it was sampled.")
    risk_note = models.CharField(max_length=200, blank=True, help_text="Why a risk-based sample took it.")
    result = models.CharField(max_length=7, choices=Result.choices, default=Result.PENDING)
    reason = models.TextField(blank=True, max_length=2000)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["audit_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "claim"],
                name="one_item_per_claim_per_audit",
                violation_error_message="This claim is already in the sample.",
            ),
            models.CheckConstraint(
                condition=~Q(result="invalid") | ~Q(reason=""),
                name="audited_claim_invalid_has_reason",
                violation_error_message="Say why the claim is invalid.",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} in audit {self.audit_id}"
