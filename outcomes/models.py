"""What the partnership wants: plans, priorities, themes, actions, indicators, outcome measures.

This app imports nothing from the other apps (it is the top layer).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
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


def _fraction(help_text: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True, help_text=f"The {help_text}, 0 to 1."
    )


def _range_check(name: str) -> models.CheckConstraint:
    """A sensitivity range: each end 0 to 1, low not above high, and around the central value
    where the measure has one (optimism bias is the programme's, so only low <= high)."""
    low, high = f"{name}_low", f"{name}_high"
    condition = (Q(**{f"{low}__isnull": True}) | (Q(**{f"{low}__gte": 0}) & Q(**{f"{low}__lte": 1}))) & (
        Q(**{f"{high}__isnull": True}) | (Q(**{f"{high}__gte": 0}) & Q(**{f"{high}__lte": 1}))
    )
    condition &= (
        Q(**{f"{low}__isnull": True}) | Q(**{f"{high}__isnull": True}) | Q(**{f"{low}__lte": F(high)})
    )
    if name != "optimism_bias":
        condition &= Q(**{f"{low}__isnull": True}) | Q(**{f"{low}__lte": F(name)})
        condition &= Q(**{f"{high}__isnull": True}) | Q(**{f"{high}__gte": F(name)})
    return models.CheckConstraint(
        condition=condition,
        name=f"measure_{name}_range",
        violation_error_message=f"The {name.replace('_', ' ')} range must be fractions from 0 to 1, "
        "low to high, around the central value.",
    )


class EvidenceGrade(models.Model):
    """How strong the evidence behind a programme's outcomes is; weaker evidence carries a
    larger optimism-bias correction to its claimed benefit."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Method(models.TextChoices):
        RANDOMISED = "randomised", "Randomised controlled trial"
        MATCHED_COMPARISON = "matched_comparison", "Matched comparison group"
        BEFORE_AFTER = "before_after", "Before and after"
        UNEVALUATED = "unevaluated", "Unevaluated (provider's own records)"

    optimism_bias = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Fraction taken off benefit, 0 to 1."
    )
    method = models.CharField(
        max_length=20,
        choices=Method.choices,
        blank=True,
        help_text="The evaluation method this grade stands for: a measured impact (an impact report) "
        "takes the optimism bias of the grade for its method.",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(optimism_bias__gte=0) & Q(optimism_bias__lte=1),
                name="evidence_grade_bias_0_1",
            ),
            models.UniqueConstraint(
                fields=["method"],
                condition=~Q(method=""),
                name="evidence_grade_method_unique",
                violation_error_message="Another evidence grade already stands for that method.",
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
    persistence_years = models.PositiveSmallIntegerField(
        default=1,
        help_text="Years the benefit of one outcome lasts (1 = the year it happens only).",
    )
    drop_off = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text="Fraction of the benefit lost each year after the first, 0 to 1.",
    )
    # Sensitivity: the plausible range of each assumption (blank = no range: the central value).
    deadweight_low = _fraction("lowest plausible deadweight")
    deadweight_high = _fraction("highest plausible deadweight")
    attribution_low = _fraction("lowest plausible attribution")
    attribution_high = _fraction("highest plausible attribution")
    optimism_bias_low = _fraction("lowest plausible optimism bias (instead of the programme's)")
    optimism_bias_high = _fraction("highest plausible optimism bias (instead of the programme's)")
    persistence_low = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Shortest plausible persistence, years."
    )
    persistence_high = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Longest plausible persistence, years."
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
            models.CheckConstraint(
                condition=Q(persistence_years__gte=1),
                name="measure_persistence_gte_1",
                violation_error_message="A benefit lasts at least 1 year.",
            ),
            models.CheckConstraint(
                condition=Q(drop_off__gte=0) & Q(drop_off__lte=1),
                name="measure_drop_off_0_1",
                violation_error_message="Drop-off is a fraction from 0 to 1.",
            ),
            *[_range_check(name) for name in ("deadweight", "attribution", "optimism_bias")],
            models.CheckConstraint(
                condition=(Q(persistence_low__isnull=True) | Q(persistence_low__gte=1))
                & (Q(persistence_low__isnull=True) | Q(persistence_low__lte=F("persistence_years")))
                & (Q(persistence_high__isnull=True) | Q(persistence_high__gte=F("persistence_years"))),
                name="measure_persistence_range",
                violation_error_message="The persistence range must run from at least 1 year, "
                "through the central persistence.",
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


class UnitCostLine(models.Model):
    """One cost line of a unit cost database (GMCA's Unit Cost Database v1.4: manage.py
    import_unit_costs): the fiscal, economic and social value of one unit of an outcome, each in
    its own price year, the agency that bears the cost or makes the saving, and how far to trust it.

    A benefit payment saved (an `is_transfer` line, e.g. E&E1.0.1 Jobseeker's Allowance) is a
    transfer: counted in the fiscal return, left out of total public value."""

    class Rag(models.TextChoices):
        RED = "R", "Red"
        AMBER = "A", "Amber"
        GREEN = "G", "Green"

    code = models.CharField(
        max_length=20, unique=True, help_text='The database\'s cost code, e.g. "E&E1.0.1".'
    )
    database = models.CharField(max_length=100, help_text='e.g. "Unit Cost Database v1.4".')
    theme = models.CharField(max_length=60, help_text="The database's sheet, e.g. Crime.")
    outcome_category = models.CharField(max_length=100, blank=True)
    outcome_detail = models.CharField(max_length=100, blank=True)
    description = models.TextField()
    unit = models.CharField(max_length=100, blank=True)
    agency = models.CharField(
        "agency (level 1)", max_length=100, blank=True, help_text="Bears the cost or makes the saving."
    )
    agency_detail = models.CharField("agency (level 2)", max_length=100, blank=True)
    fiscal_value = MoneyField(null=True, blank=True)
    fiscal_price_year = models.CharField(max_length=7, blank=True)
    economic_value = MoneyField(null=True, blank=True)
    economic_price_year = models.CharField(max_length=7, blank=True)
    social_value = MoneyField(null=True, blank=True)
    social_price_year = models.CharField(max_length=7, blank=True)
    rag = models.CharField("RAG confidence", max_length=1, choices=Rag.choices, blank=True)
    source = models.TextField(blank=True)
    comments = models.TextField(blank=True)
    is_transfer = models.BooleanField(
        default=False, help_text="A benefit payment saved: in the fiscal return, not in public value."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=(Q(**{f"{kind}_value__isnull": True}) & Q(**{f"{kind}_price_year": ""}))
                    | (
                        Q(**{f"{kind}_value__isnull": False})
                        & Q(**{f"{kind}_price_year__regex": r"^[0-9]{4}/[0-9]{2}$"})
                    ),
                    name=f"unit_cost_line_{kind}_year",
                    violation_error_message=f"A {kind} value needs its price year (e.g. 2012/13).",
                )
                for kind in ("fiscal", "economic", "social")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description.splitlines()[0] if self.description else ''}".strip()

    def value(self, kind: str) -> tuple[Decimal | None, str]:
        """The line's fiscal, economic or social value and its price year."""
        return getattr(self, f"{kind}_value"), getattr(self, f"{kind}_price_year")


class MeasureCostLine(models.Model):
    """A part of a measure's unit cost: one value (fiscal, economic or social) of a cost line,
    times a quantity (e.g. 0.5 of a year's benefit). A measure with cost lines takes its value per
    outcome from them (by agency and kind); one without keeps its typed unit cost."""

    class Kind(models.TextChoices):
        FISCAL = "fiscal", "Fiscal"
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social"

    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="cost_lines")
    cost_line = models.ForeignKey(UnitCostLine, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FISCAL)
    quantity = models.DecimalField(max_digits=9, decimal_places=4, default=Decimal("1"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "cost_line__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "cost_line", "kind"],
                name="measure_cost_line_unique",
                violation_error_message="The measure already counts that value of that cost line.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="measure_cost_line_quantity_gt_0",
                violation_error_message="The quantity must be above 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.cost_line.code} {self.kind} x {self.quantity}"


class DeflatorSeries(models.Model):
    """A GDP deflator series (an index by financial year) to uprate values between price years.
    The newest series loaded is used unless a review round names another."""

    name = models.CharField(max_length=200, unique=True)
    source = models.TextField(help_text="Who published it, when, and where it can be found.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name_plural = "deflator series"

    def __str__(self) -> str:
        return self.name


class DeflatorYear(models.Model):
    series = models.ForeignKey(DeflatorSeries, on_delete=models.CASCADE, related_name="years")
    financial_year = FinancialYearField()
    index = models.DecimalField(max_digits=14, decimal_places=8)
    forecast = models.BooleanField(default=False)

    class Meta:
        ordering = ["series", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "financial_year"], name="deflator_year_unique"),
            models.CheckConstraint(condition=Q(index__gt=0), name="deflator_index_gt_0"),
            fy_check("financial_year", "deflator_year_format"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.financial_year}: {self.index}"
