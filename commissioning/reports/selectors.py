"""Reads for the PDF funding review: resolve a scope (a review round, a funding stream or a
financial year) and gather every figure the document shows, with one query per table whatever
the number of programmes. Value for money comes from the engine (commissioning.vfm) through
commissioning.selectors, exactly as the review pages and the API show it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from accounts.roles import Role, roles_of
from commissioning import selectors, valuation, vfm
from commissioning.calls.selectors import delivery_against_bids
from commissioning.models import Criterion, Decision, ReportJob, ReviewRound
from commissioning.permissions import Action, require
from commissioning.reports.content import (
    NO_DECISION,
    AgencyLine,
    BudgetLine,
    DecisionLine,
    FundingReview,
    MeasureLine,
    ProgrammeSection,
    RankedLine,
    RoundLine,
    ScoreLine,
    SensitivityLine,
    UnitCostLine,
)
from core.errors import NotFound, ValidationFailed
from grants.models import FundingStream, OutcomeReturn, Programme, ProgrammePriority
from grants.selectors import paid_by_programme, stream_budgets
from outcomes.models import EvidenceGrade, OutcomeMeasure
from outcomes.periods import FinancialYear, PeriodError, year_labels
from outcomes.selectors import current_plan

SCOPE_KINDS = ("round", "stream", "year")
JOB_NOT_FOUND = "There is no funding review with that number."
# The financial years a review can cover (9998/99 ends in the last year dates can hold).
FIRST_YEAR, LAST_YEAR = FinancialYear(1900), FinancialYear(9998)
YEAR_OUT_OF_RANGE = (
    f"There is no funding review for {{year}}: reviews cover financial years {FIRST_YEAR} to {LAST_YEAR}."
)


def job_get_visible(*, user, pk) -> ReportJob:
    """A requested funding review (without its PDF) for partnership staff, whoever asked for it:
    NotPermitted for other roles, NotFound if there is no such job."""
    require(user, Action.FUNDING_REVIEW_GENERATE)
    job = ReportJob.objects.defer("pdf").select_related("requested_by").filter(pk=pk).first()
    if job is None:
        raise NotFound(JOB_NOT_FOUND)
    return job


@dataclass(frozen=True)
class Scope:
    """What a review covers. key: a round or stream id, or a financial year label "2009/10"."""

    kind: str
    key: str
    label: str
    first_year: str
    last_year: str
    review_round: ReviewRound | None = None
    stream: FundingStream | None = None

    @property
    def years(self) -> list[str]:
        return year_labels(self.first_year, self.last_year)

    @property
    def period_label(self) -> str:
        return (
            self.first_year if self.first_year == self.last_year else f"{self.first_year} to {self.last_year}"
        )

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.key.replace('/', '-')}"

    def programmes(self) -> QuerySet[Programme]:
        if self.review_round is not None:
            return selectors.round_programmes(self.review_round)
        if self.stream is not None:
            return Programme.objects.filter(funding_stream=self.stream).order_by("reference")
        year = FinancialYear.parse(self.first_year)
        return Programme.objects.filter(start_date__lte=year.end, end_date__gte=year.start).order_by(
            "reference"
        )


def resolve_scope(kind: str, key) -> Scope:
    """The scope named by kind and key; NotFound if there is no such round, stream or year."""
    key = str(key).strip()
    if kind == "round":
        review_round = _by_id(ReviewRound, key, "There is no review round with that id.")
        return Scope(
            "round",
            key,
            f"Review round: {review_round.name}",
            review_round.first_year,
            review_round.last_year,
            review_round=review_round,
        )
    if kind == "stream":
        stream = _by_id(FundingStream, key, "There is no funding stream with that id.")
        return Scope(
            "stream",
            key,
            f"Funding stream: {stream.name} {stream.financial_year}",
            stream.financial_year,
            stream.financial_year,
            stream=stream,
        )
    if kind == "year":
        try:
            year = FinancialYear.parse(key.replace("-", "/"))
        except PeriodError as exc:
            raise NotFound(f"{exc} Financial years in addresses are written like 2009-10.") from None
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise NotFound(YEAR_OUT_OF_RANGE.format(year=year.label))
        return Scope("year", year.label, f"Financial year {year.label}", year.label, year.label)
    raise ValidationFailed({"scope": [f"A review covers one of: {', '.join(SCOPE_KINDS)}."]})


def _by_id(model, key: str, missing: str):
    found = model.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if found is None:
        raise NotFound(missing)
    return found


def funding_review(scope: Scope, *, user, now=None, today=None) -> FundingReview:
    """Everything the PDF shows for the scope; one query per table."""
    now = timezone.localtime(now or timezone.now())
    programmes = scope.programmes()
    review_round = scope.review_round
    if review_round is not None:
        inputs = selectors.vfm_inputs(review_round, today=today, programmes=programmes)
    else:
        inputs = selectors.portfolio_vfm_inputs(
            programmes, first_year=scope.first_year, last_year=scope.last_year, today=today
        )
    result = vfm.compute(inputs)
    rows = selectors.vfm_rows(result)

    details = {
        r["id"]: r
        for r in programmes.values(
            "id",
            "status",
            "commissioning_model",
            "evidence_grade__code",
            "evidence_grade__name",
            "funding_stream_id",
            "funding_stream__financial_year",
            "start_date",
            "end_date",
            "award_amount",
        )
    }
    priorities = _priorities(programmes)
    spend = _spend_by_quarter(programmes, scope.years, inputs.include_submitted)
    paid = paid_by_programme(list(details))
    measures = selectors.measure_rows_by_programme(result)
    agencies = selectors.agency_rows_by_programme(result)
    tornadoes = selectors.sensitivity_rows_by_programme(result)
    against_bids = delivery_against_bids(list(details), today=today)
    decisions = _decisions(review_round) if review_round else {}
    criteria, criterion_means = _scores(review_round, inputs) if review_round else ([], {})

    sections, ranked = [], []
    status_labels, model_labels = dict(Programme.Status.choices), dict(Programme.Model.choices)
    for row in rows:
        pid = row["programme"]
        detail = details[pid]
        by_quarter = spend.get(pid, {})
        decision = decisions.get(pid)
        grade = detail["evidence_grade__code"]
        ranked.append(
            RankedLine(
                rank=row["rank"],
                reference=row["reference"],
                title=row["title"],
                provider=row["provider"],
                cost=row["cost"],
                cost_estimated=row["cost_estimated"],
                benefit=row["benefit"],
                bcr=row["bcr"],
                bcr_band=row["bcr_band"],
                composite_score=row["composite_score"],
                decision=_short_decision(decision.outcome) if decision else "",
                criteria_scored=row["criteria_scored"],
                criteria_total=row["criteria_total"],
            )
        )
        sections.append(
            ProgrammeSection(
                programme_id=pid,
                reference=row["reference"],
                title=row["title"],
                provider=row["provider"],
                funding_stream=f"{row['funding_stream']} {detail['funding_stream__financial_year']}",
                priorities=priorities.get(pid, []),
                award=detail["award_amount"],
                start_date=detail["start_date"],
                end_date=detail["end_date"],
                model=model_labels.get(detail["commissioning_model"], detail["commissioning_model"]),
                status=status_labels.get(detail["status"], detail["status"]),
                evidence_grade=f"{grade} ({detail['evidence_grade__name']})" if grade else "",
                spend_by_quarter=by_quarter,
                spend_returned=sum(by_quarter.values(), Decimal("0")),
                spent=paid.get(pid, Decimal("0")),
                cost=row["cost"],
                cost_estimated=row["cost_estimated"],
                benefit=row["benefit"],
                outcomes=row["outcomes"],
                achievement=row["achievement"],
                bcr=row["bcr"],
                bcr_band=row["bcr_band"],
                rank=row["rank"],
                flags=row["flags"],
                measures=[MeasureLine(**m) for m in measures.get(pid, [])],
                primary_priority=row["primary_priority"],
                scores=[
                    ScoreLine(name, weight, mean, scorers)
                    for (name, weight, mean, scorers) in criterion_means.get(pid, [])
                ],
                mean_score=row["mean_score"],
                composite_score=row["composite_score"],
                decision=decision,
                criteria_scored=row["criteria_scored"],
                criteria_total=row["criteria_total"],
                against_bid=against_bids.get(pid),
                fiscal_benefit=row["fiscal_benefit"],
                economic_benefit=row["economic_benefit"],
                social_benefit=row["social_benefit"],
                transfers=row["transfers"],
                fiscal_return=row["fiscal_return"],
                bcr_low=row["bcr_low"],
                bcr_high=row["bcr_high"],
                bcr_ci_low=row["bcr_ci_low"],
                bcr_ci_high=row["bcr_ci_high"],
                measured=row["measured"],
                agencies=[AgencyLine(**a) for a in agencies.get(pid, [])],
                sensitivity=[SensitivityLine(**t) for t in tornadoes.get(pid, [])],
            )
        )
    sections.sort(key=lambda s: s.reference)

    programme_frame = result.programmes
    # Totals are the sums of the rows as shown (to the penny), so every channel's rows add up to them.
    total_cost = float(sum((row["cost"] or Decimal("0") for row in rows), Decimal("0")))
    total_benefit = float(sum((row["benefit"] or Decimal("0") for row in rows), Decimal("0")))
    decision_counts = defaultdict(int)
    for section in sections:
        decision_counts[section.decision.outcome if section.decision else NO_DECISION] += 1
    flag_counts = defaultdict(int)
    for row in rows:
        for flag in row["flags"]:
            flag_counts[flag] += 1
    used_measures = set(result.measures["measure_id"].dropna().astype(int)) if len(result.measures) else set()
    unit_costs = _unit_costs(used_measures, inputs.values, result.price_year)
    total_fiscal = float(sum((row["fiscal_benefit"] or Decimal("0") for row in rows), Decimal("0")))
    rounds = _rounds(scope)
    plan = current_plan()
    return FundingReview(
        partnership=plan.partnership.name if plan else "The partnership",
        scope_kind=scope.kind,
        scope_label=scope.label,
        period_label=scope.period_label,
        financial_years=scope.years,
        generated_at=now,
        generated_by=_person(user),
        total_awarded=sum((s.award for s in sections), Decimal("0")),
        total_spent=sum((s.spent for s in sections), Decimal("0")),
        total_spend_returned=sum((s.spend_returned for s in sections), Decimal("0")),
        total_cost=selectors.money(total_cost) or Decimal("0"),
        total_benefit=selectors.money(total_benefit) or Decimal("0"),
        outcomes_achieved=round(float(programme_frame["outcomes"].sum()), 2) if len(programme_frame) else 0.0,
        portfolio_bcr=round(total_benefit / total_cost, 2) if total_cost > 0 else None,
        decisions=[
            (label, decision_counts.get(label, 0)) for label in [*Decision.Outcome.labels, NO_DECISION]
        ]
        if review_round
        else [(NO_DECISION, len(sections))],
        flag_counts=dict(flag_counts),
        streams=_streams(sections, details),
        priorities=_priority_lines(sections),
        ranked=ranked,
        programmes=sections,
        unit_costs=unit_costs,
        evidence_grades=list(EvidenceGrade.objects.values_list("code", "name", "optimism_bias")),
        default_optimism_bias=inputs.default_optimism_bias,
        criteria=criteria,
        include_submitted=inputs.include_submitted,
        rounds=rounds,
        draft_reasons=_draft_reasons(scope, rounds, flag_counts),
        price_year=result.price_year,
        deflator_series=result.deflator_series,
        discount_rate=inputs.discount_rate,
        total_fiscal=selectors.money(total_fiscal) or Decimal("0"),
        total_transfers=sum((row["transfers"] or Decimal("0") for row in rows), Decimal("0")),
        portfolio_fiscal_return=round(total_fiscal / total_cost, 2) if total_cost > 0 else None,
        agencies=[AgencyLine(**a) for a in selectors.agency_rows(result)],
        sensitivity=[SensitivityLine(**t) for t in selectors.sensitivity_rows(result)],
        unit_cost_attribution=valuation.UCD_ATTRIBUTION if any(u.cost_lines for u in unit_costs) else "",
    )


def _priorities(programmes: QuerySet[Programme]) -> dict[int, list[str]]:
    links = (
        ProgrammePriority.objects.filter(programme_id__in=programmes.values("id"))
        .order_by("programme_id", "-is_primary", "priority__order", "priority__name")
        .values_list("programme_id", "priority__name", "is_primary")
    )
    out: dict[int, list[str]] = defaultdict(list)
    for pid, name, primary in links:
        out[pid].append(f"{name} (primary)" if primary else name)
    return out


def _spend_by_quarter(
    programmes: QuerySet[Programme], years: list[str], include_submitted: bool
) -> dict[int, dict[tuple[str, int], Decimal]]:
    """Spend returned per programme and quarter, counted as the engine counts it: returns of the
    counted statuses, one figure per programme-quarter (the largest on its returns). One query."""
    statuses = ["verified", "submitted"] if include_submitted else ["verified"]
    rows = (
        OutcomeReturn.objects.filter(
            programme_id__in=programmes.order_by().values("id"),
            financial_year__in=years,
            status__in=statuses,
            spend__isnull=False,
        )
        .values("programme_id", "financial_year", "quarter")
        .annotate(largest=Max("spend"))
        .order_by()
        .values_list("programme_id", "financial_year", "quarter", "largest")
    )
    out: dict[int, dict[tuple[str, int], Decimal]] = defaultdict(dict)
    for pid, year, quarter, spend in rows:
        out[pid][(year, quarter)] = spend
    return out


def _decisions(review_round: ReviewRound) -> dict[int, DecisionLine]:
    labels = dict(Decision.Outcome.choices)
    rows = Decision.objects.filter(review_round=review_round).values_list(
        "programme_id",
        "outcome",
        "rationale",
        "conditions",
        "decided_by__first_name",
        "decided_by__last_name",
        "decided_by__username",
        "decided_at",
    )
    return {
        pid: DecisionLine(
            labels.get(outcome, outcome),
            rationale,
            conditions,
            f"{first} {last}".strip() or username,
            timezone.localtime(at),
        )
        for pid, outcome, rationale, conditions, first, last, username, at in rows
    }


def _scores(review_round: ReviewRound, inputs: vfm.VfmInputs):
    criteria = list(
        Criterion.objects.filter(review_round=review_round)
        .order_by("order", "id")
        .values_list("id", "name", "weight")
    )
    scores = inputs.scores
    means: dict[int, list[tuple[str, int, float, int]]] = defaultdict(list)
    if not scores.empty:
        grouped = scores.groupby(["programme_id", "criterion_id"])["score"].agg(["mean", "count"])
        lookup = {
            (int(p), int(c)): (float(m), int(n))
            for (p, c), m, n in zip(grouped.index, grouped["mean"], grouped["count"], strict=True)
        }
        for pid in sorted({p for p, _ in lookup}):
            for cid, name, weight in criteria:
                if (pid, cid) in lookup:
                    mean, count = lookup[(pid, cid)]
                    means[pid].append((name, weight, mean, count))
    return [(name, weight) for _, name, weight in criteria], means


def _streams(sections: list[ProgrammeSection], details: dict) -> list[BudgetLine]:
    """The budget lines of the streams funding the review's programmes, whole, as the budgets
    page and the API show them (grants.selectors.stream_budgets): a stream is one year's budget."""
    ids = {details[s.programme_id]["funding_stream_id"] for s in sections}
    streams = list(FundingStream.objects.filter(pk__in=ids).annotate(programme_count=Count("programmes")))
    figures = stream_budgets(streams)
    lines = [
        BudgetLine(
            name=stream.name,
            financial_year=stream.financial_year,
            programmes=stream.programme_count,
            awarded=figures[stream.pk].awarded,
            spent=figures[stream.pk].spent,
            budget=figures[stream.pk].budget,
        )
        for stream in streams
    ]
    return sorted(lines, key=lambda line: (-line.awarded, line.name))


