"""Serializers for the core API: the outcome framework, programmes and outcome returns.

Serializers validate shape and types; services decide everything else.
"""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from api.money_serializers import BudgetFiguresSerializer
from grants.models import FundingStream, Organisation, OutcomeReturn, Programme, ProgrammeTarget
from outcomes.models import Indicator, IndicatorYear, OutcomeMeasure, Priority, Theme
from outcomes.periods import QUARTER_CHOICES


class PrioritySerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.version", read_only=True)

    class Meta:
        model = Priority
        fields = ["id", "name", "slug", "order", "description", "plan"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name", "slug", "description"]


class IndicatorYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorYear
        fields = ["financial_year", "baseline", "target", "actual", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    years = IndicatorYearSerializer(many=True, read_only=True)
    priorities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "title", "unit", "polarity", "frequency", "tolerance", "priorities", "years"]


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeMeasure
        fields = [
            "id",
            "code",
            "name",
            "description",
            "unit",
            "polarity",
            "allows_negative",
            "theme",
            "indicator",
            "unit_cost",
            "unit_cost_source",
            "unit_cost_price_year",
            "deadweight",
            "attribution",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "org_id", "org_type", "description", "website"]


class FundingStreamSerializer(serializers.ModelSerializer):
    figures = BudgetFiguresSerializer(
        read_only=True,
        allow_null=True,
        help_text="Budget against awards, spend and payments; for partnership staff (null for providers).",
    )

    class Meta:
        model = FundingStream
        fields = ["id", "name", "code", "funder", "financial_year", "budget", "description", "figures"]


class TargetSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    financial_year = FinancialYearField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    tariff = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )

    class Meta:
        model = ProgrammeTarget
        fields = ["id", "measure", "financial_year", "quarter", "target_value", "tariff"]
        validators: list = []  # uniqueness is the service's: it updates the existing target


class TargetUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    tariff = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class ProgrammePrioritySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="priority_id")
    name = serializers.CharField(source="priority.name")
    is_primary = serializers.BooleanField()


class ProgrammeSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    priorities = ProgrammePrioritySerializer(source="programme_priorities", many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "provider",
            "provider_name",
            "funding_stream",
            "award_amount",
            "start_date",
            "end_date",
            "status",
            "commissioning_model",
            "service_fee",
            "evidence_grade",
            "attribution",
            "priorities",
            "themes",
            "wards",
        ]
        read_only_fields = fields


class ProgrammeDetailSerializer(ProgrammeSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "targets"]
        read_only_fields = fields


class ProgrammeWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """Create or change a programme; `priorities` lists every priority served, `primary_priority`
    names the one it mainly serves (it is added to `priorities` if missing)."""

    priorities = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Priority.objects.all(), required=False
    )
    primary_priority = serializers.PrimaryKeyRelatedField(queryset=Priority.objects.all())
    themes = serializers.PrimaryKeyRelatedField(many=True, queryset=Theme.objects.all(), required=False)

    class Meta:
        model = Programme
        fields = [
            "reference",
            "title",
            "description",
            "provider",
            "funding_stream",
            "award_amount",
            "start_date",
            "end_date",
            "status",
            "commissioning_model",
            "service_fee",
            "evidence_grade",
            "attribution",
            "priorities",
            "primary_priority",
            "themes",
            "wards",
        ]
        extra_kwargs = {"wards": {"required": False}}


# Declared field by field rather than as a ModelSerializer: it is built for every response, and
# deriving the fields from the model each time cost more than the rest of a submission's Python.
class ReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme = serializers.IntegerField(source="programme_id", read_only=True)
    measure = serializers.IntegerField(source="measure_id", read_only=True)
    financial_year = serializers.CharField(
        read_only=True, help_text=OutcomeReturn._meta.get_field("financial_year").help_text
    )
    quarter = serializers.ChoiceField(choices=QUARTER_CHOICES, read_only=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    spend = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=OutcomeReturn.Status.choices, read_only=True)
    revision = serializers.IntegerField(read_only=True)
    late = serializers.BooleanField(source="is_late", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    query_reason = serializers.CharField(read_only=True)


class ReturnCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1)
    measure = serializers.IntegerField(min_value=1)
    financial_year = FinancialYearField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    spend = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ReturnAmendSerializer(StrictFieldsMixin, serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    spend = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReturnQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReturnBulkErrorSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False, help_text="Set instead when the body is not valid JSON.")
    errors = serializers.DictField(
        child=serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        required=False,
        help_text="Errors keyed by item index in the request list (absent when the body is not a list).",
    )


class ReturnRevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    status = serializers.CharField()
    value = serializers.CharField()
    spend = serializers.CharField(allow_null=True)
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changes = serializers.DictField(help_text="Field name → {from, to}.")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
