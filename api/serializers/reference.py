"""Serializers for the reference data: the outcome framework, organisations, funding streams."""

from rest_framework import serializers

from api.serializers.payments import BudgetFiguresSerializer
from grants.models import FundingStream, Organisation
from outcomes.models import Indicator, IndicatorYear, OutcomeMeasure, Priority, Theme


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
            "kind",
            "high_value_factor",
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
