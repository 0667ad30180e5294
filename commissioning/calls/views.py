"""Web pages for calls (under /calls/): the public list of open calls and each call's page; a
provider's bid form; assessment (conflicts register, blind scoring, moderation), the ranking,
the award with its standstill and the conclusion into a programme."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import is_commissioner, is_provider
from accounts.security import reauthentication_required
from core.errors import DomainError, ValidationFailed
from core.http import refusals_as_pages
from grants.models import Organisation
from grants.permissions import member_organisation_ids
from outcomes.periods import FinancialYear, Quarter

from . import selectors, services
from .models import Assessor, Award, Bid, BudgetLine, Call, Criterion, InterestDeclaration, Lot
from .permissions import Action, has_permission, require
from .ranking import money
from .services._common import is_open_for_bids, now


def post_action(view):
    """A form's POST target: signed in, POST only, a refusal shown as a page (403/404)."""
    return login_required(require_POST(refusals_as_pages(view)))


def _ranking_rows(call: Call) -> list[dict]:
    return [
        {
            "bid": r.bid,
            "lot": r.lot_id,
            "quality_pct": money(r.quality_pct),
            "quality_score": money(r.quality_score),
            "price_score": money(r.price_score),
            "social_value_score": money(r.social_value_score),
            "total": money(r.total),
            "rank": r.rank,
            "awaiting": r.awaiting_moderation,
            "excluded_reason": r.excluded_reason,
            "incomplete": r.incomplete,
            "passes": r.passes_threshold,
        }  # fmt: skip
        for r in selectors.call_ranking(call)
    ]


def call_list(request: HttpRequest) -> HttpResponse:
    """Open calls, public; commissioners also see drafts and closed calls."""
    calls = list(selectors.open_calls())
    others = []
    if is_commissioner(request.user):
        open_ids = {c.pk for c in calls}
        others = [
            c for c in selectors.calls_visible(request.user).order_by("-closes_at") if c.pk not in open_ids
        ]
    can_open = has_permission(Action.CALL_MANAGE, request.user).allowed
    return render(
        request,
        "calls/call_list.html",
        {
            "calls": calls,
            "others": others,
            "now": now(),
            "can_open": can_open,
            "waiting": selectors.clarifications_waiting().count() if can_open else 0,
        },  # fmt: skip
    )


@refusals_as_pages
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    lots = call.lots.prefetch_related("lot_measures__measure")
    user = request.user
    context = {
        "call": call,
        "lots": lots,
        "criteria": call.criteria.all(),
        "questions": call.eligibility_questions.all(),
        "clarifications": selectors.clarifications_published(call),
        "open_for_bids": is_open_for_bids(call),
        "clarifications_open": call.status == Call.Status.OPEN and now() < call.clarification_deadline,
        "is_commissioner": is_commissioner(user),
        "is_provider": is_provider(user),
    }
    if is_provider(user):
        context["my_bids"] = selectors.bids_visible(user=user, call=call)
        context["my_organisations"] = Organisation.objects.filter(pk__in=member_organisation_ids(user))
    if is_commissioner(user):
        context["unanswered"] = call.clarifications.filter(published_at__isnull=True)
    return render(request, "calls/call_detail.html", context)


@post_action
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    _run(
        request, lambda: services.call_publish(user=request.user, call=call), "Published: the call is public."
    )
    return redirect("calls:call", pk=pk)


