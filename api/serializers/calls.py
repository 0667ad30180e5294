"""Serializers for calls, bids, clarifications, interests, scores, moderation, ranking and awards."""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from commissioning.calls.models import (
    Assessor,
    AssessorScore,
    Award,
    Bid,
    Call,
    Clarification,
    Criterion,
    EligibilityQuestion,
    InterestDeclaration,
    Lot,
    Moderation,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class CallLotMeasureSerializer(serializers.Serializer):
    measure = serializers.IntegerField(source="measure_id", min_value=1)
    measure_name = serializers.CharField(source="measure.name", read_only=True)
    minimum_volume = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class CallLotSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    measures = CallLotMeasureSerializer(source="lot_measures", many=True)

    class Meta:
        model = Lot
        fields = ["id", "number", "title", "description", "budget", "measures"]
        read_only_fields = ["id"]


class CallCriterionSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    descriptors = serializers.ListField(
        child=serializers.CharField(max_length=1000), min_length=6, max_length=6
    )

    class Meta:
        model = Criterion
        fields = ["id", "kind", "name", "guidance", "weight", "descriptors"]
        read_only_fields = ["id"]


class EligibilityQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EligibilityQuestion
        fields = ["id", "text"]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    lots = CallLotSerializer(many=True, read_only=True)
    criteria = CallCriterionSerializer(many=True, read_only=True)
    eligibility_questions = EligibilityQuestionSerializer(many=True, read_only=True)
    funding_stream_name = serializers.CharField(source="funding_stream.name", read_only=True)

    class Meta:
        model = Call
        fields = ["id", "reference", "title", "kind", "status", "specification", "commissioning_model",
                  "funding_stream", "funding_stream_name", "priorities", "primary_priority", "themes",
                  "wards", "opens_at", "closes_at", "clarification_deadline", "service_start", "service_end",
                  "quality_weight", "price_weight", "social_value_weight", "quality_threshold",
                  "price_method", "lots", "criteria", "eligibility_questions",
                  "source_programme"]  # fmt: skip
        read_only_fields = fields


class PublicCallSerializer(serializers.ModelSerializer):
    """An open call as funders' open-call feeds show it."""

    lots = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["id", "reference", "title", "kind", "specification", "opens_at", "closes_at",
                  "clarification_deadline", "service_start", "service_end", "lots", "url"]  # fmt: skip
        read_only_fields = fields

    def get_lots(self, call) -> list[dict]:
        return [
            {"number": lot.number, "title": lot.title, "budget": f"{lot.budget:.2f}"}
            for lot in call.lots.all()
        ]

    def get_url(self, call) -> str:
        return f"/calls/{call.pk}/"


class CallWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    reference = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Call.Kind.choices)
    specification = serializers.CharField(max_length=20000)
    commissioning_model = serializers.ChoiceField(choices=Call.CommissioningModel.choices)
    funding_stream = serializers.IntegerField(min_value=1)
    priorities = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    primary_priority = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    themes = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    wards = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    clarification_deadline = serializers.DateTimeField()
    service_start = serializers.DateField()
    service_end = serializers.DateField()
    quality_weight = serializers.IntegerField(min_value=0, max_value=100)
    price_weight = serializers.IntegerField(min_value=0, max_value=100)
    social_value_weight = serializers.IntegerField(min_value=0, max_value=100)
    quality_threshold = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    price_method = serializers.ChoiceField(choices=Call.PriceMethod.choices)
    lots = CallLotSerializer(many=True)
    criteria = CallCriterionSerializer(many=True)
    eligibility_questions = serializers.ListField(child=serializers.CharField(max_length=500), required=False)


class CallUpdateSerializer(CallWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ClarificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clarification
        fields = ["id", "question", "answer", "asked_at", "published_at"]
        read_only_fields = fields


class ClarificationAskSerializer(StrictFieldsMixin, serializers.Serializer):
    question = serializers.CharField(max_length=5000, allow_blank=True)


class ClarificationAnswerSerializer(StrictFieldsMixin, serializers.Serializer):
    answer = serializers.CharField(max_length=5000, allow_blank=True)


class ProposedOutcomeSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1)
    financial_year = FinancialYearField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    volume = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class RateCardSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1)
    tariff = serializers.DecimalField(**MONEY, min_value=0)


class BudgetLineSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=["staff", "delivery", "overheads", "other"])
    amount = serializers.DecimalField(**MONEY, min_value=0)


class SocialValueSerializer(serializers.Serializer):
    measure = serializers.CharField(max_length=200)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    by_when = serializers.DateField()


class AnswerSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=20000, allow_blank=True)


class EligibilityAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1)
    meets = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class BidSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    answers = serializers.SerializerMethodField()
    eligibility = serializers.SerializerMethodField()
    proposed_outcomes = serializers.SerializerMethodField()
    rate_card = serializers.SerializerMethodField()
    budget_lines = serializers.SerializerMethodField()
    social_value = serializers.SerializerMethodField()
    projected = serializers.SerializerMethodField()

    class Meta:
        model = Bid
        fields = ["id", "call", "lot", "lot_number", "organisation", "organisation_name", "title", "summary",
                  "status", "price", "service_fee", "declaration_accurate", "declaration_no_collusion",
                  "declaration_safeguarding", "submitted_at", "withdrawn_at", "excluded_reason", "programme",
                  "answers", "eligibility", "proposed_outcomes", "rate_card", "budget_lines", "social_value",
                  "projected"]  # fmt: skip
        read_only_fields = fields

    def get_answers(self, bid) -> list[dict]:
        return [{"criterion": a.criterion_id, "text": a.text} for a in bid.answers.all()]

    def get_eligibility(self, bid) -> list[dict]:
        return [
            {"question": a.question_id, "meets": a.meets, "note": a.note}
            for a in bid.eligibility_answers.all()
        ]

    def get_proposed_outcomes(self, bid) -> list[dict]:
        return [
            {
                "measure": o.measure_id,
                "financial_year": o.financial_year,
                "quarter": o.quarter,
                "volume": f"{o.volume:.2f}",
            }  # fmt: skip
            for o in bid.proposed_outcomes.all()
        ]

    def get_rate_card(self, bid) -> list[dict]:
        return [{"measure": r.measure_id, "tariff": f"{r.tariff:.2f}"} for r in bid.rate_card.all()]

    def get_budget_lines(self, bid) -> list[dict]:
        return [{"category": b.category, "amount": f"{b.amount:.2f}"} for b in bid.budget_lines.all()]

    def get_social_value(self, bid) -> list[dict]:
        return [
            {"measure": s.measure, "quantity": f"{s.quantity:.2f}", "by_when": s.by_when.isoformat()}
            for s in bid.social_value.all()
        ]

    def get_projected(self, bid) -> dict | None:
        figures = (self.context.get("vfm") or {}).get(bid.pk)
        if figures is None:
            return None
        return {k: (None if v is None else str(v)) for k, v in figures.items()}


class BidListSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "call", "lot", "lot_number", "organisation", "organisation_name", "title", "status",
                  "price", "submitted_at", "excluded_reason"]  # fmt: skip
        read_only_fields = fields


class BidCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    lot = serializers.IntegerField(min_value=1)
    organisation = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BidUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    price = serializers.DecimalField(**MONEY, min_value=0, required=False)
    service_fee = serializers.DecimalField(**MONEY, min_value=0, required=False)
    declaration_accurate = serializers.BooleanField(required=False)
    declaration_no_collusion = serializers.BooleanField(required=False)
    declaration_safeguarding = serializers.BooleanField(required=False)
    answers = AnswerSerializer(many=True, required=False)
    eligibility = EligibilityAnswerSerializer(many=True, required=False)
    proposed_outcomes = ProposedOutcomeSerializer(many=True, required=False)
    rate_card = RateCardSerializer(many=True, required=False)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    social_value = SocialValueSerializer(many=True, required=False)


class InterestSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = InterestDeclaration
        fields = ["id", "organisation", "organisation_name", "conflicted", "description", "declared_at"]
        read_only_fields = fields


class InterestDeclareSerializer(StrictFieldsMixin, serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1)
    conflicted = serializers.BooleanField()
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AssessorSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Assessor
        fields = ["id", "user", "username", "is_lead"]
        read_only_fields = fields


class AssessorAssignSerializer(StrictFieldsMixin, serializers.Serializer):
    user = serializers.IntegerField(min_value=1)
    is_lead = serializers.BooleanField(required=False, default=False)


class AssessorScoreSerializer(serializers.ModelSerializer):
    assessor = serializers.CharField(source="assessor.username", read_only=True)

    class Meta:
        model = AssessorScore
        fields = ["id", "criterion", "assessor", "score", "justification", "updated_at"]
        read_only_fields = fields


class _CriterionScoreSerializer(StrictFieldsMixin, serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1)
    score = serializers.IntegerField(min_value=0, max_value=5)


class ScoreRecordSerializer(_CriterionScoreSerializer):
    justification = serializers.CharField(max_length=5000, allow_blank=True)


class ModerationSerializer(serializers.ModelSerializer):
    moderated_by = serializers.CharField(source="moderated_by.username", read_only=True)

    class Meta:
        model = Moderation
        fields = ["id", "criterion", "score", "rationale", "moderated_by", "moderated_at"]
        read_only_fields = fields


class ModerationRecordSerializer(_CriterionScoreSerializer):
    rationale = serializers.CharField(max_length=5000, allow_blank=True)
    requested = serializers.BooleanField(required=False, default=False, help_text="The lead asked for it.")


class ExcludeSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class RankingRowSerializer(serializers.Serializer):
    bid = serializers.IntegerField()
    lot = serializers.IntegerField()
    organisation = serializers.CharField()
    price = serializers.DecimalField(**MONEY)
    quality_pct = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    passes_threshold = serializers.BooleanField()
    quality_score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    price_score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    social_value_score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    cost_per_outcome = serializers.DecimalField(**MONEY, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    awaiting_moderation = serializers.ListField(child=serializers.IntegerField())
    excluded_reason = serializers.CharField()
    incomplete = serializers.BooleanField()


class AwardSerializer(serializers.ModelSerializer):
    lot_number = serializers.IntegerField(source="lot.number", read_only=True)
    organisation = serializers.CharField(source="bid.organisation.name", read_only=True)
    programme = serializers.IntegerField(source="bid.programme_id", read_only=True, allow_null=True)

    class Meta:
        model = Award
        fields = ["id", "lot", "lot_number", "bid", "organisation", "rationale", "recommended_on",
                  "standstill_ends", "concluded_at", "programme"]  # fmt: skip
        read_only_fields = fields


class AwardRecommendSerializer(StrictFieldsMixin, serializers.Serializer):
    lot = serializers.IntegerField(min_value=1)
    bid = serializers.IntegerField(min_value=1)
    rationale = serializers.CharField(max_length=5000, allow_blank=True)


class ConcludeSerializer(StrictFieldsMixin, serializers.Serializer):
    lot = serializers.IntegerField(min_value=1)
