"""Review rounds: weighted criteria, commissioners' scores, conflicts of interest, decisions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from grants.models import FundingStream, Programme
from outcomes.fields import FinancialYearField, fy_check
from outcomes.models import DeflatorSeries, Priority

# "rationale__length" in constraints below: an empty rationale is refused by the database too.
models.TextField.register_lookup(Length, "length")

DEFAULT_CRITERIA = [
    (
        "Strategic fit to priorities",
        "How directly the programme serves the plan's priorities and the worklessness theme.",
        25,
    ),
    ("Outcomes delivered", "Outcomes achieved against targets, from verified returns.", 30),
    ("Value for money", "Cost per outcome and benefit-cost ratio against comparable programmes.", 25),
    ("Delivery quality", "Timeliness and quality of returns, partnership working, user feedback.", 10),
    ("Risk", "Delivery, financial and safeguarding risk (5 = lowest risk).", 10),
]


class ReviewRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for scoring"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    first_year = FinancialYearField()
    last_year = FinancialYearField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    include_submitted = models.BooleanField(
        default=False, help_text="Count submitted (not yet verified) returns in value for money."
    )
    price_year = models.CharField(
        max_length=7,
        blank=True,
        help_text='Price year that benefits are shown in, e.g. "2009/10" (blank = the round\'s first year).',
    )
    deflator_series = models.ForeignKey(
        DeflatorSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="GDP deflator series to uprate unit costs with (blank = the newest loaded).",
    )
    funding_streams = models.ManyToManyField(
        FundingStream,
        blank=True,
        related_name="review_rounds",
        help_text="Limit the round to these streams (none = all).",
    )
    priorities = models.ManyToManyField(
        Priority,
        blank=True,
        related_name="review_rounds",
        help_text="Limit the round to programmes serving these priorities.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="round_years_in_order",
                violation_error_message="The last year must not be before the first year.",
            ),
            fy_check("first_year", "round_first_year_format"),
            fy_check("last_year", "round_last_year_format"),
            models.CheckConstraint(
                condition=Q(price_year="") | Q(price_year__regex=r"^[0-9]{4}/[0-9]{2}$"),
                name="round_price_year_format",
                violation_error_message='The price year is a financial year such as "2009/10".',
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Criterion(models.Model):
    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Percentage; a round's weights sum to 100.")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_round", "order", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["review_round", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Score(models.Model):
    """One commissioner's 0-5 score of one programme on one criterion, with its rationale."""

    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="scores")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_round", "programme", "criterion", "commissioner"]
        constraints = [
            models.UniqueConstraint(
                fields=["review_round", "programme", "criterion", "commissioner"], name="score_one_per_scorer"
            ),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=5), name="score_0_5"),
            models.CheckConstraint(condition=Q(rationale__length__gt=0), name="score_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.reference} {self.criterion.name}: {self.score}"


class ConflictOfInterest(models.Model):
    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="conflicts")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="conflicts")
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts"
    )
    description = models.TextField()
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "conflicts of interest"
        constraints = [
            models.UniqueConstraint(
                fields=["review_round", "programme", "commissioner"], name="conflict_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commissioner} on {self.programme.reference}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Continue"
        CONDITIONS = "conditions", "Continue with conditions"
        RECOMMISSION = "recommission", "Recommission"
        DECOMMISSION = "decommission", "Decommission"

    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="decisions")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    rationale = models.TextField()
    conditions = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_round", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["review_round", "programme"], name="decision_one_per_programme"),
            models.CheckConstraint(condition=Q(rationale__length__gt=0), name="decision_has_rationale"),
            models.CheckConstraint(
                condition=~Q(outcome="conditions") | Q(conditions__length__gt=0),
                name="decision_conditions_stated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.reference}: {self.get_outcome_display()}"


class ReportJob(models.Model):
    """A PDF funding review asked for by a commissioner or finance officer: built inline, or by
    the background worker when a task queue is configured; the PDF is kept here for download."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"  # was ready; its PDF was purged (manage.py purge_reports)

    class Scope(models.TextChoices):
        ROUND = "round", "Review round"
        STREAM = "stream", "Funding stream"
        YEAR = "year", "Financial year"

    scope = models.CharField(max_length=6, choices=Scope.choices)
    scope_key = models.CharField(max_length=20, help_text="Round or stream id, or a financial year.")
    scope_label = models.CharField(max_length=300)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    programmes = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    purged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the PDF was deleted after the retention period."
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(pdf__isnull=False), name="report_done_has_pdf"
            ),
            models.CheckConstraint(
                condition=(Q(status="expired") & Q(purged_at__isnull=False) & Q(pdf__isnull=True))
                | (~Q(status="expired") & Q(purged_at__isnull=True)),
                name="report_expired_purged",
            ),
        ]

    def __str__(self) -> str:
        return f"Funding review: {self.scope_label} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED
