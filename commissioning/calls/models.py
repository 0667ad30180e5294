"""Calls for proposals and their lots, scoring schemes, clarifications; bids with their quality
answers, proposed outcomes, prices, rate cards, budget lines and social value; assessors, the
conflicts register, scores, moderation, exclusions; awards through standstill to the programme.

Invariants the database can hold are constraints here (weights sum to 100, scores 0-5, one score
per assessor, bid and criterion, one live bid per organisation and lot, ...); the rest (the
scheme fixed once open, closing times, blind scoring) are checked by commissioning.calls.services
under the call's row lock.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from grants.models import FundingStream, Organisation, Programme
from outcomes.fields import FinancialYearField, MoneyField, QuarterField, fy_check, quarter_check
from outcomes.models import OutcomeMeasure, Priority, Theme, Ward

models.TextField.register_lookup(Length, "length")
models.CharField.register_lookup(Length, "length")

SCALE = range(0, 6)  # every score is a whole number 0-5, with an anchored descriptor for each


def _0_5(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 5}), name=name)


class Call(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", "Grant"
        LIGHT_TOUCH = "light_touch", "Light-touch services contract (Procurement Act 2023)"
        CONTRACT = "contract", "Contract"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Published"  # open for bids between opens_at and closes_at
        CONCLUDED = "concluded", "Concluded"

    class PriceMethod(models.TextChoices):
        RELATIVE = "relative", "Relative price (lowest ÷ this × weight)"
        COST_PER_OUTCOME = "cost_per_outcome", "Cost per weighted outcome (lowest ÷ this × weight)"

    class CommissioningModel(models.TextChoices):
        GRANT = "grant", "Grant"
        CONTRACT = "contract", "Contract"
        PAYMENT_BY_RESULTS = "pbr", "Payment by results"

    reference = models.CharField(max_length=40, unique=True, help_text="e.g. SSP-C-2010-01.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.GRANT)
    specification = models.TextField(help_text="The outcome specification bidders respond to.")
    commissioning_model = models.CharField(
        max_length=8, choices=CommissioningModel.choices, default=CommissioningModel.GRANT
    )
    funding_stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="calls")
    priorities = models.ManyToManyField(Priority, related_name="calls", blank=True)
    primary_priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="primary_calls", null=True, blank=True
    )
    themes = models.ManyToManyField(Theme, related_name="calls", blank=True)
    wards = models.ManyToManyField(Ward, related_name="calls", blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    clarification_deadline = models.DateTimeField()
    service_start = models.DateField(help_text="When the commissioned service starts.")
    service_end = models.DateField(help_text="When the commissioned service ends.")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    quality_weight = models.PositiveSmallIntegerField(default=60)
    price_weight = models.PositiveSmallIntegerField(default=30)
    social_value_weight = models.PositiveSmallIntegerField(default=10)
    quality_threshold = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text="Quality % under which a bid is not price-scored.",
    )
    price_method = models.CharField(max_length=16, choices=PriceMethod.choices, default=PriceMethod.RELATIVE)
    source_programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommissioning_calls",
        help_text="The programme a review round decided to recommission, if this call came from one.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[priorities, themes, wards])

    class Meta:
        ordering = ["-closes_at", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quality_weight__lte=100)
                & Q(price_weight__lte=100)
                & Q(social_value_weight__lte=100)
                & Q(quality_weight=100 - F("price_weight") - F("social_value_weight")),
                name="call_weights_sum_100",
                violation_error_message="Quality, price and social value weights must add up to 100.",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="call_closes_after_opening",
                violation_error_message="The closing time must be after the opening time.",
            ),
            models.CheckConstraint(
                condition=Q(clarification_deadline__lte=F("closes_at")),
                name="call_clarifications_before_closing",
                violation_error_message="The clarification deadline must not be after the closing time.",
            ),
            models.CheckConstraint(
                condition=Q(service_end__gt=F("service_start")),
                name="call_service_end_after_start",
                violation_error_message="The service must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(quality_threshold__gte=0) & Q(quality_threshold__lte=100),
                name="call_threshold_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Lot(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    budget = MoneyField(validators=[MinValueValidator(0, "A lot's budget cannot be negative.")])

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="lot_unique_number"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="lot_budget_gte_0"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class LotMeasure(models.Model):
    """An outcome measure bids for a lot must price, with the least volume they must propose."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="lot_measures")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="lot_measures")
    minimum_volume = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["lot", "measure__name"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "measure"], name="lot_measure_unique"),
            models.CheckConstraint(condition=Q(minimum_volume__gte=0), name="lot_measure_minimum_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.measure} (at least {self.minimum_volume})"


class Criterion(models.Model):
    """A scored criterion with anchored 0-5 descriptors. Quality criteria's weights sum to 100
    (their share of the quality score); the one social value criterion, where the call weights
    social value, carries weight 100 of its own part."""

    class Kind(models.TextChoices):
        QUALITY = "quality", "Quality"
        SOCIAL_VALUE = "social_value", "Social value"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.QUALITY)
    name = models.CharField(max_length=150)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Percentage of its part (quality or social value).")
    descriptors = models.JSONField(help_text="Six anchored descriptors, for scores 0 to 5.")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "kind", "order", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="call_criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="call_criterion_weight_1_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class EligibilityQuestion(models.Model):
    """A pass/fail gate: a bid answering "no" fails it and is excluded with the reason."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="eligibility_questions")
    text = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Clarification(models.Model):
    """A bidder's question; its answer is published to every bidder without naming who asked."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "asked_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(question__length__gt=0), name="clarification_has_question"),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(answer__length__gt=0),
                name="clarification_published_answered",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:60]


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bids")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    price = MoneyField(default=0, help_text="The total price over the service period, GBP.")
    service_fee = MoneyField(default=0, help_text="Payment by results: the fixed service fee, GBP.")
    declaration_accurate = models.BooleanField(
        default=False, help_text="The information in this bid is accurate and complete."
    )
    declaration_no_collusion = models.BooleanField(
        default=False, help_text="The bid was prepared independently of any other bidder."
    )
    declaration_safeguarding = models.BooleanField(
        default=False, help_text="Safeguarding policies and DBS checks are in place."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    excluded_reason = models.TextField(blank=True, help_text="Why the bid was excluded (e.g. eligibility).")
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    programme = models.OneToOneField(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="winning_bid"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "lot", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "organisation"],
                condition=~Q(status="withdrawn"),
                name="bid_one_live_per_organisation_lot",
                violation_error_message="This organisation already has a bid for this lot.",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="bid_price_gte_0"),
            models.CheckConstraint(
                condition=Q(service_fee__gte=0) & Q(service_fee__lte=F("price")),
                name="bid_fee_within_price",
                violation_error_message="The service fee cannot be more than the price.",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="bid_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} for {self.lot}"

    @property
    def is_excluded(self) -> bool:
        return bool(self.excluded_reason)


class BidAnswer(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "criterion"]
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="bid_answer_unique")]

    def __str__(self) -> str:
        return f"{self.bid}: {self.criterion.name}"


