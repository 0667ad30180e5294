"""Who gets money for what: organisations, funding streams, programmes, targets, returns."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.formatting import gbp
from outcomes.fields import FinancialYearField, MoneyField, QuarterField, fy_check, quarter_check
from outcomes.models import EvidenceGrade, OutcomeMeasure, Priority, Theme, Ward


class Organisation(models.Model):
    class Type(models.TextChoices):
        STATUTORY = "statutory", "Statutory partner"
        VOLUNTARY = "voluntary", "Voluntary sector"
        PRIVATE = "private", "Private"
        GOVERNMENT = "government", "Central government"

    name = models.CharField(max_length=200)
    org_id = models.CharField(
        max_length=200,
        unique=True,
        help_text="360Giving org-id, e.g. GB-CHC-1234567 (charity) or GB-LAE-SWK (local authority).",
    )
    org_type = models.CharField("type", max_length=12, choices=Type.choices)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(org_id__regex=r"^[A-Z0-9]{2,5}-[A-Z0-9]+-.+$"), name="organisation_org_id_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    job_title = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"


class FundingStream(models.Model):
    name = models.CharField(max_length=200)
    code = models.SlugField(unique=True)
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funded_streams")
    financial_year = FinancialYearField()
    budget = MoneyField(validators=[MinValueValidator(0, "The budget cannot be negative.")])
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "financial_year"], name="stream_unique_name_year"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="stream_budget_gte_0"),
            fy_check("financial_year", "stream_financial_year_format"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.financial_year}"


class Programme(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        COMPLETED = "completed", "Completed"
        DECOMMISSIONED = "decommissioned", "Decommissioned"

    class Model(models.TextChoices):
        GRANT = "grant", "Grant"
        CONTRACT = "contract", "Contract"
        PAYMENT_BY_RESULTS = "pbr", "Payment by results"

    reference = models.CharField(max_length=40, unique=True, help_text="e.g. SSP-0901.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    funding_stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="programmes")
    award_amount = MoneyField(validators=[MinValueValidator(0, "The award cannot be negative.")])
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.ACTIVE)
    commissioning_model = models.CharField(max_length=8, choices=Model.choices, default=Model.GRANT)
    service_fee = MoneyField(
        default=Decimal("0"),
        validators=[MinValueValidator(0, "The service fee cannot be negative.")],
        help_text="Payment by results: the fixed service fee over the whole programme, GBP.",
    )
    evidence_grade = models.ForeignKey(
        EvidenceGrade, on_delete=models.SET_NULL, null=True, blank=True, related_name="programmes"
    )
    attribution = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Overrides the measures' attribution for this programme, 0 to 1.",
    )
    priorities = models.ManyToManyField(Priority, through="ProgrammePriority", related_name="programmes")
    themes = models.ManyToManyField(Theme, related_name="programmes", blank=True)
    wards = models.ManyToManyField(Ward, related_name="programmes", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[themes, wards])

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(condition=Q(award_amount__gte=0), name="programme_award_gte_0"),
            models.CheckConstraint(condition=Q(service_fee__gte=0), name="programme_fee_gte_0"),
            models.CheckConstraint(
                condition=Q(service_fee__lte=F("award_amount")),
                name="programme_fee_within_award",
                violation_error_message="The service fee cannot be more than the award.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="programme_end_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(attribution__isnull=True) | (Q(attribution__gte=0) & Q(attribution__lte=1)),
                name="programme_attribution_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def counts_against_budget(self) -> bool:
        """A decommissioned programme's award no longer counts as awarded from its stream."""
        return self.status != self.Status.DECOMMISSIONED


