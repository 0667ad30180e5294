"""Serializer fields shared across the API."""

from rest_framework import serializers

from outcomes.periods import PeriodError, validate_financial_year


class FinancialYearField(serializers.CharField):
    """A UK financial year written "2009/10"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", 'UK financial year, April to March, written "2009/10".')
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return validate_financial_year(value)
        except PeriodError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class StrictFieldsMixin:
    """Reject fields the serializer does not know, instead of silently ignoring them. Unknown
    fields are reported together with every other field's errors, so one answer lists all fixes."""

    unknown_field_message = "Unknown field; check the spelling against the API documentation."

    def to_internal_value(self, data):
        unknown: list[str] = []
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - known)
        errors = {name: [self.unknown_field_message] for name in unknown}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not unknown or not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError({**exc.detail, **errors}) from exc
        if errors:
            raise serializers.ValidationError(errors)
        return value