@post_action
def clarification_ask(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    _run(
        request,
        lambda: services.clarification_ask(
            user=request.user, call=call, question=request.POST.get("question", "")
        ),
        "Your question was sent. The answer will be published to every bidder without your name.",
    )
    return redirect("calls:call", pk=pk)


@post_action
def clarification_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    require(request.user, Action.CALL_MANAGE)
    question = call.clarifications.filter(pk=question_pk).first()
    if question is not None:
        _run(
            request,
            lambda: services.clarification_answer(
                user=request.user, clarification=question, answer=request.POST.get("answer", "")
            ),
            "Answer published to every bidder.",
        )
    if request.POST.get("from") == "queue":
        return redirect("calls:questions")
    return redirect("calls:call", pk=pk)


@login_required
@refusals_as_pages
def clarification_queue(request: HttpRequest) -> HttpResponse:
    """Commissioners: every question waiting for an answer, oldest first, each with its answer
    form; publishing an answer shows it to every bidder without naming who asked."""
    require(request.user, Action.CALL_MANAGE)
    waiting = list(selectors.clarifications_waiting())
    return render(request, "calls/questions.html", {"waiting": waiting})


@post_action
def bid_start(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    lot = Lot.objects.filter(call=call, pk=_int(request.POST.get("lot"))).first()
    organisation = Organisation.objects.filter(pk=_int(request.POST.get("organisation"))).first()
    require(request.user, Action.BID_CREATE, organisation)
    if lot is None:
        messages.error(request, "Choose the lot you are bidding for.")
        return redirect("calls:call", pk=pk)
    try:
        bid = services.bid_create(user=request.user, call=call, lot=lot, organisation=organisation)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("calls:call", pk=pk)
    messages.success(request, "Draft bid started. Save as you go; submit before the closing time.")
    return redirect("calls:bid", pk=bid.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decimal(value: str | None, field: str, errors: dict) -> Decimal | None:
    text = (value or "").replace(",", "").replace("£", "").strip()
    if not text:
        return Decimal(0)
    try:
        return Decimal(text)
    except InvalidOperation:
        errors.setdefault(field, []).append(f"“{value}” is not a number.")
        return None


def _bid_quarters(call: Call) -> list[Quarter]:
    first, last = FinancialYear.containing(call.service_start), FinancialYear.containing(call.service_end)
    quarters, year = [], first
    while year <= last:
        quarters += [q for q in year.quarters() if q.overlaps(call.service_start, call.service_end)]
        year = year.next()
    return quarters


def _parse_bid(request: HttpRequest, bid: Bid, call: Call, errors: dict) -> dict:
    post = request.POST
    fields = {
        "title": post.get("title", bid.title).strip() or bid.title,
        "summary": post.get("summary", ""),
        "price": _decimal(post.get("price"), "price", errors),
        "service_fee": _decimal(post.get("service_fee"), "service_fee", errors),
        "declaration_accurate": bool(post.get("declaration_accurate")),
        "declaration_no_collusion": bool(post.get("declaration_no_collusion")),
        "declaration_safeguarding": bool(post.get("declaration_safeguarding")),
    }
    answers = {c.pk: post.get(f"answer-{c.pk}", "") for c in call.criteria.all()}
    eligibility = {
        q.pk: (post.get(f"eligible-{q.pk}") == "yes", post.get(f"eligible-note-{q.pk}", ""))
        for q in call.eligibility_questions.all()
        if post.get(f"eligible-{q.pk}") in ("yes", "no")
    }
    outcomes, rate_card = [], {}
    for link in bid.lot.lot_measures.all():
        for quarter in _bid_quarters(call):
            key = f"volume-{link.measure_id}-{quarter.financial_year.label}-{quarter.number}"
            volume = _decimal(post.get(key), "outcomes", errors)
            if volume:
                outcomes.append((link.measure_id, quarter.financial_year.label, quarter.number, volume))
        if (tariff := post.get(f"tariff-{link.measure_id}", "").strip()) != "":
            rate_card[link.measure_id] = _decimal(tariff, "rate_card", errors)
    budget = {}
    for category, _label in BudgetLine.Category.choices:
        if (amount := post.get(f"budget-{category}", "").strip()) != "":
            budget[category] = _decimal(amount, "budget_lines", errors)
    social = []
    if (sv := post.get("sv-measure", "").strip()) or post.get("sv-quantity", "").strip():
        quantity = _decimal(post.get("sv-quantity"), "social_value", errors)
        try:
            by_when = date.fromisoformat(post.get("sv-by", "").strip())
        except ValueError:
            errors.setdefault("social_value", []).append("Give the date as YYYY-MM-DD, e.g. 2011-03-31.")
            by_when = None
        social.append((sv, quantity, by_when))
    return {
        "fields": fields, "answers": answers, "eligibility": eligibility, "outcomes": outcomes,
        "rate_card": rate_card, "budget_lines": budget, "social_value": social,
    }  # fmt: skip


@login_required
@refusals_as_pages
def bid_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's bid (edit while a draft); a commissioner's view with blind scoring."""
    bid = selectors.bid_get_visible(user=request.user, pk=pk)
    call = bid.call
    errors: dict = {}
    own = has_permission(Action.BID_CHANGE, request.user, bid).allowed
    if request.method == "POST" and own:
        parsed = _parse_bid(request, bid, call, errors)
        if not errors:
            try:
                services.bid_update(user=request.user, bid=bid, **parsed)
                if request.POST.get("action") == "submit":
                    services.bid_submit(user=request.user, bid=bid)
                    messages.success(request, "Bid submitted. You can withdraw it until the call closes.")
                else:
                    messages.success(request, "Draft saved.")
                return redirect("calls:bid", pk=pk)
            except ValidationFailed as exc:
                errors = exc.errors
            except DomainError as exc:
                errors = {"non_field_errors": [exc.message]}
    bid = selectors.bid_detail(bid)
    quarters = _bid_quarters(call)
    volumes = {(o.measure_id, o.financial_year, o.quarter): o.volume for o in bid.proposed_outcomes.all()}
    measures = [
        {
            "measure": link.measure,
            "minimum": link.minimum_volume,
            "tariff": next((r.tariff for r in bid.rate_card.all() if r.measure_id == link.measure_id), None),
            "cells": [
                {
                    "quarter": q,
                    "name": f"volume-{link.measure_id}-{q.financial_year.label}-{q.number}",
                    "value": volumes.get((link.measure_id, q.financial_year.label, q.number)),
                }
                for q in quarters
            ],
        }
        for link in bid.lot.lot_measures.select_related("measure")
    ]
    context = {
        "bid": bid, "call": call, "own": own, "errors": errors, "measures": measures, "quarters": quarters,
        "editable": own and bid.status == Bid.Status.DRAFT and now() < call.closes_at,
        "withdrawable": own and bid.status != Bid.Status.WITHDRAWN and now() < call.closes_at,
        "answers": {a.criterion_id: a.text for a in bid.answers.all()},
        "eligibility": {a.question_id: a for a in bid.eligibility_answers.all()},
        "budget": {b.category: b.amount for b in bid.budget_lines.all()},
        "social_value": bid.social_value.first(), "criteria": list(call.criteria.all()),
        "questions": call.eligibility_questions.all(),
        "budget_categories": BudgetLine.Category.choices,
        "vfm": selectors.bids_vfm([bid]).get(bid.pk),
        "summary_available": bid.status == Bid.Status.SUBMITTED
        and Award.objects.filter(lot_id=bid.lot_id).exists(),
    }  # fmt: skip
    if is_commissioner(request.user):
        context |= _assessment_context(request.user, bid)
    return render(request, "calls/bid.html", context)


def _assessment_context(user, bid: Bid) -> dict:
    call = bid.call
    assessor = Assessor.objects.filter(call=call, user=user).first()
    scores = selectors.scores_visible(user=user, bid=bid)
    mine = {s.criterion_id: s for s in scores if s.assessor_id == user.pk}
    submitted = bid.assessments.filter(assessor=user).exists()
    by_criterion: dict[int, list] = {}
    for s in scores:
        by_criterion.setdefault(s.criterion_id, []).append(s)
    moderations = {m.criterion_id: m for m in bid.moderations.all()}
    rows = [
        {
            "criterion": c,
            "mine": mine.get(c.pk),
            "all": by_criterion.get(c.pk, []),
            "spread": (max(x.score for x in by_criterion[c.pk]) - min(x.score for x in by_criterion[c.pk]))
            if by_criterion.get(c.pk)
            else 0,
            "moderation": moderations.get(c.pk),
        }  # fmt: skip
        for c in call.criteria.all()
    ]
    return {
        "assessor": assessor, "submitted": submitted, "score_rows": rows, "scale": range(6),
        "may_score": assessor is not None and not submitted and bid.status == Bid.Status.SUBMITTED
        and now() >= call.closes_at and not bid.excluded_reason,
        "is_lead": assessor is not None and assessor.is_lead and submitted,
    }  # fmt: skip


@post_action
def bid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = selectors.bid_get_visible(user=request.user, pk=pk)
    _run(request, lambda: services.bid_withdraw(user=request.user, bid=bid), "Bid withdrawn.")
    return redirect("calls:bid", pk=pk)


@post_action
def bid_score(request: HttpRequest, pk: int) -> HttpResponse:
    """Save this assessor's scores (and, with action=submit, submit them)."""
    bid = selectors.bid_get_visible(user=request.user, pk=pk)
    require(request.user, Action.ASSESS)
    problems = []
    for criterion in bid.call.criteria.all():
        raw = request.POST.get(f"score-{criterion.pk}")
        if raw in (None, ""):
            continue
        try:
            services.score_record(
                user=request.user, bid=bid, criterion=criterion, score=_int(raw),
                justification=request.POST.get(f"justification-{criterion.pk}", ""),
            )  # fmt: skip
        except ValidationFailed as exc:
            problems += [f"{criterion.name}: {m}" for ms in exc.errors.values() for m in ms]
        except DomainError as exc:
            problems.append(exc.message)
            break
    if not problems and request.POST.get("action") == "submit":
        _run(request, lambda: services.assessment_submit(user=request.user, bid=bid),
             "Scores submitted: they are fixed, and the other assessors' now show.")  # fmt: skip
    elif problems:
        for problem in problems:
            messages.error(request, problem)
    else:
        messages.success(request, "Scores saved.")
    return redirect("calls:bid", pk=pk)


@post_action
def bid_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    bid = selectors.bid_get_visible(user=request.user, pk=pk)
    criterion = Criterion.objects.filter(call=bid.call, pk=_int(request.POST.get("criterion"))).first()
    if criterion is not None:
        _run(
            request,
            lambda: services.moderation_record(
                user=request.user,
                bid=bid,
                criterion=criterion,
                score=_int(request.POST.get("score")),
                rationale=request.POST.get("rationale", ""),
                requested=bool(request.POST.get("requested")),
            ),  # fmt: skip
            f"Moderated score recorded for {criterion.name}; the assessors' scores are kept beside it.",
        )
    return redirect("calls:bid", pk=pk)


@post_action
def bid_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    bid = selectors.bid_get_visible(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    _run(request, lambda: services.bid_exclude(user=request.user, bid=bid, reason=reason),
         "Bid excluded; it is listed with the reason and not ranked.")  # fmt: skip
    return redirect("calls:bid", pk=pk)


@login_required
@refusals_as_pages
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Commissioners: assessors, the conflicts register, each bid's assessment, the ranking, the
    awards with their standstill, and concluding."""
    call = selectors.call_get_visible(user=request.user, pk=pk)
    require(request.user, Action.ASSESS)
    user = request.user
    bidders = Organisation.objects.filter(bids__call=call, bids__status=Bid.Status.SUBMITTED).distinct()
    declared = {d.organisation_id: d for d in InterestDeclaration.objects.filter(call=call, assessor=user)}
    ranking, ranking_blocked = None, ""
    try:
        selectors.require_ranking_visible(user=user, call=call)
        ranking = _ranking_rows(call)
    except DomainError as exc:
        ranking_blocked = exc.message
    lots = list(call.lots.all())
    rows = ranking or []
    awards = {
        a.lot_id: a
        for a in Award.objects.filter(lot__call=call).select_related("bid__organisation", "bid__programme")
    }
    context = {
        "call": call, "assessors": call.assessors.select_related("user"),
        "is_assessor": call.assessors.filter(user=user).exists(),
        "bidders": [{"organisation": o, "declaration": declared.get(o.pk)} for o in bidders],
        "bids": selectors.bids_visible(user=user, call=call).filter(status=Bid.Status.SUBMITTED)
        .prefetch_related("assessments"),
        "ranking": ranking, "ranking_blocked": ranking_blocked,
        "lots": [
            {"lot": lot, "award": awards.get(lot.pk), "rows": [r for r in rows if r["lot"] == lot.pk]}
            for lot in lots
        ],
        "closed": now() >= call.closes_at, "manages": has_permission(Action.CALL_MANAGE, user).allowed,
        "commissioners": _commissioners(),
    }  # fmt: skip
    return render(request, "calls/assessment.html", context)


def _commissioners():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name="Commissioner").order_by("username")


@post_action
def assessor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    from django.contrib.auth import get_user_model

    call = selectors.call_get_visible(user=request.user, pk=pk)
    require(request.user, Action.CALL_MANAGE)
    assessor = get_user_model().objects.filter(pk=_int(request.POST.get("user"))).first()
    if assessor is not None:
        _run(request, lambda: services.assessor_assign(user=request.user, call=call, assessor=assessor,
                                                       is_lead=bool(request.POST.get("is_lead"))),
             f"{assessor.get_username()} assigned.")  # fmt: skip
    return redirect("calls:assessment", pk=pk)


@post_action
def interest_declare(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    organisation = Organisation.objects.filter(pk=_int(request.POST.get("organisation"))).first()
    if organisation is not None:
        conflicted = request.POST.get("conflicted") == "yes"
        _run(
            request,
            lambda: services.interest_declare(
                user=request.user, call=call, organisation=organisation, conflicted=conflicted,
                description=request.POST.get("description", ""),
            ),
            f"Declared {'a conflict' if conflicted else 'no conflict'} with {organisation.name}.",
        )  # fmt: skip
    return redirect("calls:assessment", pk=pk)


@post_action
def award_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    lot = Lot.objects.filter(call=call, pk=_int(request.POST.get("lot"))).first()
    bid = Bid.objects.filter(call=call, pk=_int(request.POST.get("bid"))).first()
    if lot is None or bid is None:
        messages.error(request, "Choose the lot and the bid to recommend.")
    else:
        _run(request, lambda: services.award_recommend(user=request.user, lot=lot, bid=bid,
                                                       rationale=request.POST.get("rationale", "")),
             "Recommendation recorded: the standstill has started.")  # fmt: skip
    return redirect("calls:assessment", pk=pk)


@login_required
@require_POST
@reauthentication_required
@refusals_as_pages
def award_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_visible(user=request.user, pk=pk)
    award = Award.objects.filter(lot__call=call, lot_id=_int(request.POST.get("lot"))).first()
    if award is not None:
        _run(request, lambda: services.award_conclude(user=request.user, award=award),
             "Award concluded: the programme has been created from the winning bid.")  # fmt: skip
    return redirect("calls:assessment", pk=pk)


def _run(request: HttpRequest, action, success: str) -> bool:
    """Run a service; its refusal is shown on the page (a bad input or a state that forbids it)."""
    try:
        action()
    except ValidationFailed as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return False
    except DomainError as exc:
        if exc.status_code in (403, 404):
            raise
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


DEFAULT_CRITERIA = [
    ("Understanding of need", 40, "How well the bid understands the people, places and evidence of need."),
    ("Delivery model and outcomes", 40, "How credibly the model will deliver the priced outcomes."),
    (
        "Partnership and safeguarding",
        20,
        "Referral routes, partnership working, safeguarding and governance.",
    ),
]
DEFAULT_DESCRIPTORS = [
    "No response, or the response does not address the criterion.",
    "Poor: major gaps or serious concerns.",
    "Weak: some relevant content, significant gaps.",
    "Adequate: meets the requirement with minor gaps.",
    "Good: meets the requirement fully with evidence.",
    "Excellent: exceeds the requirement, with strong local evidence.",
]


def _datetime(value: str, field: str, errors: dict):
    from datetime import datetime

    from django.utils import timezone

    try:
        parsed = datetime.fromisoformat((value or "").strip())
    except ValueError:
        errors.setdefault(field, []).append("Give a date and time like 2010-02-01 12:00.")
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _date(value: str, field: str, errors: dict):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        errors.setdefault(field, []).append("Give a date like 2010-04-01.")
        return None


@login_required
@refusals_as_pages
def call_new(request: HttpRequest) -> HttpResponse:
    """Open a call: a draft with one lot and a default quality scheme (change it before
    publishing), pre-filled from a programme a review round decided to recommission."""
    from grants.models import FundingStream
    from grants.selectors import programme_get_visible
    from outcomes.models import OutcomeMeasure

    require(request.user, Action.CALL_MANAGE)
    # Every field the form reads, so a blank call renders as readily as a pre-filled one.
    fields = ("title", "specification", "commissioning_model", "funding_stream", "budget")
    prefill: dict = dict.fromkeys(fields, "")
    source = None
    if programme_id := _int(request.GET.get("programme") or request.POST.get("source_programme")):
        source = programme_get_visible(user=request.user, pk=programme_id)
        prefill |= selectors.prefill_from_programme(source)
    errors: dict = {}
    if request.method == "POST":
        post = request.POST
        stream = FundingStream.objects.filter(pk=_int(post.get("funding_stream"))).first()
        if stream is None:
            errors["funding_stream"] = ["Choose the funding stream the award will come from."]
        measure_ids = [m for m in (_int(v) for v in post.getlist("measures")) if m]
        fields = {
            "reference": post.get("reference", "").strip(), "title": post.get("title", "").strip(),
            "kind": post.get("kind", Call.Kind.GRANT), "specification": post.get("specification", ""),
            "commissioning_model": post.get("commissioning_model", Call.CommissioningModel.GRANT),
            "funding_stream": stream, "opens_at": _datetime(post.get("opens_at"), "opens_at", errors),
            "closes_at": _datetime(post.get("closes_at"), "closes_at", errors),
            "clarification_deadline": _datetime(
                post.get("clarification_deadline"), "clarification_deadline", errors
            ),
            "service_start": _date(post.get("service_start"), "service_start", errors),
            "service_end": _date(post.get("service_end"), "service_end", errors),
            "quality_weight": _int(post.get("quality_weight")) or 0,
            "price_weight": _int(post.get("price_weight")) or 0,
            "social_value_weight": _int(post.get("social_value_weight")) or 0,
            "quality_threshold": _decimal(post.get("quality_threshold"), "quality_threshold", errors),
            "price_method": post.get("price_method", Call.PriceMethod.RELATIVE), "source_programme": source,
        }  # fmt: skip
        budget = _decimal(post.get("budget"), "budget", errors)
        if not errors:
            try:
                call = services.call_create(
                    user=request.user,
                    fields=fields,
                    lots=[services.LotInput(1, post.get("lot_title", "").strip() or fields["title"], budget,
                                            [(m, Decimal(0)) for m in measure_ids])],
                    criteria=[
                        services.CriterionInput(n, w, DEFAULT_DESCRIPTORS, g) for n, w, g in DEFAULT_CRITERIA
                    ],
                    eligibility=[q for q in post.get("eligibility", "").splitlines() if q.strip()],
                    priority_ids=prefill.get("priority_ids", []),
                    primary_priority_id=prefill.get("primary_priority_id"),
                    theme_ids=prefill.get("theme_ids", []),
                    ward_ids=prefill.get("ward_ids", []),
                )  # fmt: skip
            except ValidationFailed as exc:
                errors = exc.errors
            else:
                messages.success(request, "Draft call created. Check it, then publish it.")
                return redirect("calls:call", pk=call.pk)
    context = {
        "errors": errors, "data": request.POST if request.method == "POST" else {}, "prefill": prefill,
        "source": source, "streams": FundingStream.objects.order_by("-financial_year", "name"),
        "measures": OutcomeMeasure.objects.order_by("name"), "kinds": Call.Kind.choices,
        "models": Call.CommissioningModel.choices, "methods": Call.PriceMethod.choices,
        "chosen_measures": {str(m) for m in request.POST.getlist("measures")}
        or {str(m) for m, _ in prefill.get("measures", [])},
    }  # fmt: skip
    return render(request, "calls/call_new.html", context)


@login_required
@refusals_as_pages
def bid_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The bid's assessment summary (PDF), once its lot's award is recommended: for the bidder's
    own staff and commissioners."""
    from django.http import Http404

    from .summary_pdf import render as render_pdf

    bid = selectors.bid_get_visible(user=request.user, pk=pk)
    figures = selectors.summary_figures(bid)
    if figures is None:
        raise Http404("There is no assessment summary until the lot's award is recommended.")
    response = HttpResponse(render_pdf(figures), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-summary-bid-{bid.pk}.pdf"'
    return response


@login_required
@refusals_as_pages
def call_scheme(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft call's scoring scheme (weights, threshold, price method, criteria with their
    anchored descriptors), lots (budgets, measures and minimum volumes) and eligibility
    questions, changed through call_update as the API does; fixed once the call opens."""
    from outcomes.models import OutcomeMeasure

    from .scheme_form import SCALE_POINTS, rows_from_call, rows_from_post, scheme_inputs

    call = selectors.call_get_visible(user=request.user, pk=pk)
    require(request.user, Action.CALL_MANAGE)
    errors: dict = {}
    if request.method == "POST":
        rows = rows_from_post(request.POST)
        inputs = scheme_inputs(rows, errors)
        if not errors:
            try:
                services.call_update(user=request.user, call=call, **inputs)
            except ValidationFailed as exc:
                errors = {("scheme" if k == "__all__" else k): v for k, v in exc.errors.items()}
            except DomainError as exc:
                if exc.status_code in (403, 404):
                    raise
                errors = {"scheme": [exc.message]}
            else:
                messages.success(request, "Scoring scheme and lots saved.")
                return redirect("calls:call", pk=pk)
    else:
        rows = rows_from_call(call)
    context = {
        "call": call, "rows": rows, "errors": errors, "editable": call.status == Call.Status.DRAFT,
        "measures": OutcomeMeasure.objects.order_by("name"), "methods": Call.PriceMethod.choices,
        "points": range(SCALE_POINTS),
    }  # fmt: skip
    return render(request, "calls/scheme.html", context)
