"""Reads shaped for pages and endpoints: one query per list, narrowed to what a user may see."""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from grants.budgets import BudgetLine
from grants.models import (
    Organisation,
    OutcomeReturn,
    Payment,
    Programme,
    ProgrammePriority,
    ProgrammeTarget,
    ProgrammeYearSpend,
)
from grants.payments import Schedule, VerifiedOutcome, pence, schedule
from grants.permissions import member_organisation_ids
from grants.roles import is_provider, is_staff_role


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Every programme for partnership staff; a provider's own organisations' otherwise."""
    programmes = Programme.objects.all()
    if is_staff_role(user):
        return programmes
    if is_provider(user):
        return programmes.filter(provider_id__in=member_organisation_ids(user))
    return programmes.none()


def returns_visible_to(user) -> QuerySet[OutcomeReturn]:
    returns = OutcomeReturn.objects.all()
    if is_staff_role(user):
        return returns
    if is_provider(user):
        return returns.filter(programme__provider_id__in=member_organisation_ids(user))
    return returns.none()


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if is_staff_role(user):
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


def programme_history(programme: Programme, limit: int = 50) -> list:
    """Recorded changes to the programme and its targets, newest first, with what changed."""
    entries = []
    records = list(programme.history.select_related("history_user").order_by("-history_date")[:limit])
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["updated_at", "created_at"])
            changes = [f"{c.field}: {c.old} → {c.new}" for c in delta.changes]
            if not changes and newer.history_type == "~":
                continue  # a save that changed nothing (e.g. re-running the demo loader)
        entries.append({"record": newer, "what": "Programme", "changes": changes})
    return entries


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


# --- budgets and payments by results ---------------------------------------------------------


def spend_by_programme(programme_ids) -> dict[int, Decimal]:
    """Spend returned per programme, from the yearly totals the database keeps (grants.totals:
    each quarter once at its largest figure, queried returns left out): one query."""
    rows = (
        ProgrammeYearSpend.objects.filter(programme_id__in=programme_ids, counted_spend__isnull=False)
        .order_by()
        .values("programme_id")
        .annotate(total=Sum("counted_spend"))
        .values_list("programme_id", "total")
    )
    return {pk: pence(Decimal(total)) for pk, total in rows}


def paid_by_programme(programme_ids) -> dict[int, Decimal]:
    """Net paid per programme: a reversal's amount is negative, so SUM(amount) leaves out
    reversed payments (here and in payment_schedules)."""
    rows = (
        Payment.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values("programme_id")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "total")
    )
    return {pk: pence(Decimal(total)) for pk, total in rows}


def stream_budgets(streams) -> dict[int, BudgetLine]:
    """Each stream's budget line (budget, awarded, spent, paid), in three queries for any number
    of streams."""
    streams = list(streams)
    programmes = Programme.objects.filter(funding_stream__in=[s.pk for s in streams]).only(
        "pk", "funding_stream_id", "award_amount", "status"
    )
    by_stream: dict[int, list[dict]] = {s.pk: [] for s in streams}
    for row in _with_figures(list(programmes.order_by())):
        by_stream[row["programme"].funding_stream_id].append(row)
    return {s.pk: _budget_line(s.budget, by_stream[s.pk]) for s in streams}


def stream_programmes(stream) -> list[dict]:
    """A stream's programmes with their award, spend and payments: three queries."""
    return _with_figures(list(stream.programmes.select_related("provider").order_by("reference")))


def stream_budget(stream) -> tuple[BudgetLine, list[dict]]:
    """One stream's budget line and its programmes (stream_programmes), both from the same three
    queries: the line adds up the rows instead of asking stream_budgets for the same figures again."""
    rows = stream_programmes(stream)
    return _budget_line(stream.budget, rows), rows


def _with_figures(programmes: list[Programme]) -> list[dict]:
    ids = [p.pk for p in programmes]
    spent, paid = spend_by_programme(ids), paid_by_programme(ids)
    return [
        {
            "programme": p,
            "counted": p.counts_against_budget,
            "spent": spent.get(p.pk, Decimal("0")),
            "paid": paid.get(p.pk, Decimal("0")),
        }
        for p in programmes
    ]


def _budget_line(budget: Decimal, rows: list[dict]) -> BudgetLine:
    return BudgetLine(
        budget=budget,
        awarded=sum((r["programme"].award_amount for r in rows if r["counted"]), Decimal("0")),
        spent=sum((r["spent"] for r in rows), Decimal("0")),
        paid=sum((r["paid"] for r in rows), Decimal("0")),
    )


def payments_visible_to(user) -> QuerySet[Payment]:
    return Payment.objects.filter(programme__in=programmes_visible_to(user))


def programme_payments(programme: Programme) -> QuerySet[Payment]:
    """A programme's payments and reversals, newest first, each with who recorded it and (for a
    reversed payment) its reversal: one query."""
    return programme.payments.select_related(
        "recorded_by", "reversal", "reversal__recorded_by", "reverses"
    ).order_by("-paid_on", "-id")


def pbr_programmes_visible_to(user) -> QuerySet[Programme]:
    return programmes_visible_to(user).filter(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS)


def payment_schedules(programmes, *, today) -> dict[int, Schedule]:
    """The payment-by-results schedule of each programme, in three queries for any number."""
    programmes = list(programmes)
    ids = [p.pk for p in programmes]
    tariffs: dict[int, dict] = {pk: {} for pk in ids}
    for pid, mid, fy, q, tariff in ProgrammeTarget.objects.filter(programme_id__in=ids).values_list(
        "programme_id", "measure_id", "financial_year", "quarter", "tariff"
    ):
        tariffs[pid][(mid, fy, q)] = tariff
    verified: dict[int, list] = {pk: [] for pk in ids}
    for pid, mid, name, fy, q, value in (
        OutcomeReturn.objects.filter(programme_id__in=ids, status=OutcomeReturn.Status.VERIFIED)
        .order_by()
        .values_list("programme_id", "measure_id", "measure__name", "financial_year", "quarter", "value")
    ):
        verified[pid].append(VerifiedOutcome(mid, name, fy, q, value))
    paid: dict[int, dict] = {pk: {} for pk in ids}
    for pid, fy, q, total in (
        Payment.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id", "financial_year", "quarter")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "financial_year", "quarter", "total")
    ):
        paid[pid][(fy, q)] = total
    return {
        p.pk: schedule(
            start=p.start_date,
            end=p.end_date,
            award=p.award_amount,
            service_fee=p.service_fee,
            tariffs=tariffs[p.pk],
            verified=verified[p.pk],
            paid=paid[p.pk],
            today=today,
        )
        for p in programmes
    }


def payment_schedule(programme: Programme, *, today) -> Schedule:
    return payment_schedules([programme], today=today)[programme.pk]
