"""What the partnership wants: plans, priorities, themes, actions, indicators, outcome measures.

This app imports nothing from the other apps (it is the top layer).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.sorting import natural_key
from outcomes.fields import FinancialYearField, MoneyField, fy_check


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    area = models.CharField(max_length=200, help_text="The area it serves, e.g. London Borough of Southwark.")
    org_id = models.CharField(
        max_length=60, blank=True, help_text="360Giving org-id of the lead body, e.g. GB-LAE-SWK."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, blank=True, help_text="ONS ward code, where known.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="ward_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A version of the partnership's rolling plan; priorities may change between versions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=60, help_text='e.g. "2008 original" or "2009 revision".')
    first_year = FinancialYearField()
    last_year = FinancialYearField()
    adopted_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-first_year", "-adopted_on"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="plan_unique_version"),
            models.UniqueConstraint(
                fields=["partnership"], condition=Q(is_current=True), name="plan_one_current"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="plan_years_in_order"
            ),
            fy_check("first_year", "plan_first_year_format"),
            fy_check("last_year", "plan_last_year_format"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="priority_unique_slug"),
            models.UniqueConstraint(fields=["plan", "name"], name="priority_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A cross-cutting theme every priority is considered against (e.g. worklessness)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="theme_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class PriorityAction(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    financial_year = FinancialYearField()
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "financial_year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "financial_year", "order"], name="action_unique_order"
            ),
            fy_check("financial_year", "action_financial_year_format"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(models.Model):
    """An area-level performance indicator, e.g. NI 111 first-time entrants."""

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"
        BIENNIAL = "biennial", "Every two years (Place Survey)"

    code = models.CharField(max_length=20, unique=True, help_text='e.g. "NI 111".')
    # The code in natural order (core.sorting.natural_key), kept by save(): "NI 15" before "NI 111".
    sort_key = models.CharField(max_length=120, editable=False, db_index=True, default="")
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=60, help_text='e.g. "%", "rate per 1,000", "count".')
    polarity = models.CharField(max_length=6, choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    description = models.TextField(blank=True)
    priorities = models.ManyToManyField(Priority, related_name="indicators", blank=True)
    tolerance = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        default=Decimal("0.05"),
        help_text="Share of the target within which an off-target value is amber rather than red.",
    )

    class Meta:
        ordering = ["sort_key", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance__gte=0) & Q(tolerance__lte=1), name="indicator_tolerance_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.sort_key = natural_key(self.code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


class IndicatorYear(models.Model):
    """An indicator's baseline, target and actual for one financial year.

    A null baseline means "not yet established", as the plan says of the new indicators.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="years")
    financial_year = FinancialYearField()
    baseline = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "financial_year"], name="indicator_year_unique"),
            fy_check("financial_year", "indicator_year_format"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.financial_year}"


class EvidenceGrade(models.Model):
    """How strong the evidence behind a programme's outcomes is; weaker evidence carries a
    larger optimism-bias correction to its claimed benefit."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    optimism_bias = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Fraction taken off benefit, 0 to 1."
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(optimism_bias__gte=0) & Q(optimism_bias__lte=1),
                name="evidence_grade_bias_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class OutcomeMeasure(models.Model):
    """A programme-level outcome (most are counts of people or cases) with the fiscal value of
    one outcome (unit cost).

    A count takes whole numbers only. A return more than `high_value_factor` times its quarter's
    target is "far above target": it is accepted only when the provider confirms the figure,
    and the verification queue flags it (is_far_above, OutcomeReturn.far_above_target)."""

    class Kind(models.TextChoices):
        COUNT = "count", "Count (whole numbers)"
        AMOUNT = "amount", "Amount or other figure (decimals allowed)"

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=6,
        choices=Kind.choices,
        default=Kind.COUNT,
        help_text="A count (people, cases) takes whole numbers only; an amount or other figure may "
        "have pence or decimals.",
    )
    high_value_factor = models.DecimalField(
        "high value factor",
        max_digits=7,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1"), "The high value factor must be at least 1.")],
        help_text="A return more than this many times its quarter's target (or more than this "
        "number, when the target is under 1) must be confirmed by the provider and is flagged "
        "for the verifier. 10 means ten times the target.",
    )
    unit = models.CharField(max_length=60, default="people")
    polarity = models.CharField(max_length=6, choices=Polarity.choices, default=Polarity.HIGHER)
    allows_negative = models.BooleanField(
        default=False, help_text="Whether a return may report a negative value (a net change)."
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    unit_cost = MoneyField(help_text="Fiscal and economic value of one outcome, GBP.")
    unit_cost_source = models.CharField(max_length=300)
    unit_cost_price_year = models.CharField(
        max_length=7, help_text='Price base of the unit cost, e.g. "2009/10".'
    )
    deadweight = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text="Fraction of outcomes that would have happened anyway, 0 to 1.",
    )
    attribution = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        help_text="Fraction of the remaining outcomes due to the programme, 0 to 1.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="measure_unit_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(deadweight__gte=0) & Q(deadweight__lte=1), name="measure_deadweight_0_1"
            ),
            models.CheckConstraint(
                condition=Q(attribution__gte=0) & Q(attribution__lte=1),
                name="measure_attribution_0_1",
            ),
            models.CheckConstraint(
                condition=Q(high_value_factor__gte=1),
                name="measure_high_value_factor_gte_1",
                violation_error_message="The high value factor must be at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def whole_numbers_only(self) -> bool:
        return self.kind == self.Kind.COUNT

    def high_value_threshold(self, target: Decimal | None) -> Decimal | None:
        """The largest value a return may report without confirming it, given its quarter's
        target: factor × target, and at least the factor itself (a target of 0 or under 1 would
        otherwise make every value "far above"). None when the quarter has no target."""
        if target is None:
            return None
        factor = Decimal(str(self.high_value_factor))  # raw rows (core.db.compiled) may carry a float
        return factor * max(Decimal(str(target)), Decimal("1"))

    def is_far_above(self, value: Decimal | None, target: Decimal | None) -> bool:
        """Whether `value` is far above the quarter's `target` (see high_value_threshold)."""
        threshold = self.high_value_threshold(target)
        return value is not None and threshold is not None and Decimal(value) > threshold