class EligibilityAnswer(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="eligibility_answers")
    question = models.ForeignKey(EligibilityQuestion, on_delete=models.CASCADE, related_name="answers")
    meets = models.BooleanField()
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "question"]
        constraints = [models.UniqueConstraint(fields=["bid", "question"], name="eligibility_answer_unique")]

    def __str__(self) -> str:
        return f"{self.bid}: {self.question} ({'yes' if self.meets else 'no'})"


class ProposedOutcome(models.Model):
    """The volume of one measure a bid proposes to deliver in one quarter."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="proposed_outcomes")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="+")
    financial_year = FinancialYearField()
    quarter = QuarterField()
    volume = models.DecimalField(max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "measure", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "measure", "financial_year", "quarter"], name="proposed_outcome_unique"
            ),
            models.CheckConstraint(condition=Q(volume__gte=0), name="proposed_outcome_volume_gte_0"),
            fy_check("financial_year", "proposed_outcome_fy_format"),
            quarter_check("quarter", "proposed_outcome_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.bid}: {self.measure} {self.financial_year} Q{self.quarter} = {self.volume}"


class RateCardLine(models.Model):
    """Payment by results: what the bid asks to be paid per outcome of a measure."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="rate_card")
    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.PROTECT, related_name="+")
    tariff = MoneyField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "measure"], name="rate_card_unique"),
            models.CheckConstraint(condition=Q(tariff__gte=0), name="rate_card_tariff_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.bid}: {self.measure} at £{self.tariff}"


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", "Staff"
        DELIVERY = "delivery", "Delivery"
        OVERHEADS = "overheads", "Overheads"
        OTHER = "other", "Other"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(max_length=9, choices=Category.choices)
    amount = MoneyField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "category"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "category"], name="budget_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.bid}: {self.get_category_display()} £{self.amount}"


