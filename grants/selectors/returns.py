"""Reads of outcome returns: what a user may see, the slots owed or made, the quarters owed,
the verification queue."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery

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
from outcomes.periods import Quarter

# A slot is owed when its quarter has ended and no return has been made for it yet.
OWED_STATES = ("due", "late")


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


@dataclass(frozen=True)
class OwedQuarter:
    """A quarter for which a user's programmes owe returns: its deadline, whether that has passed
    (late) or not (due), and each return slot owed (a target with no return)."""

    quarter: Quarter
    deadline: date
    state: str
    slots: list[dict]

    @property
    def count(self) -> int:
        return len(self.slots)

    @property
    def programme_count(self) -> int:
        return len({s["target"].programme_id for s in self.slots})


def owed_quarters(user, *, today, window_days: int, slots: list[dict] | None = None) -> list[OwedQuarter]:
    """The quarters in which the user's programmes owe returns, oldest (most overdue) first: the
    quarters offered as Excel templates and on the returns pages. A quarter under way is not owed
    yet; a quarter whose returns are all made (or queried, to amend) is not owed. `slots` reuses a
    return_slots() result already read."""
    if slots is None:
        slots = return_slots(user, today=today, window_days=window_days)
    by_quarter: dict[Quarter, list[dict]] = {}
    for slot in slots:
        if slot["state"] in OWED_STATES:
            by_quarter.setdefault(slot["quarter"], []).append(slot)
    owed = []
    for quarter, owed_slots in sorted(by_quarter.items()):
        owed_slots.sort(key=lambda s: (s["target"].programme.reference, s["target"].measure.name))
        deadline = owed_slots[0]["deadline"]
        owed.append(OwedQuarter(quarter, deadline, "late" if today > deadline else "due", owed_slots))
    return owed


def owed_quarter(user, quarter: Quarter, *, today, window_days: int) -> OwedQuarter | None:
    """The user's owed returns for one quarter, or None if that quarter owes nothing."""
    return next(
        (o for o in owed_quarters(user, today=today, window_days=window_days) if o.quarter == quarter), None
    )


def with_quarter_target(returns: QuerySet[OutcomeReturn]) -> QuerySet[OutcomeReturn]:
    """Each return annotated with `quarter_target`, its programme's target for the measure and
    quarter (None if there is none), in the same query; OutcomeReturn.far_above_target reads it
    (with the measure: select_related("measure") to keep a list at a fixed number of queries)."""
    target = ProgrammeTarget.objects.filter(
        programme_id=OuterRef("programme_id"),
        measure_id=OuterRef("measure_id"),
        financial_year=OuterRef("financial_year"),
        quarter=OuterRef("quarter"),
    ).values("target_value")[:1]
    return returns.annotate(quarter_target=Subquery(target))


def returns_awaiting_review(user) -> QuerySet[OutcomeReturn]:
    """Submitted returns, oldest first: the commissioners' verification queue. Each carries
    `quarter_target` and so `far_above_target` (a value far above it, to flag)."""
    return with_quarter_target(
        returns_visible_to(user)
        .filter(status=OutcomeReturn.Status.SUBMITTED)
        .select_related("programme__provider", "measure", "submitted_by")
        .order_by("submitted_at", "id")
    )
