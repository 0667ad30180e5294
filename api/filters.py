"""Every django-filter filterset of the API: programmes, returns, payments."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from commissioning.models import ReviewRound
from grants.models import OutcomeReturn, Payment, Programme
from outcomes.periods import FinancialYear, PeriodError


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number (0.5 or 1e3 is an error, not silently something else)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        # Ids are positive 64-bit integers: a larger number is a 400, not a database overflow (500).
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class _GivenChoiceField(forms.ChoiceField):
    """A choice that, once given, must be one of the choices: `?status=` is a 400, as the schema's
    enum says, not a silent "no filter" (an absent parameter arrives as None and still means none)."""

    def clean(self, value):
        if value == "":
            choices = ", ".join(str(key) for key, _ in self.choices if key != "")
            raise ValidationError(f"Choose one of: {choices}.", code="invalid_choice")
        return super().clean(value)


class ChoiceFilter(django_filters.ChoiceFilter):
    field_class = _GivenChoiceField


def _financial_year(value: str) -> FinancialYear:
    try:
        return FinancialYear.parse(value)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from exc


class ProgrammeFilter(django_filters.FilterSet):
    priority = IdFilter(field_name="programme_priorities__priority", distinct=True)
    theme = IdFilter(field_name="themes", distinct=True)
    measure = IdFilter(field_name="targets__measure", distinct=True)
    funding_stream = IdFilter()
    provider = IdFilter()
    status = ChoiceFilter(choices=Programme.Status.choices)
    financial_year = django_filters.CharFilter(
        method="active_in", help_text='Programmes running at any time in this financial year, e.g. "2009/10".'
    )

    class Meta:
        model = Programme
        fields = ["priority", "theme", "measure", "funding_stream", "provider", "status", "financial_year"]

    def active_in(self, queryset, name, value):
        fy = _financial_year(value)
        return queryset.filter(start_date__lte=fy.end, end_date__gte=fy.start)


class ReturnFilter(django_filters.FilterSet):
    provider = IdFilter(field_name="programme__provider")
    programme = IdFilter()
    measure = IdFilter()
    status = ChoiceFilter(choices=OutcomeReturn.Status.choices)
    quarter = django_filters.NumberFilter(min_value=1, max_value=4)
    financial_year = django_filters.CharFilter(method="in_year", help_text='e.g. "2009/10".')

    class Meta:
        model = OutcomeReturn
        fields = ["programme", "measure", "financial_year", "quarter", "status", "provider"]

    def in_year(self, queryset, name, value):
        return queryset.filter(financial_year=_financial_year(value).label)


MAX_ID = 2**31 - 1  # a larger id cannot exist, and SQLite cannot even compare it


class PaymentFilter(django_filters.FilterSet):
    programme = IdFilter(min_value=1, max_value=MAX_ID)
    provider = IdFilter(field_name="programme__provider", min_value=1, max_value=MAX_ID)
    quarter = django_filters.NumberFilter(min_value=1, max_value=4)
    financial_year = django_filters.CharFilter(method="in_year", help_text='e.g. "2009/10".')
    kind = ChoiceFilter(choices=Payment.Kind.choices)

    class Meta:
        model = Payment
        fields = ["programme", "provider", "financial_year", "quarter", "kind"]

    def in_year(self, queryset, name, value):
        return queryset.filter(financial_year=_financial_year(value).label)


class ReviewRoundFilter(django_filters.FilterSet):
    status = ChoiceFilter(choices=ReviewRound.Status.choices)

    class Meta:
        model = ReviewRound
        fields = ["status"]
