"""Serializers for sampling audits of claims. Serializers validate shape; services decide."""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from api.filters import MAX_ID
from claims.models import AuditedClaim, ClaimAudit
from claims.services.audits import MAX_SEED

RATE = {"max_digits": 7, "decimal_places": 6, "read_only": True, "allow_null": True}
MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True, "allow_null": True}


class AuditedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    participant = serializers.CharField(source="claim.participant.reference", read_only=True)
    measure = serializers.IntegerField(source="claim.measure_id", read_only=True)
    achieved_on = serializers.DateField(source="claim.achieved_on", read_only=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    risk_note = serializers.CharField(read_only=True)
    result = serializers.ChoiceField(choices=AuditedClaim.Result.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    checked_by = serializers.CharField(source="checked_by.username", read_only=True, allow_null=True)
    checked_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ClaimAuditSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme = serializers.IntegerField(source="programme_id", read_only=True)
    financial_year = serializers.CharField(read_only=True)
    quarter = serializers.IntegerField(read_only=True)
    method = serializers.ChoiceField(choices=ClaimAudit.Method.choices, read_only=True)
    risk = serializers.CharField(read_only=True, help_text='For a risk-based sample, its risk; else "".')
    requested_size = serializers.IntegerField(read_only=True, allow_null=True)
    requested_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    seed = serializers.IntegerField(
        read_only=True, help_text="Draw again with this seed for the same sample."
    )
    population_count = serializers.IntegerField(read_only=True)
    population_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    status = serializers.ChoiceField(choices=ClaimAudit.Status.choices, read_only=True)
    drawn_by = serializers.CharField(source="drawn_by.username", read_only=True)
    drawn_at = serializers.DateTimeField(read_only=True)
    concluded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    error_rate = serializers.DecimalField(**RATE, help_text="Invalid value ÷ sampled value (0 to 1).")
    ci_low = serializers.DecimalField(
        **RATE, help_text="95% confidence interval, lower end (random samples)."
    )
    ci_high = serializers.DecimalField(
        **RATE, help_text="95% confidence interval, upper end (random samples)."
    )
    recovery = serializers.DecimalField(**MONEY, help_text="Error rate × the population's value, GBP.")
    recovery_low = serializers.DecimalField(**MONEY)
    recovery_high = serializers.DecimalField(**MONEY)
    invalid_value = serializers.DecimalField(
        **MONEY, help_text="The invalid sampled claims' value (rejected)."
    )
    clawback_amount = serializers.DecimalField(**MONEY, help_text="Recovery less the unpaid rejected claims.")
    clawback = serializers.IntegerField(
        source="clawback_id",
        read_only=True,
        allow_null=True,
        help_text="The clawback payment's id, once posted.",
    )


class ClaimAuditDetailSerializer(ClaimAuditSerializer):
    items = AuditedClaimSerializer(many=True, read_only=True, source="sampled")


class ClaimAuditCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    financial_year = FinancialYearField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    method = serializers.ChoiceField(choices=ClaimAudit.Method.choices)
    risk = serializers.ChoiceField(choices=ClaimAudit.Risk.choices, required=False, default="")
    size = serializers.IntegerField(
        min_value=1, max_value=1_000_000, required=False, allow_null=True, default=None
    )
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )
    seed = serializers.IntegerField(
        min_value=0,
        max_value=MAX_SEED,
        required=False,
        allow_null=True,
        default=None,
        help_text="Give the seed of an earlier audit to draw the same sample again; omitted, one is chosen.",
    )


class AuditMarkSerializer(StrictFieldsMixin, serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The sampled claim's item id.")
    valid = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