class SocialValueCommitment(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="social_value")
    measure = models.CharField(max_length=200, help_text="e.g. Local people employed.")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    by_when = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "by_when", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="social_value_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.bid}: {self.quantity} {self.measure} by {self.by_when}"


class Assessor(models.Model):
    """A commissioner assigned to assess a call's bids; one of them leads (and moderates)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_assessments"
    )
    is_lead = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "-is_lead", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="assessor_unique"),
            models.UniqueConstraint(fields=["call"], condition=Q(is_lead=True), name="assessor_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.call.reference}{' (lead)' if self.is_lead else ''}"


class InterestDeclaration(models.Model):
    """The conflicts register: an assessor's declaration against one bidding organisation."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="interests")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    conflicted = models.BooleanField()
    description = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "assessor", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "assessor", "organisation"], name="interest_unique"),
            models.CheckConstraint(
                condition=Q(conflicted=False) | Q(description__length__gt=0),
                name="interest_conflict_described",
                violation_error_message="Say what the conflict is.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.organisation}: {'conflicted' if self.conflicted else 'no conflict'}"


class AssessorScore(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    justification = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "criterion", "assessor"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion", "assessor"], name="assessor_score_one"),
            _0_5("score", "assessor_score_0_5"),
            models.CheckConstraint(condition=Q(justification__length__gt=0), name="assessor_score_justified"),
        ]

    def __str__(self) -> str:
        return f"{self.bid} {self.criterion.name}: {self.score} by {self.assessor}"


class AssessmentSubmission(models.Model):
    """An assessor has submitted their scores for a bid: theirs are fixed, and others' show."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bid", "assessor"], name="assessment_submitted_once")]

    def __str__(self) -> str:
        return f"{self.assessor} submitted scores for {self.bid}"


class Moderation(models.Model):
    """The lead assessor's moderated score for a bid on a criterion; the original scores stay."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="moderations")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="moderations")
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="moderation_one"),
            _0_5("score", "moderation_score_0_5"),
            models.CheckConstraint(condition=Q(rationale__length__gt=0), name="moderation_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.bid} {self.criterion.name}: moderated to {self.score}"


class Award(models.Model):
    """The recommended bid for a lot; standstill runs from the recommendation, then it concludes
    into a programme."""

    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="award")
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="award")
    rationale = models.TextField()
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_on = models.DateField()
    standstill_ends = models.DateField(help_text="The last working day of the standstill period.")
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["lot"]
        constraints = [
            models.CheckConstraint(condition=Q(rationale__length__gt=0), name="award_has_rationale"),
            models.CheckConstraint(
                condition=Q(standstill_ends__gt=F("recommended_on")),
                name="award_standstill_after_recommendation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.bid.organisation}"

    @property
    def is_concluded(self) -> bool:
        return self.concluded_at is not None
