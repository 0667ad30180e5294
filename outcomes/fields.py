"""Model fields shared by every app: money, financial years and quarters."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from outcomes.periods import QUARTER_CHOICES, PeriodError, validate_financial_year


def financial_year_validator(value: str) -> None:
    try:
        validate_financial_year(value)
    except PeriodError as exc:
        raise ValidationError(str(exc), code="financial_year") from exc


class MoneyField(models.DecimalField):
    """GBP, pence precision: never float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class FinancialYearField(models.CharField):
    """A UK financial year stored as its label, "2009/10" (sorts correctly as text)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("validators", [financial_year_validator])
        kwargs.setdefault("help_text", 'UK financial year, April to March, e.g. "2009/10".')
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs


class QuarterField(models.PositiveSmallIntegerField):
    """Quarter of a financial year, 1-4 (Q1 = April-June)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", QUARTER_CHOICES)
        kwargs.setdefault("validators", [MinValueValidator(1), MaxValueValidator(4)])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs


def fy_check(field: str, name: str) -> models.CheckConstraint:
    """Database check that a financial-year column looks like "2009/10"."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__regex": r"^[0-9]{4}/[0-9]{2}$"}), name=name
    )


def quarter_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gte": 1, f"{field}__lte": 4}), name=name)
