"""Reads for the role home pages: what needs doing, for a provider, a commissioner and a finance
officer. Each is a fixed number of queries however many programmes, returns or streams there are
(the tests assert the counts).

Definitions (the home pages say the same in their hints):

- A return slot is **due** once its quarter has ended, until its deadline (the quarter's end plus
  RETURN_WINDOW_DAYS), then **late**; during its quarter it is **open** (coming up).
- A programme is **off target** when, over the quarters it has returned (verified or submitted),
  one of its measures is short of the targets for those quarters by more than OFF_TARGET_MARGIN
  (for a lower-is-better measure: over them by more than the margin).
- A payment-by-results quarter's outstanding amount is **due** from the day the quarter starts and
  **overdue** PAYMENT_TERMS_DAYS after the quarter ends.
- A funding stream's budget is **near commitment** when its awards reach NEAR_COMMITMENT of it,
  **over** when they exceed it.
- The portfolio by priority counts each programme once, under its **primary** priority, so the
  priority totals add up to the total awarded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, Subquery, Sum, Value
from django.utils import timezone

from commissioning.models import ConflictOfInterest, Decision, ReportJob, ReviewRound, Score
from commissioning.selectors import round_programmes
from grants.models import FundingStream, OutcomeReturn, Programme, ProgrammePriority, ProgrammeTarget
from grants.payments import Schedule
from grants.selectors import (
    payment_schedules,
    pbr_programmes_visible_to,
    programmes_visible_to,
    return_slots,
    returns_awaiting_review,
    stream_budgets,
)
from outcomes.indicator_status import RED
from outcomes.models import Polarity
from outcomes.periods import FinancialYear, Quarter
from outcomes.selectors import current_plan

ZERO = Decimal("0")
OFF_TARGET_MARGIN = Decimal("0.10")
PAYMENT_TERMS_DAYS = 30
NEAR_COMMITMENT = Decimal("0.90")


def _window() -> int:
    return settings.YARDSTICK["RETURN_WINDOW_DAYS"]


# --- provider -------------------------------------------------------------------------------------


@dataclass
class ReturnTask:
    """One quarter's returns of one programme in one state (its measures together)."""

    quarter: Quarter
    state: str  # open, due, late or queried
    deadline: date
    measures: list[str] = field(default_factory=list)
    returns: list[OutcomeReturn] = field(default_factory=list)  # queried: the returns to amend


@dataclass
class PaymentTask:
    quarter: Quarter
    outstanding: Decimal


@dataclass
class ProgrammeTasks:
    programme: Programme
    returns: list[ReturnTask] = field(default_factory=list)
    payments: list[PaymentTask] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.returns) + len(self.payments)

    def in_state(self, state: str) -> list[ReturnTask]:
        return [t for t in self.returns if t.state == state]


STATE_ORDER = {"late": 0, "queried": 1, "due": 2, "open": 3}


def provider_home(user, *, today: date) -> list[ProgrammeTasks]:
    """Every programme the user's organisations deliver, by reference, each with its returns late,
    queried (with the reason), due and coming up (with their deadlines), and its
    payment-by-results quarters with money outstanding. Seven queries however many programmes (the
    programmes themselves without their priorities, which the page does not show)."""
    programmes = list(programmes_visible_to(user).order_by("reference"))
    by_programme = {p.pk: ProgrammeTasks(p) for p in programmes}
    tasks: dict[tuple, ReturnTask] = {}
    for slot in return_slots(user, today=today, window_days=_window()):
        state = slot["state"]
        if state not in STATE_ORDER:
            continue
        target = slot["target"]
        key = (target.programme_id, slot["quarter"], state)
        task = tasks.get(key)
        if task is None:
            task = tasks[key] = ReturnTask(slot["quarter"], state, slot["deadline"])
            by_programme[target.programme_id].returns.append(task)
        task.measures.append(target.measure.name)
        if slot["return"] is not None:
            task.returns.append(slot["return"])
    pbr = [p for p in programmes if p.commissioning_model == Programme.Model.PAYMENT_BY_RESULTS]
    schedules = payment_schedules(pbr, today=today)
    for programme in pbr:
        by_programme[programme.pk].payments = [
            PaymentTask(q.quarter, q.outstanding)
            for q in schedules[programme.pk].quarters
            if q.started and q.outstanding > 0
        ]
    for entry in by_programme.values():
        entry.returns.sort(key=lambda t: (STATE_ORDER[t.state], t.quarter))
        for task in entry.returns:
            task.measures.sort()
    return list(by_programme.values())


