"""Web pages for review rounds: the rounds, a round's ranked portfolio, scoring, decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning import selectors, services, valuation
from commissioning.calls.selectors import add_delivery_against_bids
from commissioning.models import ConflictOfInterest, Decision, ReviewRound, Score
from commissioning.permissions import Action, has_permission, require
from core.errors import Conflict, DomainError, ValidationFailed
from core.http import refusals_as_pages
from grants.models import OutcomeReturn
from grants.selectors import programme_get_visible, targets_by_year

SORTABLE = [
    "rank",
    "reference",
    "title",
    "provider",
    "primary_priority",
    "cost",
    "benefit",
    "bcr",
    "achievement",
    "composite_score",
    "worklessness_share",
    "scorers",
    "missing_returns",
]


@login_required
@refusals_as_pages
def round_list(request: HttpRequest) -> HttpResponse:
    form_errors: dict = {}
    if request.method == "POST":
        require(request.user, Action.ROUND_MANAGE)
        try:
            created = services.round_create(
                user=request.user,
                name=request.POST.get("name", ""),
                first_year=request.POST.get("first_year", "").strip(),
                last_year=request.POST.get("last_year", "").strip(),
                description=request.POST.get("description", ""),
                include_submitted=bool(request.POST.get("include_submitted")),
                price_year=request.POST.get("price_year", ""),
                deflator_series=_series_id(request.POST.get("deflator_series", "")),
            )
        except ValidationFailed as exc:
            form_errors = exc.errors
        else:
            messages.success(request, f"Created {created} as a draft with the default rubric.")
            return redirect("commissioning:round", pk=created.pk)
    rounds = ReviewRound.objects.prefetch_related("criteria").order_by("-first_year", "name")
    return render(
        request,
        "commissioning/round_list.html",
        {
            "rounds": rounds,
            "form_errors": form_errors,
            "data": request.POST,
            "deflator_series": selectors.deflator_series_choices(),
        },
    )


_PRICE_BASIS_FIELDS = {"price_year": "#round-price-year", "deflator_series": "#round-deflator-series"}


def _price_basis_error_items(form_errors: dict) -> list[dict]:
    """The error summary's items: each field's errors linked to it, any others unlinked."""
    return [
        {"message": message, "href": _PRICE_BASIS_FIELDS.get(field, "")}
        for field, messages in form_errors.items()
        for message in messages
    ]


@login_required
@refusals_as_pages
def round_price_basis(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a round's price year and deflator series (commissioners; any round not closed)."""
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    require(request.user, Action.ROUND_MANAGE, review_round)
    form_errors: dict = {}
    data = {
        "price_year": review_round.price_year,
        "deflator_series": str(review_round.deflator_series_id or ""),
    }
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in data}
        try:
            services.round_set_price_basis(
                user=request.user,
                review_round=review_round,
                price_year=data["price_year"],
                deflator_series=_series_id(data["deflator_series"]),
            )
        except ValidationFailed as exc:
            form_errors = exc.errors
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("commissioning:round", pk=pk)
        else:
            messages.success(request, "Price basis saved: the round's figures now use it.")
            return redirect("commissioning:round", pk=pk)
    return render(
        request,
        "commissioning/price_basis.html",
        {
            "round": review_round,
            "form_errors": form_errors,
            "error_items": _price_basis_error_items(form_errors),
            "data": data,
            "deflator_series": selectors.deflator_series_choices(),
        },
    )


def _series_id(value: str) -> int | None:
    """A chosen deflator series id from the form; blank is the newest loaded, and anything that is
    not an id is one no series has (the service refuses it with its message)."""
    value = value.strip()
    if not value:
        return None
    return int(value) if value.isdigit() else 0


