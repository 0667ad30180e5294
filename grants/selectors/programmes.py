"""Reads of programmes, organisations and targets: one query per list, narrowed to what a user may see."""

from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum

from grants.models import (
    Organisation,
    Programme,
    ProgrammePriority,
)
from grants.permissions import (
    PROGRAMME_NOT_VISIBLE,
    Action,
    get_visible,
    has_permission,
    member_organisation_ids,
    provider_organisation_ids,
)


def scoped_to_provider(queryset: QuerySet, user, provider_field: str) -> QuerySet:
    """All of `queryset` for partnership staff; otherwise the rows whose `provider_field` is one of
    the user's own organisations (none for a user with no organisation)."""
    if has_permission(Action.PORTFOLIO_VIEW, user).allowed:
        return queryset
    org_ids = provider_organisation_ids(user)
    return queryset.filter(**{f"{provider_field}__in": org_ids}) if org_ids else queryset.none()


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Every programme for partnership staff; a provider's own organisations' otherwise."""
    return scoped_to_provider(Programme.objects.all(), user, "provider_id")


def programme_get_visible(*, user, pk, queryset: QuerySet[Programme] | None = None) -> Programme:
    """The programme, if the user may see it; NotFound (the same for a missing programme and
    another organisation's) otherwise. `queryset` (of programmes) says what to load with it."""
    programmes = Programme.objects.all() if queryset is None else queryset
    return get_visible(
        programmes, user=user, pk=pk, action=Action.PROGRAMME_VIEW, missing=PROGRAMME_NOT_VISIBLE
    )


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if has_permission(Action.PORTFOLIO_VIEW, user).allowed:
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=member_organisation_ids(user))


def programme_list(user) -> QuerySet[Programme]:
    """Programmes with what a list shows (provider, stream, primary priority) in one query each."""
    return (
        programmes_visible_to(user)
        .select_related("provider", "funding_stream")
        .prefetch_related(
            Prefetch(
                "programme_priorities",
                queryset=ProgrammePriority.objects.select_related("priority"),
            )
        )
    )


def programme_rows(user) -> QuerySet[Programme]:
    """Programmes for the programme list and its export: provider and stream joined, and the name
    of the primary priority (at most one, by constraint) as `primary_priority`, all in one query."""
    primary = ProgrammePriority.objects.filter(programme=OuterRef("pk"), is_primary=True).values(
        "priority__name"
    )
    return (
        programmes_visible_to(user)
        .select_related("provider", "funding_stream")
        .annotate(primary_priority=Subquery(primary[:1]))
    )


def programme_detail(user) -> QuerySet[Programme]:
    return (
        programme_list(user)
        .select_related("funding_stream__funder", "evidence_grade")
        .prefetch_related("themes", "wards", "targets__measure")
    )


def total_award(programmes: QuerySet[Programme]) -> Decimal:
    return programmes.aggregate(total=Sum("award_amount"))["total"] or Decimal("0")


def targets_by_year(programme: Programme) -> list[dict]:
    """A programme's targets grouped by financial year and measure, quarters side by side."""
    table: dict[tuple[str, int], dict] = {}
    for target in programme.targets.all():
        key = (target.financial_year, target.measure_id)
        row = table.setdefault(
            key,
            {
                "financial_year": target.financial_year,
                "measure": target.measure,
                "quarters": {1: None, 2: None, 3: None, 4: None},
                "total": Decimal("0"),
                "tariff": target.tariff,
            },
        )
        row["quarters"][target.quarter] = target.target_value
        row["total"] += target.target_value
    rows = sorted(table.values(), key=lambda r: (r["financial_year"], r["measure"].name))
    for row in rows:
        row["quarter_values"] = [row["quarters"][q] for q in (1, 2, 3, 4)]
    return rows