def _rounds(scope: Scope) -> list[RoundLine]:
    """The scope's round, or the rounds whose period overlaps the scope's, with their progress
    (commissioning.selectors.round_progress: the same counts as the round's page)."""
    if scope.review_round is not None:
        rounds = [scope.review_round]
    else:
        rounds = list(
            ReviewRound.objects.filter(first_year__lte=scope.last_year, last_year__gte=scope.first_year)
            .prefetch_related("funding_streams", "priorities")
            .order_by("first_year", "name")
        )
    lines = []
    for review_round in rounds:
        progress = selectors.round_progress(review_round)
        lines.append(
            RoundLine(
                review_round.name,
                review_round.get_status_display(),
                progress.programmes,
                progress.unscored,
                progress.undecided,
            )
        )
    return lines


def _draft_reasons(scope: Scope, rounds: list[RoundLine], flag_counts: dict[str, int]) -> list[str]:
    """Why the review is a DRAFT: its round is not closed, or returns are missing for quarters
    that have ended. None: the figures are final."""
    reasons = []
    if scope.review_round is not None and not scope.review_round.is_closed:
        reasons.append(f"the review round is {scope.review_round.get_status_display().lower()}, not closed")
    missing = flag_counts.get("missing_returns", 0)
    if missing:
        reasons.append(
            f"{missing:,} programme{'s' if missing != 1 else ''} "
            f"{'have' if missing != 1 else 'has'} returns missing for quarters that have ended"
        )
    return reasons