@login_required
@refusals_as_pages
def round_overview(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    require(request.user, Action.SCORES_SEE_ALL, review_round)
    result = selectors.round_vfm(review_round)
    rows = selectors.vfm_rows(result)
    sort = request.GET.get("sort", "rank")
    key = sort.lstrip("-")
    if key in SORTABLE:
        present = [r for r in rows if r[key] is not None]
        rows = sorted(present, key=lambda r: r[key], reverse=sort.startswith("-")) + [
            r for r in rows if r[key] is None
        ]
    decisions = selectors.decisions_for(review_round)
    add_delivery_against_bids(rows)
    for row in rows:
        row["decision"] = decisions.get(row["programme"])
    by_priority = selectors.portfolio_breakdown(result, "primary_priority")
    chart = {
        "priorities": {
            "labels": [r["name"] for r in by_priority],
            "cost": [float(r["cost"] or 0) for r in by_priority],
            "benefit": [float(r["benefit"] or 0) for r in by_priority],
        },
        "scatter": [
            {"x": float(r["cost"] or 0), "y": r["bcr"], "label": r["reference"]}
            for r in rows
            if r["bcr"] is not None
        ],
    }
    return render(
        request,
        "commissioning/round_overview.html",
        {
            "round": review_round,
            "rows": rows,
            "sort": sort,
            "sortable": SORTABLE,
            "chart": chart,
            "breakdowns": [
                ("Primary priority", by_priority),
                ("Cross-cutting theme", selectors.theme_breakdown(result)),
                ("Funding stream", selectors.portfolio_breakdown(result, "funding_stream")),
                ("Provider", selectors.portfolio_breakdown(result, "provider")),
            ],
            "can_manage": has_permission(Action.ROUND_MANAGE, request.user, review_round).allowed,
            "can_reopen": has_permission(Action.ROUND_REOPEN, request.user, review_round).allowed,
            "progress": selectors.round_progress(review_round),
            "round_history": selectors.round_status_history(review_round),
            "review_url": reverse("funding-reviews:round-review", args=[review_round.pk]),
            **_green_book(result),
        },
    )


def _green_book(result) -> dict:
    """The price basis, who benefits and sensitivity for the portfolio or one programme's page."""
    programmes = result.programmes
    cost = float(programmes["cost"].sum()) if len(programmes) else 0.0
    fiscal = float(programmes["fiscal_benefit"].sum()) if len(programmes) else 0.0
    measure_ids = result.measures["measure_id"].dropna().astype(int).tolist() if len(result.measures) else []
    return {
        "price_year": result.price_year,
        "deflator_series": result.deflator_series,
        "unit_cost_attribution": valuation.attribution_for(measure_ids),
        "agencies": selectors.agency_rows(result),
        "sensitivity": selectors.sensitivity_rows(result),
        "fiscal_return": round(fiscal / cost, 2) if cost > 0 else None,
    }


@login_required
@require_POST
@refusals_as_pages
def round_transition(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    to = request.POST.get("to", "")
    try:
        changed = services.round_transition(
            user=request.user,
            review_round=review_round,
            to=to,
            confirmed=request.POST.get("confirmed") == "yes",
            reason=request.POST.get("reason", ""),
        )
    except Conflict as exc:
        if exc.code == services.CLOSE_UNCONFIRMED:  # counts changed since the page was shown
            messages.warning(request, exc.message)
            return redirect("commissioning:close", pk=pk)
        messages.error(request, exc.message)
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{changed} is now {changed.get_status_display().lower()}.")
    return redirect("commissioning:round", pk=pk)


@login_required
@refusals_as_pages
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks before closing: what closing would leave undone, counted now."""
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    require(request.user, Action.ROUND_MANAGE, review_round)
    if review_round.status != ReviewRound.Status.OPEN:
        messages.error(request, f"{review_round} is {review_round.get_status_display().lower()}, not open.")
        return redirect("commissioning:round", pk=pk)
    progress = selectors.round_progress(review_round)
    return render(
        request,
        "commissioning/round_close.html",
        {"round": review_round, "progress": progress, "warning": services.close_warning(progress)},
    )


@login_required
@refusals_as_pages
def score_programme(request: HttpRequest, pk: int, programme_pk: int) -> HttpResponse:
    """One programme at a time: the evidence beside a form per criterion (saved with htmx)."""
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    require(request.user, Action.ROUND_SCORE, review_round)
    programme = (
        selectors.round_programmes(review_round)
        .filter(pk=programme_pk)
        .select_related("provider", "funding_stream")
        .prefetch_related("targets__measure")
        .first()
    )
    if programme is None:
        raise Http404("That programme is not part of this round.")
    if request.method == "POST":
        return _save_score(request, review_round, programme)
    return render(request, "commissioning/score.html", _score_context(request, review_round, programme))


@login_required
@require_POST
@refusals_as_pages
def declare_conflict(request: HttpRequest, pk: int, programme_pk: int) -> HttpResponse:
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    programme = programme_get_visible(user=request.user, pk=programme_pk)
    try:
        services.conflict_declare(
            user=request.user,
            review_round=review_round,
            programme=programme,
            description=request.POST.get("description", ""),
        )
        messages.success(request, f"Conflict of interest recorded; you will not score {programme.title}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("commissioning:score", pk=pk, programme_pk=programme_pk)


@login_required
@require_POST
@refusals_as_pages
def record_decision(request: HttpRequest, pk: int, programme_pk: int) -> HttpResponse:
    review_round = selectors.round_get_visible(user=request.user, pk=pk)
    programme = programme_get_visible(user=request.user, pk=programme_pk)
    try:
        decision = services.decision_record(
            user=request.user,
            review_round=review_round,
            programme=programme,
            outcome=request.POST.get("outcome", ""),
            rationale=request.POST.get("rationale", ""),
            conditions=request.POST.get("conditions", ""),
        )
        messages.success(
            request, f"Decision recorded: {decision.get_outcome_display()} for {programme.title}."
        )
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("commissioning:score", pk=pk, programme_pk=programme_pk)


def _save_score(request, review_round, programme) -> HttpResponse:
    criterion = review_round.criteria.filter(pk=request.POST.get("criterion")).first()
    error = None
    if criterion is None:
        raise Http404("No such criterion in this round.")
    try:
        value = int(request.POST.get("score", ""))
    except ValueError:
        value = -1
    try:
        services.score_record(
            user=request.user,
            review_round=review_round,
            programme=programme,
            criterion=criterion,
            score=value,
            rationale=request.POST.get("rationale", ""),
        )
    except ValidationFailed as exc:
        error = " ".join(m for ms in exc.errors.values() for m in ms)
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        item = _criterion_items(request.user, review_round, programme, only=criterion)[0]
        item["error"] = error
        if error:  # show what was typed, not the saved score, so nothing is lost
            item["current_score"] = request.POST.get("score", "")
            item["current_rationale"] = request.POST.get("rationale", "")
        return render(
            request,
            "commissioning/_criterion_form.html",
            {
                "item": item,
                "round": review_round,
                "programme": programme,
                "saved": error is None,
                # the composite score and flags beside the form, swapped in as they now stand
                "vfm_now": selectors.programme_vfm_row(review_round, programme),
            },
        )
    if error:
        messages.error(request, f"{criterion.name}: {error}")
    else:
        messages.success(request, f"Saved your score for {criterion.name}.")
    return redirect("commissioning:score", pk=review_round.pk, programme_pk=programme.pk)


def _score_context(request, review_round, programme) -> dict:
    result = selectors.round_vfm(review_round)
    rows = {r["programme"]: r for r in selectors.vfm_rows(result)}
    green_book = {
        "price_year": result.price_year,
        "deflator_series": result.deflator_series,
        "agencies": selectors.agency_rows(result, programme.pk),
        "sensitivity": selectors.sensitivity_rows(result, programme.pk),
        "unit_cost_attribution": valuation.attribution_for(
            result.measures.loc[result.measures["programme_id"] == programme.pk, "measure_id"]
            .astype(int)
            .tolist()
        ),
    }
    ordered = [r["programme"] for r in sorted(rows.values(), key=lambda r: r["reference"])]
    index = ordered.index(programme.pk)
    returns = (
        OutcomeReturn.objects.filter(programme=programme)
        .select_related("measure")
        .order_by("financial_year", "quarter", "measure__name")
    )
    return {
        "round": review_round,
        "programme": programme,
        "vfm": rows.get(programme.pk),
        "measures": selectors.measure_rows(result, programme.pk),
        "targets": targets_by_year(programme),
        "returns": returns,
        "items": _criterion_items(request.user, review_round, programme),
        "conflicted": ConflictOfInterest.objects.filter(
            review_round=review_round, programme=programme, commissioner=request.user
        ).exists(),
        "decision": Decision.objects.filter(review_round=review_round, programme=programme).first(),
        "outcomes": Decision.Outcome.choices,
        "previous": ordered[index - 1] if index > 0 else None,
        "next": ordered[index + 1] if index + 1 < len(ordered) else None,
        "position": (index + 1, len(ordered)),
        **green_book,
    }


def _criterion_items(user, review_round, programme, only=None) -> list[dict]:
    criteria = [only] if only else list(review_round.criteria.order_by("order"))
    scores = Score.objects.filter(
        review_round=review_round, programme=programme, criterion__in=criteria
    ).select_related("commissioner")
    items = []
    for criterion in criteria:
        mine = next(
            (s for s in scores if s.criterion_id == criterion.pk and s.commissioner_id == user.pk), None
        )
        others = [s for s in scores if s.criterion_id == criterion.pk and s.commissioner_id != user.pk]
        items.append(
            {
                "criterion": criterion,
                "mine": mine,
                "others": others,
                "current_score": str(mine.score) if mine else "",
                "current_rationale": mine.rationale if mine else "",
            }
        )
    return items