class ProgrammePriority(models.Model):
    """A priority a programme serves; exactly one is primary (at most one, by constraint;
    at least one, by the services that write programmes)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="programme_priorities")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="programme_priorities")
    is_primary = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "programme priorities"
        constraints = [
            models.UniqueConstraint(fields=["programme", "priority"], name="programme_priority_unique"),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(is_primary=True), name="programme_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.reference}: {self.priority}{' (primary)' if self.is_primary else ''}"


class ProgrammeTarget(models.Model):
    """What a programme commits to deliver on one measure in one quarter, and under payment
    by results what each outcome earns (tariff)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="targets")
    financial_year = FinancialYearField()
    quarter = QuarterField()
    target_value = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(0, "A target cannot be negative.")]
    )
    tariff = MoneyField(
        null=True,
        blank=True,
        help_text="GBP paid per verified outcome (PbR).",
        validators=[MinValueValidator(0, "A tariff cannot be negative.")],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "measure", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure", "financial_year", "quarter"],
                name="target_unique_period",
            ),
            models.CheckConstraint(condition=Q(target_value__gte=0), name="target_value_gte_0"),
            models.CheckConstraint(
                condition=Q(tariff__isnull=True) | Q(tariff__gte=0), name="target_tariff_gte_0"
            ),
            fy_check("financial_year", "target_financial_year_format"),
            quarter_check("quarter", "target_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.reference} {self.measure} {self.financial_year} Q{self.quarter}"


class OutcomeReturn(models.Model):
    """A provider's quarterly figure for one measure of one programme (and, optionally, the
    programme's spend in that quarter). A verified return is locked."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        VERIFIED = "verified", "Verified"
        QUERIED = "queried", "Queried"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="returns")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="returns")
    financial_year = FinancialYearField()
    quarter = QuarterField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    spend = MoneyField(null=True, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    revision = models.PositiveIntegerField(default=1)
    is_late = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_returns"
    )
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_returns",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    query_reason = models.TextField(blank=True)
    high_value_confirmed = models.BooleanField(
        default=False,
        help_text="The provider confirmed a value far above the quarter's target "
        "(see the measure's high value factor).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "measure", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure", "financial_year", "quarter"],
                name="return_unique_period",
            ),
            models.CheckConstraint(
                condition=Q(spend__isnull=True) | Q(spend__gte=0), name="return_spend_gte_0"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="return_revision_gte_1"),
            models.CheckConstraint(
                condition=~Q(status="queried") | ~Q(query_reason=""),
                name="return_query_has_reason",
            ),
            fy_check("financial_year", "return_financial_year_format"),
            quarter_check("quarter", "return_quarter_1_4"),
        ]
        indexes = [models.Index(fields=["status", "financial_year"])]

    def __str__(self) -> str:
        return f"{self.programme.reference} {self.measure} {self.financial_year} Q{self.quarter}"

    @property
    def far_above_target(self) -> bool:
        """Whether the value is far above its quarter's target (the measure's high value
        factor), the verification queue's flag."""
        return self.measure.is_far_above(self.value, self.get_quarter_target())

    def get_quarter_target(self):
        """The programme's target for this measure and quarter, or None: `quarter_target` as
        grants.selectors.with_quarter_target annotates it, else looked up once (one query)."""
        if not hasattr(self, "quarter_target"):
            self.quarter_target = (
                ProgrammeTarget.objects.filter(
                    programme_id=self.programme_id,
                    measure_id=self.measure_id,
                    financial_year=self.financial_year,
                    quarter=self.quarter,
                )
                .values_list("target_value", flat=True)
                .first()
            )
        return self.quarter_target


