"""Serializers for budgets and payments by results. They shape figures that grants.selectors and
grants.payments computed; grants.services decides whether a payment may be recorded."""

from rest_framework import serializers

from api.fields import FinancialYearField, StrictFieldsMixin
from grants.models import Payment


def _money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, **kwargs)


class BudgetFiguresSerializer(serializers.Serializer):
    budget = _money()
    awarded = _money(help_text="Awards of the stream's programmes that are not decommissioned.")
    available = _money(help_text="Budget − awarded (negative if the stream is over-committed).")
    spent = _money(help_text="Payments made to the stream's programmes, net of reversals.")
    spend_returned = _money(
        help_text="Spend providers returned (submitted or verified); a programme-quarter counts once."
    )
    percent_spent = serializers.DecimalField(
        max_digits=7, decimal_places=1, read_only=True, allow_null=True, help_text="Spent ÷ budget × 100."
    )
    percent_awarded = serializers.DecimalField(
        max_digits=7, decimal_places=1, read_only=True, allow_null=True, help_text="Awarded ÷ budget × 100."
    )
    over_committed = serializers.BooleanField(read_only=True)


class StreamProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="programme.pk")
    reference = serializers.CharField(source="programme.reference")
    title = serializers.CharField(source="programme.title")
    provider = serializers.IntegerField(source="programme.provider_id")
    provider_name = serializers.CharField(source="programme.provider.name")
    status = serializers.CharField(source="programme.status")
    commissioning_model = serializers.CharField(source="programme.commissioning_model")
    award_amount = _money(source="programme.award_amount")
    counted = serializers.BooleanField(help_text="False if decommissioned: not counted as awarded.")
    spent = _money(help_text="Payments made, net of reversals.")
    spend_returned = _money(help_text="Spend returned on its outcome returns.")


class StreamBudgetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="stream.pk")
    name = serializers.CharField(source="stream.name")
    code = serializers.CharField(source="stream.code")
    financial_year = serializers.CharField(source="stream.financial_year")
    funder = serializers.IntegerField(source="stream.funder_id")
    figures = BudgetFiguresSerializer(source="line")
    programmes = StreamProgrammeSerializer(many=True)


class OutcomeLineSerializer(serializers.Serializer):
    measure = serializers.IntegerField(source="measure_id")
    measure_name = serializers.CharField()
    verified_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    tariff = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    amount = _money(help_text="Verified value × tariff (0 if negative or unpriced).")


class QuarterDueSerializer(serializers.Serializer):
    financial_year = serializers.CharField()
    quarter = serializers.IntegerField(source="number")
    started = serializers.BooleanField(help_text="A quarter can be paid once it has started.")
    fee_share = _money(help_text="The quarter's share of the service fee.")
    outcome_payment = _money(help_text="Verified outcomes × tariff.")
    capped = _money(help_text="Outcome payments cut so that they do not exceed award − service fee.")
    due = _money(help_text="fee_share + outcome_payment − capped.")
    paid = _money()
    outstanding = _money(help_text="due − paid.")
    outcomes = OutcomeLineSerializer(source="lines", many=True)


class ScheduleTotalsSerializer(serializers.Serializer):
    total_due = _money(help_text="Due over every quarter, started or not.")
    due_to_date = _money(help_text="Due in the quarters started so far.")
    paid = _money()
    outstanding = _money(help_text="due_to_date − paid.")
    capped = _money()


# The programme a schedule belongs to; a subclass lists these fields first. (No docstring: it
# would become the subclasses' description in the OpenAPI schema.)
class _ProgrammeHeadSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    reference = serializers.CharField(source="programme.reference")
    title = serializers.CharField(source="programme.title")
    provider = serializers.IntegerField(source="programme.provider_id")
    provider_name = serializers.CharField(source="programme.provider.name")


class ProgrammePaymentsSerializer(_ProgrammeHeadSerializer):
    commissioning_model = serializers.CharField(source="programme.commissioning_model")
    payment_by_results = serializers.BooleanField(help_text="False: no schedule (quarters is empty).")
    award_amount = _money(source="programme.award_amount")
    service_fee = _money(source="programme.service_fee")
    totals = ScheduleTotalsSerializer(source="schedule", allow_null=True, help_text="null if not PbR.")
    quarters = QuarterDueSerializer(many=True)


class PbrSummarySerializer(_ProgrammeHeadSerializer):
    status = serializers.CharField(source="programme.status")
    award_amount = _money(source="programme.award_amount")
    service_fee = _money(source="programme.service_fee")
    totals = ScheduleTotalsSerializer(source="schedule")


class PaymentSerializer(serializers.ModelSerializer):
    programme_reference = serializers.CharField(source="programme.reference", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.get_username", read_only=True)
    kind = serializers.ChoiceField(
        choices=Payment.Kind.choices,
        read_only=True,
        help_text=(
            '"payment"; "reversal": a correction that cancels the payment in `reverses`; or '
            '"clawback": money recovered after an audit of claims (negative, with the reason).'
        ),
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="GBP: more than 0 for a payment; a reversal's is minus the amount it reverses.",
    )
    reverses = serializers.IntegerField(
        source="reverses_id",
        read_only=True,
        allow_null=True,
        help_text="For a reversal: the id of the payment it reverses; null for a payment.",
    )
    reversed_by = serializers.IntegerField(
        source="reversal.pk",
        read_only=True,
        allow_null=True,
        help_text="For a payment that has been reversed: the id of its reversal; otherwise null.",
    )
    reason = serializers.CharField(read_only=True, help_text='For a reversal: why; "" for a payment.')

    class Meta:
        model = Payment
        fields = [
            "id",
            "kind",
            "programme",
            "programme_reference",
            "financial_year",
            "quarter",
            "amount",
            "paid_on",
            "reference",
            "reverses",
            "reversed_by",
            "reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class PaymentCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    programme = serializers.IntegerField(min_value=1)
    financial_year = FinancialYearField(help_text='The quarter paid for: its financial year, e.g. "2009/10".')
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="GBP, more than 0.")
    paid_on = serializers.DateField(help_text="The date the money was paid; not in the future.")
    reference = serializers.CharField(
        max_length=60, required=False, default="", allow_blank=True, help_text="Remittance reference."
    )


class PaymentReverseSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        help_text="Why the payment is reversed (required; kept in the payment's history).",
    )
