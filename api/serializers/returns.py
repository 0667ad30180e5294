"""Serializers for outcome returns. Serializers validate shape; services decide."""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from grants.models import OutcomeReturn
from outcomes.periods import QUARTER_CHOICES


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
    quarter_target = serializers.DecimalField(
        source="get_quarter_target",
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="The programme's target for this measure and quarter (null if it has none).",
    )
    far_above_target = serializers.BooleanField(
        read_only=True,
        help_text="The value is more than the measure's high value factor times the quarter's target.",
    )
    high_value_confirmed = serializers.BooleanField(
        read_only=True, help_text="The provider confirmed a value far above the quarter's target."
    )


CONFIRM_HIGH_VALUE_HELP = (
    "Set to true to confirm a value more than the measure's high value factor (e.g. 10×) times the "
    "quarter's target; without it such a value is refused with a 400 on `value`."
)


class ReturnCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1)
    measure = serializers.IntegerField(min_value=1)
    financial_year = FinancialYearField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    spend = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    confirm_high_value = serializers.BooleanField(
        required=False, default=False, help_text=CONFIRM_HIGH_VALUE_HELP
    )


class ReturnAmendSerializer(StrictFieldsMixin, serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    spend = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    confirm_high_value = serializers.BooleanField(
        required=False, default=False, help_text=CONFIRM_HIGH_VALUE_HELP
    )


class ReturnQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReturnReopenSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the verified return is reopened.")


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
    reason = serializers.CharField(
        help_text='Why, where recorded: "Reopened" when a commissioner reopened it.'
    )
    changes = serializers.DictField(help_text="Field name → {from, to}.")


class OwedReturnSerializer(serializers.Serializer):
    """One return owed: the target it answers."""

    programme = serializers.IntegerField(source="target.programme_id")
    programme_reference = serializers.CharField(source="target.programme.reference")
    measure = serializers.IntegerField(source="target.measure_id")
    measure_code = serializers.CharField(source="target.measure.code")
    measure_name = serializers.CharField(source="target.measure.name")
    unit = serializers.CharField(source="target.measure.unit")
    target = serializers.DecimalField(source="target.target_value", max_digits=14, decimal_places=2)


class OwedQuarterSerializer(serializers.Serializer):
    """A quarter whose returns are owed (grants.selectors.owed_quarters): ended, with returns still
    to make; due until its deadline, late after it."""

    financial_year = serializers.CharField(source="quarter.financial_year.label")
    quarter = serializers.IntegerField(source="quarter.number")
    deadline = serializers.DateField(help_text="The last day a return for the quarter is on time.")
    state = serializers.ChoiceField(choices=["due", "late"])
    returns = OwedReturnSerializer(source="slots", many=True)
