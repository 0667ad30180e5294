"""Serializers for review rounds, scores, value for money and decisions."""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from commissioning.models import ConflictOfInterest, Criterion, Decision, ReviewRound, Score


class CriterionSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight", "order"]
        read_only_fields = ["id", "order"]


class ReviewRoundSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    price_year = serializers.SerializerMethodField(
        help_text="Financial year whose prices benefits are shown in (the round's own, else its first year)."
    )
    price_year_chosen = serializers.CharField(
        source="price_year", read_only=True, help_text="The price year as set; blank = the first year."
    )
    deflator_series = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The GDP deflator series chosen; null = the newest loaded."
    )

    class Meta:
        model = ReviewRound
        fields = ["id", "name", "description", "first_year", "last_year", "status", "include_submitted",
                  "price_year", "price_year_chosen", "deflator_series",
                  "funding_streams", "priorities", "criteria", "created_at"]  # fmt: skip
        read_only_fields = fields

    def get_price_year(self, obj: ReviewRound) -> str:
        return obj.price_year or obj.first_year


class ReviewRoundCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    first_year = FinancialYearField()
    last_year = FinancialYearField()
    include_submitted = serializers.BooleanField(required=False, default=False)
    funding_streams = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    priorities = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    criteria = CriterionSerializer(
        many=True, required=False, help_text="Default: the five standard criteria."
    )
    price_year = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=7,
        help_text="Financial year whose prices benefits are shown in, e.g. 2010/11 (blank = the first year).",
    )  # fmt: skip
    deflator_series = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1,
        help_text="Id of a loaded GDP deflator series (null = the newest loaded).",
    )  # fmt: skip


class ReviewRoundUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["open", "closed"],
        required=False,
        help_text="open: open a draft (or, admins, reopen a closed round with a reason); closed: close it.",
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Close even though programmes are unscored or without a decision (the 409 says how many).",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why a closed round is reopened (admins)."
    )
    criteria = CriterionSerializer(many=True, required=False)
    price_year = serializers.CharField(
        required=False, allow_blank=True, max_length=7,
        help_text="Change the price year (blank = the first year), in any round not closed.",
    )  # fmt: skip
    deflator_series = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Id of a loaded series (null = the newest).",
    )


class ScoreSerializer(serializers.ModelSerializer):
    commissioner = serializers.CharField(source="commissioner.username", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "programme", "criterion", "commissioner", "score", "rationale", "updated_at"]
        read_only_fields = fields


class ScoreCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1)
    criterion = serializers.IntegerField(min_value=1)
    score = serializers.IntegerField(min_value=0, max_value=5)
    rationale = serializers.CharField(max_length=5000, allow_blank=True)


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictOfInterest
        fields = ["id", "programme", "description", "declared_at"]
        read_only_fields = ["id", "declared_at"]


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "programme", "outcome", "rationale", "conditions", "decided_by", "decided_at"]
        read_only_fields = fields


class DecisionCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1)
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    rationale = serializers.CharField(max_length=5000, allow_blank=True)
    conditions = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class VfmRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    programme = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    provider = serializers.CharField()
    funding_stream = serializers.CharField()
    primary_priority = serializers.CharField(allow_null=True)
    award = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost_estimated = serializers.BooleanField()
    outcomes = serializers.FloatField()
    achievement = serializers.FloatField(
        allow_null=True, help_text="Overall achievement against target, 1.0 = 100%."
    )
    benefit = serializers.DecimalField(max_digits=14, decimal_places=2)
    bcr = serializers.FloatField(allow_null=True, help_text="Benefit-cost ratio: net benefit ÷ cost.")
    bcr_band = serializers.CharField(allow_null=True)
    worklessness_share = serializers.FloatField(allow_null=True)
    composite_score = serializers.FloatField(allow_null=True, help_text="Weighted mean of scores, 0-100.")
    mean_score = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    scorers = serializers.IntegerField()
    criteria_scored = serializers.IntegerField(help_text="Criteria with at least one score.")
    criteria_total = serializers.IntegerField(help_text="Criteria in the round's rubric.")
    composite_partial = serializers.BooleanField(
        help_text="The composite is from some of the criteria only (criteria_scored of criteria_total)."
    )
    missing_returns = serializers.IntegerField()
    bid_projected_cost_per_outcome = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True,
        help_text="A programme created from a winning bid: the bid's price ÷ its proposed outcomes "
        "(the engine over the service period); null for other programmes.",
    )  # fmt: skip
    bid_actual_cost_per_outcome = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True,
        help_text="The same programme's cost ÷ outcomes achieved over the call's service period.",
    )  # fmt: skip
    flags = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes; in words: bcr_below_1 Benefit-cost ratio below 1, achievement_below_50, "
        "missing_returns, cost_estimated, no_scores, partly_scored, scorers_disagree, not_uprated "
        "(docs/figures.md).",
    )
    # The Green Book figures (docs/vfm.md): in the round's price year, uprated with its deflator series.
    fiscal_benefit = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Fiscal value, with transfers (benefit payments saved)."
    )
    transfers = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Not in benefit.")
    economic_benefit = serializers.DecimalField(max_digits=14, decimal_places=2)
    social_benefit = serializers.DecimalField(max_digits=14, decimal_places=2)
    fiscal_return = serializers.FloatField(allow_null=True, help_text="Fiscal value ÷ cost.")
    bcr_low = serializers.FloatField(allow_null=True, help_text="Every ranged assumption at its worst end.")
    bcr_high = serializers.FloatField(allow_null=True, help_text="Every ranged assumption at its best end.")
    bcr_ci_low = serializers.FloatField(allow_null=True, help_text="From a measured impact's 95% interval.")
    bcr_ci_high = serializers.FloatField(allow_null=True)
    measured = serializers.BooleanField(
        help_text="Outcomes of a measure come from a published impact report."
    )
