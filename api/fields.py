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
    """Reject fields the serializer does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: ["Unknown field; check the spelling against the API documentation."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)