# --- commissioner ---------------------------------------------------------------------------------


@dataclass
class VerificationSummary:
    waiting: int
    late: int
    oldest: date | None
    programmes: int


@dataclass
class RoundTasks:
    review_round: ReviewRound
    programmes: int
    unscored: int  # programmes nobody has scored yet
    unscored_by_you: int  # programmes the user has neither scored nor declared a conflict on
    undecided: int  # programmes without a decision


@dataclass
class OffTarget:
    programme: Programme
    measure_name: str
    unit: str
    target: Decimal
    returned: Decimal
    polarity: str

    @property
    def achieved(self) -> Decimal | None:
        return (self.returned / self.target) if self.target else None


@dataclass
class PriorityShare:
    """One priority's programmes and award, each programme counted under its primary priority."""

    priority: object | None  # None: programmes whose primary priority is not in the current plan
    programmes: int
    award: Decimal


def verification_summary(user) -> VerificationSummary:
    """The verification queue in one query: how many returns wait, how many came in late, since
    when, and over how many programmes."""
    figures = (
        returns_awaiting_review(user)
        .order_by()
        .aggregate(
            waiting=Count("id"),
            late=Count("id", filter=Q(is_late=True)),
            oldest=Min("submitted_at"),
            programmes=Count("programme_id", distinct=True),
        )
    )
    oldest = figures["oldest"]
    return VerificationSummary(
        waiting=figures["waiting"],
        late=figures["late"],
        oldest=timezone.localtime(oldest).date() if oldest else None,
        programmes=figures["programmes"],
    )


def open_round_tasks(user) -> list[RoundTasks]:
    """Each round open for scoring with its programmes not yet scored (by anyone, and by the user:
    a declared conflict counts as done) and without a decision. Five queries per open round (a
    partnership has one or two open at a time): the round's programmes (three, as
    commissioning.selectors.round_programmes reads them) and who scored, declared a conflict on or
    decided which programme (one query, a union of plain id lists): the counts are set
    differences, which costs far less than building the same figures as one annotated aggregate."""
    rows = []
    for review_round in ReviewRound.objects.filter(status=ReviewRound.Status.OPEN).order_by("name"):
        programmes = set(round_programmes(review_round).order_by().values_list("pk", flat=True))
        scored: set[int] = set()
        done_by_user: set[int] = set()
        decided: set[int] = set()
        scores = (
            Score.objects.filter(review_round=review_round)
            .order_by()
            .annotate(kind=Value(_SCORED))
            .values_list("programme_id", "commissioner_id", "kind")
        )
        conflicts = (
            ConflictOfInterest.objects.filter(review_round=review_round, commissioner=user)
            .order_by()
            .annotate(kind=Value(_CONFLICT))
            .values_list("programme_id", "commissioner_id", "kind")
        )
        decisions = (
            Decision.objects.filter(review_round=review_round)
            .order_by()
            .annotate(person=Value(None, output_field=IntegerField()), kind=Value(_DECIDED))
            .values_list("programme_id", "person", "kind")
        )
        for programme_id, person_id, kind in scores.union(conflicts, decisions):
            if kind == _SCORED:
                scored.add(programme_id)
                if person_id == user.pk:
                    done_by_user.add(programme_id)
            elif kind == _CONFLICT:
                done_by_user.add(programme_id)
            else:
                decided.add(programme_id)
        rows.append(
            RoundTasks(
                review_round=review_round,
                programmes=len(programmes),
                unscored=len(programmes - scored),
                unscored_by_you=len(programmes - done_by_user),
                undecided=len(programmes - decided),
            )
        )
    return rows


