"""Serializers for indicator tracking (GET /api/indicators/{id}/tracking/): output only."""

from rest_framework import serializers


class RagStatusSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["green", "amber", "red", "grey"])
    label = serializers.CharField()


class IndicatorTrackingYearSerializer(serializers.Serializer):
    financial_year = serializers.CharField(source="year.financial_year")
    baseline = serializers.DecimalField(
        max_digits=14, decimal_places=3, source="year.baseline", allow_null=True
    )
    target = serializers.DecimalField(max_digits=14, decimal_places=3, source="year.target", allow_null=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=3, source="year.actual", allow_null=True)
    note = serializers.CharField(source="year.note")
    gap = serializers.DecimalField(
        max_digits=15,
        decimal_places=3,
        allow_null=True,
        help_text="How far the actual is better (+) or worse (-) than the target, per the polarity.",
    )
    status = RagStatusSerializer()


class ContributionSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.id")
    programme_reference = serializers.CharField(source="programme.reference")
    programme_title = serializers.CharField(source="programme.title")
    provider = serializers.CharField(source="programme.provider.name")
    measure = serializers.IntegerField(source="measure.id")
    measure_name = serializers.CharField(source="measure.name")
    target = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="All years' targets.")
    returned = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Submitted and verified returns (not queried)."
    )
    verified = serializers.DecimalField(max_digits=16, decimal_places=2)
    achieved = serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, help_text="Returned as a share of target."
    )


class IndicatorTrackingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    polarity = serializers.CharField()
    tolerance = serializers.DecimalField(max_digits=6, decimal_places=3)
    latest_year = serializers.CharField(allow_null=True)
    latest_status = RagStatusSerializer()
    years = IndicatorTrackingYearSerializer(many=True)
    contributions = ContributionSerializer(many=True)