def _priority_lines(sections: list[ProgrammeSection]) -> list[BudgetLine]:
    grouped: dict[str, list[ProgrammeSection]] = defaultdict(list)
    for s in sections:
        grouped[s.primary_priority or "No primary priority recorded"].append(s)
    lines = [
        BudgetLine(
            name=name,
            programmes=len(members),
            awarded=sum((m.award for m in members), Decimal("0")),
            spent=sum((m.spent for m in members), Decimal("0")),
        )
        for name, members in grouped.items()
    ]
    return sorted(lines, key=lambda line: (-line.awarded, line.name))


def _unit_costs(measure_ids: set[int], values=None, price_year: str = "") -> list[UnitCostLine]:
    """The unit costs used: a measure made of cost lines shows its public value of one outcome in
    the price year (the sum of its lines, uprated, transfers left out) and the lines themselves;
    one without shows its typed unit cost in its own price year."""
    rows = (
        OutcomeMeasure.objects.filter(pk__in=measure_ids)
        .order_by("name")
        .values_list(
            "name",
            "unit",
            "polarity",
            "unit_cost",
            "unit_cost_source",
            "unit_cost_price_year",
            "deadweight",
            "attribution",
            "persistence_years",
            "drop_off",
            "id",
        )
    )
    with_lines = set()
    if values is not None and len(values):
        broken_down = values.loc[values["kind"] != "combined", "measure_id"].astype(int)
        with_lines = set(broken_down) & set(measure_ids)
    lines = valuation.cost_lines_for(with_lines) if with_lines else {}
    public = {}
    if values is not None and len(values):
        counted = values[~values["transfer"].astype(bool)]
        public = counted.groupby("measure_id")["value"].sum().to_dict()
    out = []
    for *fields, measure_id in rows:
        if lines.get(measure_id):
            fields[3] = selectors.money(public.get(measure_id, 0.0))
            fields[4] = f"{valuation.UCD_ATTRIBUTION}: public value of the lines below, transfers left out"
            fields[5] = price_year
        out.append(UnitCostLine(*fields, cost_lines=tuple(lines.get(measure_id, ()))))
    return out


def _short_decision(outcome: str) -> str:
    return {"Continue with conditions": "Conditions"}.get(outcome, outcome)


def _person(user) -> str:
    if user is None:
        return "Yardstick"
    name = user.get_full_name() or user.get_username()
    roles = sorted(r.value for r in roles_of(user) if r != Role.PROVIDER)
    return f"{name} ({', '.join(roles).lower()})" if roles else name