_SCORED, _CONFLICT, _DECIDED = 1, 2, 3  # open_round_tasks: which list a row of its union came from


def off_target_programmes(user) -> list[OffTarget]:
    """Measures of programmes (visible to the user) off target over the quarters they have returned
    (see the module's definition), worst first: three queries, the last only for the rows off
    target."""
    visible = programmes_visible_to(user)
    counted = OutcomeReturn.objects.filter(programme__in=visible).exclude(status=OutcomeReturn.Status.QUERIED)
    # Summed in the database, one row per programme and measure: building a row per target of
    # every programme returned to was most of this page's time on a large portfolio.
    returned: dict[tuple[int, int], Decimal] = {
        (programme_id, measure_id): total
        for programme_id, measure_id, total in counted.order_by()
        .values("programme_id", "measure_id")
        .annotate(total=Sum("value"))
        .values_list("programme_id", "measure_id", "total")
    }
    if not returned:
        return []
    slot_returned = OutcomeReturn.objects.exclude(status=OutcomeReturn.Status.QUERIED).filter(
        programme_id=OuterRef("programme_id"),
        measure_id=OuterRef("measure_id"),
        financial_year=OuterRef("financial_year"),
        quarter=OuterRef("quarter"),
    )
    # The targets of the quarters returned, with what each row needs of its measure read in the
    # same query (not a model per measure: a portfolio can have hundreds).
    columns = ("programme_id", "measure_id", "measure__name", "measure__unit", "measure__polarity")
    target_sums = (
        ProgrammeTarget.objects.filter(programme_id__in={k[0] for k in returned})
        .filter(Exists(slot_returned))
        .order_by()
        .values(*columns)
        .annotate(total=Sum("target_value"))
        .values_list(*columns, "total")
    )
    off = []
    for programme_id, measure_id, name, unit, polarity, target_total in target_sums:
        value = returned.get((programme_id, measure_id))
        if value is None or not target_total:
            continue
        if polarity == Polarity.LOWER:
            short = value > target_total * (1 + OFF_TARGET_MARGIN)
        else:
            short = value < target_total * (1 - OFF_TARGET_MARGIN)
        if short:
            off.append((programme_id, name, unit, polarity, target_total, value))
    if not off:
        return []
    programmes = Programme.objects.select_related("provider").in_bulk({row[0] for row in off})
    rows = [
        OffTarget(programmes[programme_id], name, unit, target_total, value, polarity)
        for programme_id, name, unit, polarity, target_total, value in off
    ]
    rows.sort(key=lambda r: (-abs(1 - r.returned / r.target), r.programme.reference, r.measure_name))
    return rows


_CURRENT = object()  # portfolio_by_primary_priority: read the current plan


def red_indicators(rows: list[dict]) -> list[dict]:
    """The indicator rows (dashboard.selectors.indicator_rows) whose latest status is red."""
    return [r for r in rows if r["status"].code == RED.code]


