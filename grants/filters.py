"""The programme list's filters and sort order for the web page and its spreadsheet export
(django-filter): priority, provider, funding stream, ward, status, theme and a free-text search
over reference, title and provider, each narrowed to what the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from grants.models import FundingStream, Organisation, Programme
from grants.selectors import organisations_visible_to
from outcomes.models import Priority, Theme, Ward

SORTS = (
    ("reference", "reference"),
    ("title", "title"),
    ("provider__name", "provider"),
    ("funding_stream__name", "stream"),
    ("award_amount", "award"),
    ("status", "status"),
    ("start_date", "start"),
    ("end_date", "end"),
)
SORT_LABELS = {  # in the list's column order: the title first, the column that stays in view
    "title": "Title",
    "reference": "Reference",
    "provider": "Provider",
    "stream": "Funding stream",
    "award": "Award",
    "status": "Status",
    "start": "Start date",
    "end": "End date",
}


class ListedChoices(django_filters.fields.ModelChoiceIterator):
    """A choice list read with one plain query. Django's own iterator reads it through
    QuerySet.iterator(), which on PostgreSQL opens a server-side cursor (declare, fetch, close:
    round trips and a cursor held to the end of the transaction) that a list of a few dozen names
    does not need; five of them were a good part of the programme list's time."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ProgrammeListFilter(django_filters.FilterSet):
    """`?q=&priority=&provider=&stream=&ward=&theme=&status=&sort=` (sort: a column, "-" first for
    descending). A value that is not one of the choices is an error shown beside its filter."""

    q = django_filters.CharFilter(method="search", label="Search", help_text="Reference, title or provider")
    priority = django_filters.ModelChoiceFilter(
        field_name="programme_priorities__priority", queryset=Priority.objects.none(), label="Priority",
        empty_label="Any priority", distinct=True,
    )  # fmt: skip
    provider = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label="Provider", empty_label="Any provider"
    )
    stream = django_filters.ModelChoiceFilter(
        field_name="funding_stream", queryset=FundingStream.objects.none(), label="Funding stream",
        empty_label="Any stream",
    )  # fmt: skip
    ward = django_filters.ModelChoiceFilter(
        field_name="wards", queryset=Ward.objects.none(), label="Ward", empty_label="Any ward", distinct=True
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.none(), label="Theme", empty_label="Any theme",
        distinct=True,
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        choices=Programme.Status.choices, label="Status", empty_label="Any status"
    )
    sort = django_filters.OrderingFilter(fields=SORTS, label="Sort by")

    class Meta:
        model = Programme
        fields = ["q", "priority", "provider", "stream", "ward", "theme", "status"]

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        fields = self.form.fields
        for name in ("priority", "provider", "stream", "ward", "theme"):
            fields[name].iterator = ListedChoices  # before the queryset: setting it makes the choices
        fields["priority"].queryset = (  # those programmes serve: the old plan's too, if any do
            Priority.objects.filter(programme_priorities__isnull=False)
            .distinct()
            .order_by("-plan__is_current", "plan__first_year", "order")
        )
        fields["provider"].queryset = (
            organisations_visible_to(user).filter(programmes__isnull=False).distinct().order_by("name")
        )
        fields["stream"].queryset = FundingStream.objects.order_by("-financial_year", "name")
        fields["ward"].queryset = Ward.objects.order_by("name")
        fields["theme"].queryset = Theme.objects.order_by("name")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(reference__icontains=word) | Q(title__icontains=word) | Q(provider__name__icontains=word)
            )
        return queryset

    @property
    def active(self) -> bool:
        """Whether any filter (not the sort) narrows the list."""
        return any(self.data.get(name) for name in self.Meta.fields)
