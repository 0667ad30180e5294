"""Reads of outcome returns: what a user may see, the slots owed or made, the verification queue."""

from django.db.models import QuerySet

from grants.models import (
    OutcomeReturn,
    ProgrammeTarget,
)
from grants.permissions import (
    RETURN_NOT_VISIBLE,
    Action,
    get_visible,
)
from grants.selectors.programmes import programmes_visible_to, scoped_to_provider


def returns_visible_to(user) -> QuerySet[OutcomeReturn]:
    return scoped_to_provider(OutcomeReturn.objects.all(), user, "programme__provider_id")


def return_get_visible(*, user, pk, queryset: QuerySet[OutcomeReturn] | None = None) -> OutcomeReturn:
    """The return (with its programme), if the user may see it; NotFound otherwise."""
    returns = OutcomeReturn.objects.all() if queryset is None else queryset
    return get_visible(
        returns.select_related("programme"),
        user=user,
        pk=pk,
        action=Action.RETURN_VIEW,
        missing=RETURN_NOT_VISIBLE,
    )


def return_slots(user, *, today, window_days: int, programme_ids=None) -> list[dict]:
    """Every return a user's programmes owe, newest quarter first: one per target whose quarter
    has started, with its return (if any) and its state: not due yet, due, late, submitted,
    queried or verified. One query for targets, one for returns."""
    from datetime import timedelta

    from outcomes.periods import Quarter

    targets = ProgrammeTarget.objects.filter(programme__in=programmes_visible_to(user)).select_related(
        "programme__provider", "measure"
    )
    if programme_ids is not None:
        targets = targets.filter(programme_id__in=programme_ids)
    returns = {
        (r.programme_id, r.measure_id, r.financial_year, r.quarter): r
        for r in returns_visible_to(user).filter(programme__in=targets.values("programme_id"))
    }
    slots = []
    for target in targets:
        quarter = Quarter.of(target.financial_year, target.quarter)
        if quarter.start > today:
            continue
        deadline = quarter.end + timedelta(days=window_days)
        existing = returns.get(
            (target.programme_id, target.measure_id, target.financial_year, target.quarter)
        )
        if existing is not None:
            state = existing.status
        elif today <= quarter.end:
            state = "open"
        else:
            state = "late" if today > deadline else "due"
        slots.append(
            {"target": target, "quarter": quarter, "deadline": deadline, "return": existing, "state": state}
        )
    slots.sort(key=lambda s: (s["quarter"], s["target"].programme.reference, s["target"].measure.name))
    slots.reverse()
    return slots


def returns_awaiting_review(user) -> QuerySet[OutcomeReturn]:
    """Submitted returns, oldest first: the commissioners' verification queue."""
    return (
        returns_visible_to(user)
        .filter(status=OutcomeReturn.Status.SUBMITTED)
        .select_related("programme__provider", "measure", "submitted_by")
        .order_by("submitted_at", "id")
    )