def portfolio_by_primary_priority(user, *, plan=_CURRENT) -> tuple[list[PriorityShare], int, Decimal]:
    """The programmes the user may see and their award per priority of the current plan, each
    programme counted once under its primary priority (programmes whose primary priority belongs to
    another plan, or that have none, under None): the rows add up to the whole portfolio. Two
    queries, and one more for the current plan unless the caller has read it (`plan`)."""
    if plan is _CURRENT:
        plan = current_plan()
    # One grouped query: each visible programme under its primary priority (at most one, by
    # constraint; None when it has none), so the groups add up to the whole portfolio.
    primary = ProgrammePriority.objects.filter(programme=OuterRef("pk"), is_primary=True).values(
        "priority_id"
    )
    by_priority = {
        row["priority_id"]: row
        for row in programmes_visible_to(user)
        .order_by()
        .annotate(priority_id=Subquery(primary[:1]))
        .values("priority_id")
        .annotate(programmes=Count("id"), award=Sum("award_amount"))
    }
    totals = {
        "programmes": sum(row["programmes"] for row in by_priority.values()),
        "award": sum((row["award"] or ZERO for row in by_priority.values()), ZERO),
    }
    rows, counted, counted_award = [], 0, ZERO
    for priority in plan.priorities.all() if plan else []:
        row = by_priority.get(priority.pk, {"programmes": 0, "award": ZERO})
        rows.append(PriorityShare(priority, row["programmes"], row["award"] or ZERO))
        counted += row["programmes"]
        counted_award += row["award"] or ZERO
    total_award = totals["award"] or ZERO
    if totals["programmes"] > counted:
        rows.append(PriorityShare(None, totals["programmes"] - counted, total_award - counted_award))
    return rows, totals["programmes"], total_award


# --- finance officer ------------------------------------------------------------------------------


@dataclass
class PaymentDue:
    programme: Programme
    quarter: Quarter
    outstanding: Decimal
    overdue_since: date | None  # None: due, not yet overdue


@dataclass
class BudgetAlert:
    stream: FundingStream
    line: object  # grants.selectors.BudgetLine

    @property
    def over(self) -> bool:
        return self.line.over_committed


def payments_due(user, *, today: date) -> list[PaymentDue]:
    """Every payment-by-results quarter (started) with money outstanding, overdue first: four
    queries."""
    programmes = list(pbr_programmes_visible_to(user).select_related("provider").order_by("reference"))
    schedules: dict[int, Schedule] = payment_schedules(programmes, today=today)
    rows = []
    for programme in programmes:
        for quarter in schedules[programme.pk].quarters:
            if not quarter.started or quarter.outstanding <= 0:
                continue
            overdue = quarter.quarter.end + timedelta(days=PAYMENT_TERMS_DAYS)
            rows.append(
                PaymentDue(
                    programme, quarter.quarter, quarter.outstanding, overdue if today > overdue else None
                )
            )
    rows.sort(key=lambda r: (r.overdue_since is None, r.quarter, r.programme.reference))
    return rows


def budget_alerts(*, today: date) -> list[BudgetAlert]:
    """Funding streams of this financial year and later whose awards reach NEAR_COMMITMENT of the
    budget or exceed it, over-committed first: four queries."""
    year = FinancialYear.containing(today).label
    streams = list(FundingStream.objects.filter(financial_year__gte=year).order_by("financial_year", "name"))
    lines = stream_budgets(streams)
    alerts = [
        BudgetAlert(s, lines[s.pk])
        for s in streams
        if lines[s.pk].over_committed or (s.budget and lines[s.pk].awarded >= s.budget * NEAR_COMMITMENT)
    ]
    alerts.sort(key=lambda a: (not a.over, a.stream.financial_year, a.stream.name))
    return alerts


def reviews_to_sign_off() -> list[ReviewRound]:
    """Closed review rounds with no funding review produced for them yet (the PDF carries the
    sign-off box): two queries."""
    closed = list(ReviewRound.objects.filter(status=ReviewRound.Status.CLOSED).order_by("-last_year", "name"))
    if not closed:
        return []
    produced = set(
        ReportJob.objects.filter(
            scope=ReportJob.Scope.ROUND,
            scope_key__in=[str(r.pk) for r in closed],
            status__in=[ReportJob.Status.DONE, ReportJob.Status.EXPIRED],
        ).values_list("scope_key", flat=True)
    )
    return [r for r in closed if str(r.pk) not in produced]