class Payment(models.Model):
    """Money paid to a programme's provider for a quarter (service fee share and/or
    payment-by-results outcome payments), or the reversal of such a payment.

    Payments are never edited or deleted. A payment recorded in error is corrected by a
    **reversal**: a second, linked row (kind "reversal", `reverses` the original) for the same
    programme and quarter whose amount is the original's amount **negated**, with a reason. So a
    plain SUM(amount) nets it out everywhere, and the original stays as it was. The constraints
    tie the sign to the kind; `reverses` is one-to-one, so a payment is reversed at most once;
    grants.services.payment_reverse checks the rest (same amount, a reversal is not reversed).

    A **clawback** is the same mechanism for money recovered after an audit of claims: a negative
    entry for a quarter with the audit as its reason, linked to no one payment. It nets out of
    what was paid and, as money the provider did not earn, out of what is due, so the quarter
    is not made payable again (grants.payments)."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment"
        REVERSAL = "reversal", "Reversal"
        CLAWBACK = "clawback", "Clawback"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    financial_year = FinancialYearField()
    quarter = QuarterField()
    amount = MoneyField(
        help_text="GBP: more than 0 for a payment; minus the original's amount for a reversal."
    )
    paid_on = models.DateField(
        help_text="The date the money was paid (for a reversal: the date it was reversed)."
    )
    reference = models.CharField(max_length=60, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        help_text="For a reversal: the payment it reverses (each payment can be reversed once).",
    )
    reason = models.TextField(blank=True, help_text="For a reversal: why the payment was reversed.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_payments"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "financial_year", "quarter", "paid_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="payment", amount__gt=0, reverses__isnull=True, reason="")
                | (Q(kind="reversal", amount__lt=0, reverses__isnull=False) & ~Q(reason=""))
                | (Q(kind="clawback", amount__lt=0, reverses__isnull=True) & ~Q(reason="")),
                name="payment_or_reversal_shape",
                violation_error_message=(
                    "A payment has an amount over £0 and no reason or reversed payment; a reversal "
                    "has a negative amount, the payment it reverses and a reason; a clawback has a "
                    "negative amount and a reason."
                ),
            ),
            fy_check("financial_year", "payment_financial_year_format"),
            quarter_check("quarter", "payment_quarter_1_4"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CLAWBACK:
            return (
                f"clawback of {gbp(-self.amount, pence=True)} from {self.programme.reference} "
                f"for {self.financial_year} Q{self.quarter}"
            )
        if self.is_reversal:
            return (
                f"reversal of {gbp(-self.amount, pence=True)} to {self.programme.reference} "
                f"for {self.financial_year} Q{self.quarter}"
            )
        return (
            f"{gbp(self.amount, pence=True)} to {self.programme.reference} "
            f"for {self.financial_year} Q{self.quarter}"
        )

    @property
    def is_reversal(self) -> bool:
        return self.kind == self.Kind.REVERSAL


class SentReminder(models.Model):
    """One reminder e-mailed to one person about one return (or return slot not yet filled)
    for one reason; the unique constraint is what makes send_reminders safe to re-run."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Return due soon"
        LATE = "late", "Return late"
        AWAITING_VERIFICATION = "awaiting_verification", "Return waiting for verification"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sent_reminders")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="sent_reminders")
    financial_year = FinancialYearField()
    quarter = QuarterField()
    revision = models.PositiveIntegerField(
        default=0,
        help_text="The return's revision a verification reminder was about; 0 for a return not yet in.",
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "programme", "measure", "financial_year", "quarter", "revision"],
                name="reminder_sent_once",
            ),
            fy_check("financial_year", "reminder_financial_year_format"),
            quarter_check("quarter", "reminder_quarter_1_4"),
        ]
        indexes = [models.Index(fields=["kind", "financial_year", "quarter"])]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} to {self.recipient} for {self.programme.reference} "
            f"{self.financial_year} Q{self.quarter}"
        )


class MeasureYearTotal(models.Model):
    """Per programme, measure and financial year: its targets and returns summed, so that the
    value-for-money engine reads one row here instead of up to eight row-level ones.

    Written only by database triggers on ProgrammeTarget and OutcomeReturn (grants/totals.py),
    which recompute the row whenever either changes, by any route (ORM, bulk, COPY, raw SQL); a
    row exists while the key has a target or a return. Quarter sets are bit masks (Q1 = 1 ...
    Q4 = 8). A status's total is NULL when it has no returns, as SQL's SUM would be.
    """

    programme = models.ForeignKey(Programme, models.DO_NOTHING, db_constraint=False, related_name="+")
    measure = models.ForeignKey(OutcomeMeasure, models.DO_NOTHING, db_constraint=False, related_name="+")
    financial_year = FinancialYearField()
    target_count = models.PositiveSmallIntegerField()
    target_total = models.DecimalField(max_digits=16, decimal_places=2)
    target_quarters = models.PositiveSmallIntegerField()
    return_quarters = models.PositiveSmallIntegerField(help_text="Quarters with a return of any status.")
    verified_total = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    submitted_total = models.DecimalField(max_digits=16, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure", "financial_year"], name="measure_year_total_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Totals of programme {self.programme_id}, measure {self.measure_id}, {self.financial_year}"


class ProgrammeYearSpend(models.Model):
    """Per programme and financial year: spend returned, where each quarter counts once at the
    largest figure on its returns. Verified returns only, and verified with submitted ones (a
    review round may count either). NULL where no return carries spend. Kept by the same
    triggers as MeasureYearTotal."""

    programme = models.ForeignKey(Programme, models.DO_NOTHING, db_constraint=False, related_name="+")
    financial_year = FinancialYearField()
    verified_spend = MoneyField(max_digits=16, null=True)
    counted_spend = MoneyField(max_digits=16, null=True, help_text="Verified and submitted returns.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "financial_year"], name="programme_year_spend_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Spend of programme {self.programme_id}, {self.financial_year}"


class StaffInvitation(models.Model):
    """An organisation administrator's invitation to a person to join their organisation's staff
    on Yardstick (grants.services.staff). The link e-mailed holds a key of which only the hash is
    kept; following it proves the address, so the account's e-mail address starts verified."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="staffinvitation_one_open_per_address",
                violation_error_message="That address already has an invitation waiting to be accepted.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"
