"""Serializers for impact reports (read: the same figures as the page and the PDF) and cohort data
(write: rows keyed to enrolled participants; identifiers are pseudonymised and never echoed)."""

from rest_framework import serializers

from api.fields import StrictFieldsMixin
from commissioning.impact.models import OUTCOME_CHOICES


class ImpactCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="null when under 5 (suppressed).")
    text = serializers.CharField()


class ImpactBalanceSerializer(serializers.Serializer):
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()
    flagged_before = serializers.BooleanField()
    flagged_after = serializers.BooleanField()


class ImpactReportSerializer(serializers.Serializer):
    """ReportView.to_dict(): every figure as the page and the PDF show it."""

    report_id = serializers.IntegerField()
    title = serializers.CharField()
    programme_reference = serializers.CharField()
    programme_title = serializers.CharField()
    measure_name = serializers.CharField()
    outcome = serializers.CharField()
    pool_name = serializers.CharField()
    status = serializers.CharField()
    synthetic = serializers.BooleanField()
    method = serializers.CharField()
    with_replacement = serializers.BooleanField()
    covariates = serializers.ListField(child=serializers.CharField())
    funnel = ImpactCountSerializer(many=True)
    balance = ImpactBalanceSerializer(many=True)
    balance_flagged = serializers.IntegerField()
    has_estimate = serializers.BooleanField()
    refusal = serializers.CharField()
    cohort_outcome = serializers.CharField()
    comparison_outcome = serializers.CharField()
    difference = serializers.CharField()
    interval = serializers.CharField()
    p_value = serializers.CharField()
    headline = serializers.CharField()
    can_say = serializers.ListField(child=serializers.CharField())
    cannot_say = serializers.ListField(child=serializers.CharField())
    suppression_note = serializers.CharField()


class ImpactCohortCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    outcome_kind = serializers.ChoiceField(choices=OUTCOME_CHOICES)
    rows = serializers.ListField(
        child=serializers.DictField(),
        min_length=1,
        max_length=20000,
        help_text="One object per participant: participant_reference (or ni_number, or date_of_birth with "
        "surname and forename), age, gender, prior_offences, days_since_last_offence, offence_group, "
        "employed, outcome (null while the follow-up is not complete). Errors come back by row index.",
    )


class ImpactCohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = serializers.IntegerField(source="programme_id")
    outcome_kind = serializers.CharField()
    rows_submitted = serializers.IntegerField()
    rows_not_found = serializers.IntegerField()
    created_at = serializers.DateTimeField()
