"""Every django-filter filterset of the API: programmes, returns, payments."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from claims.models import Claim
from commissioning.models import ReviewRound
from grants.models import FundingStream, OutcomeReturn, Payment, Programme
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


class _FinancialYearField(forms.CharField):
    """A financial year written "2009/10", parsed when the filter form is validated, so a bad one is
    an error on its own parameter."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return FinancialYear.parse(value)
        except PeriodError as exc:
            # The message quotes what was sent; django-filter %-formats messages, so escape any %.
            raise ValidationError(str(exc).replace("%", "%%"), code="financial_year") from exc


class FinancialYearFilter(django_filters.CharFilter):
    """Rows of one financial year (`financial_year` equal to its label)."""

    field_class = _FinancialYearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", 'e.g. "2009/10".')
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs if value is None else qs.filter(**{self.field_name: value.label})


class ActiveInYearFilter(FinancialYearFilter):
    """Programmes (or anything with start and end dates) running at any time in the year."""

    def filter(self, qs, value):
        return qs if value is None else qs.filter(start_date__lte=value.end, end_date__gte=value.start)


class ProgrammeFilter(django_filters.FilterSet):
    priority = IdFilter(field_name="programme_priorities__priority", distinct=True)
    theme = IdFilter(field_name="themes", distinct=True)
    measure = IdFilter(field_name="targets__measure", distinct=True)
    funding_stream = IdFilter()
    provider = IdFilter()
    status = ChoiceFilter(choices=Programme.Status.choices)
    financial_year = ActiveInYearFilter(
        help_text='Programmes running at any time in this financial year, e.g. "2009/10".'
    )

    class Meta:
        model = Programme
        fields = ["priority", "theme", "measure", "funding_stream", "provider", "status", "financial_year"]


class FundingStreamFilter(django_filters.FilterSet):
    financial_year = FinancialYearFilter()
    funder = IdFilter(help_text="The funding organisation's id.")

    class Meta:
        model = FundingStream
        fields = ["financial_year", "funder"]


class ReturnFilter(django_filters.FilterSet):
    provider = IdFilter(field_name="programme__provider")
    programme = IdFilter()
    measure = IdFilter()
    status = ChoiceFilter(choices=OutcomeReturn.Status.choices)
    quarter = django_filters.NumberFilter(min_value=1, max_value=4)
    financial_year = FinancialYearFilter()

    class Meta:
        model = OutcomeReturn
        fields = ["programme", "measure", "financial_year", "quarter", "status", "provider"]


MAX_ID = 2**31 - 1  # a larger id cannot exist, and SQLite cannot even compare it


class PaymentFilter(django_filters.FilterSet):
    programme = IdFilter(min_value=1, max_value=MAX_ID)
    provider = IdFilter(field_name="programme__provider", min_value=1, max_value=MAX_ID)
    quarter = django_filters.NumberFilter(min_value=1, max_value=4)
    financial_year = FinancialYearFilter()
    kind = ChoiceFilter(choices=Payment.Kind.choices)

    class Meta:
        model = Payment
        fields = ["programme", "provider", "financial_year", "quarter", "kind"]


class ReviewRoundFilter(django_filters.FilterSet):
    status = ChoiceFilter(choices=ReviewRound.Status.choices)

    class Meta:
        model = ReviewRound
        fields = ["status"]


class ClaimFilter(django_filters.FilterSet):
    programme = IdFilter(min_value=1, max_value=MAX_ID)
    provider = IdFilter(field_name="programme__provider", min_value=1, max_value=MAX_ID)
    measure = IdFilter(min_value=1, max_value=MAX_ID)
    participant = django_filters.CharFilter(field_name="participant__reference")
    status = ChoiceFilter(choices=Claim.Status.choices)

    class Meta:
        model = Claim
        fields = ["programme", "provider", "measure", "participant", "status"]
