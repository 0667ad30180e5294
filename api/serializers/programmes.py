"""Serializers for programmes and their targets. Serializers validate shape; services decide."""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from grants.models import Programme, ProgrammeTarget
from outcomes.models import Priority, Theme


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
