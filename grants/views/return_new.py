"""Submitting a return in two steps that work without JavaScript: first the programme and one of
the quarters it owes (grants.selectors.owed_quarters), then the figures for one of the measures it
owes in that quarter, each shown with its target. The same service as the API and the upload."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from core import clock
from core.errors import DomainError
from core.forms import add_domain_error
from grants import selectors, services
from grants.forms import ReturnChoiceForm, ReturnForm, period_value
from grants.models import OutcomeMeasure
from grants.permissions import Action, has_permission
from grants.selectors.returns import OwedQuarter
from grants.services.returns import HIGH_VALUE, RETURN_EXISTS

CHOOSE = "choose"


def _owed(request: HttpRequest) -> list[OwedQuarter]:
    """The quarters offered, oldest first: those owing returns (late or due, as
    grants.selectors.owed_quarters has them) and the quarter under way (its returns may be sent
    once it has started), each with its slots still to make."""
    today = clock.today()
    slots = selectors.return_slots(
        request.user, today=today, window_days=settings.YARDSTICK["RETURN_WINDOW_DAYS"]
    )
    by_quarter: dict = {}
    for slot in slots:
        if slot["state"] in ("late", "due", "open"):
            by_quarter.setdefault(slot["quarter"], []).append(slot)
    offered = []
    for quarter, open_slots in sorted(by_quarter.items()):
        open_slots.sort(key=lambda s: (s["target"].programme.reference, s["target"].measure.name))
        deadline = open_slots[0]["deadline"]
        state = "late" if today > deadline else ("due" if today > quarter.end else "open")
        offered.append(OwedQuarter(quarter, deadline, state, open_slots))
    return offered


def _step_two_url(programme_id: int, period: str) -> str:
    return f"{reverse('return-new')}?{urlencode({'programme': programme_id, 'period': period})}"


@login_required
def return_new(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programmes_visible_to(request.user).order_by("reference")
    owed = _owed(request)
    if request.method == "POST" and request.POST.get("step") != CHOOSE:
        return _figures(request, programmes, owed)
    # Step 1: choose the programme and quarter (a POST that redirects to step 2, or the GET
    # parameters of step 2's address when they are not a quarter the programme owes).
    owing_ids = {s["target"].programme_id for o in owed for s in o.slots}
    verdicts = {
        p.pk: has_permission(Action.RETURN_SUBMIT, request.user, p)
        for p in programmes.filter(pk__in=owing_ids)
    }
    allowed = [pk for pk, verdict in verdicts.items() if verdict.allowed]
    refusal = next((v.reason for v in verdicts.values() if not v.allowed), "") if not allowed else ""
    owed = [o for o in owed if any(s["target"].programme_id in allowed for s in o.slots)]
    data = request.POST if request.method == "POST" else (_chosen(request.GET) if request.GET else None)
    choice = ReturnChoiceForm(data, programmes=programmes.filter(pk__in=allowed), owed=owed)
    if data is not None and choice.is_valid():
        programme, period = choice.cleaned_data["programme"], choice.cleaned_data["period"]
        if request.method == "POST":
            return redirect(_step_two_url(programme.pk, period))
        return _figures(request, programmes, owed, programme=programme, period=period)
    return render(
        request,
        "grants/returns/new_choose.html",
        {"form": choice, "owed": owed, "refusal": refusal, "title": "Submit a return"},
    )


def _figures(request: HttpRequest, programmes, owed: list[OwedQuarter], *, programme=None, period=""):
    """Step 2: the figures for one measure. A POST carries the programme, year and quarter (hidden
    fields) and is checked by the service like any other return."""
    posted = request.method == "POST"
    if posted:
        programme = programmes.filter(pk=_int(request.POST.get("programme"))).first()
        period = f"{request.POST.get('financial_year', '').strip()}-Q{request.POST.get('quarter', '')}"
    quarter_owed = next((o for o in owed if period_value(o.quarter) == period), None)
    slots = (
        [s for s in quarter_owed.slots if programme and s["target"].programme_id == programme.pk]
        if quarter_owed
        else []
    )
    targets = {s["target"].measure_id: _target_text(s["target"]) for s in slots}
    # A step-2 form (marked "step2") is shown again as step 2 with its targets; a return posted
    # whole (every field, as the form was before the two steps) may name any of the programme's
    # measures, so that the service's own refusals (already made, outside its dates) are shown.
    step_two = not posted or ("step2" in request.POST and bool(targets))
    if posted:
        measures = OutcomeMeasure.objects.filter(targets__programme=programme).distinct() if programme else []
        if step_two:
            measures = OutcomeMeasure.objects.filter(pk__in=targets)
        form = ReturnForm(request.POST, programmes=programmes, measures=_ordered(measures),
                          targets=targets if step_two else None)  # fmt: skip
    else:
        initial = {"programme": programme.pk, "financial_year": quarter_owed.quarter.financial_year.label,
                   "quarter": quarter_owed.quarter.number}  # fmt: skip
        if len(targets) == 1:
            initial["measure"] = next(iter(targets))
        elif _int(request.GET.get("measure")) in targets:  # a link to one return owed
            initial["measure"] = _int(request.GET.get("measure"))
        measures = OutcomeMeasure.objects.filter(pk__in=targets)
        form = ReturnForm(
            programmes=programmes, measures=_ordered(measures), targets=targets, initial=initial
        )
    asked = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = services.ReturnInput(
            programme_id=data["programme"].pk,
            measure_id=data["measure"].pk,
            financial_year=data["financial_year"].strip(),
            quarter=data["quarter"],
            value=data["value"],
            spend=data["spend"],
            notes=data["notes"],
            confirm_high_value=form.confirmed_high_value,
        )
        try:
            created = services.return_submit(user=request.user, data=item)
        except DomainError as exc:
            asked = exc.code == HIGH_VALUE
            if exc.code == RETURN_EXISTS:
                form.add_error(None, amend_it_here(exc))
            else:
                add_domain_error(form, exc)
        else:
            return _after_submit(request, created, owed_before=owed)
    form.offer_confirmation(asked)
    return render(
        request,
        "grants/returns/form.html",
        {
            "form": form,
            "title": "Submit a return",
            "step_two": step_two,
            "programme": programme,
            "quarter": quarter_owed.quarter if quarter_owed else "",
            "deadline": quarter_owed.deadline if quarter_owed else None,
            "late": quarter_owed is not None and quarter_owed.state == "late",
            "under_way": quarter_owed is not None and quarter_owed.state == "open",
            "change_url": reverse("return-new"),
        },
    )


def _chosen(params) -> dict:
    """Step 2's address: ?programme=&period=2010/11-Q1; links name the quarter as period=2010/11-1
    (the provider's home page) or as financial_year= and quarter= (the returns page)."""
    chosen = params.dict()
    period = chosen.get("period", "")
    if not period and chosen.get("financial_year") and chosen.get("quarter"):
        period = f"{chosen['financial_year']}-Q{chosen['quarter']}"
    elif re.fullmatch(r"\d{4}/\d{2}-\d", period):
        period = f"{period[:-1]}Q{period[-1]}"
    chosen["period"] = period
    return chosen


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def _ordered(measures):
    return measures.order_by("name") if hasattr(measures, "order_by") else OutcomeMeasure.objects.none()


def _target_text(target) -> str:
    measure = target.measure
    value = target.target_value
    whole = measure.whole_numbers_only and value == value.to_integral()
    shown = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return f"{shown} {measure.unit}"


def _after_submit(request: HttpRequest, created, *, owed_before: list[OwedQuarter]) -> HttpResponse:
    """Back to the same programme and quarter while it still owes other measures' returns, else
    to the returns page."""
    late = " It was flagged late." if created.is_late else ""
    period = f"{created.financial_year}-Q{created.quarter}"
    quarter_owed = next((o for o in owed_before if period_value(o.quarter) == period), None)
    left = [
        s
        for s in (quarter_owed.slots if quarter_owed else [])
        if s["target"].programme_id == created.programme_id and s["target"].measure_id != created.measure_id
    ]
    if left:
        messages.success(
            request,
            f"Return submitted for {created}.{late} {len(left)} more owed for this programme and quarter.",
        )
        return redirect(_step_two_url(created.programme_id, period))
    messages.success(request, f"Return submitted for {created}.{late}")
    return redirect("returns")


def amend_it_here(exc: DomainError) -> SafeString:
    """The duplicate-return message as the web form shows it: "…(id 14); amend it here." with a
    link to that return's edit page (the API says PATCH instead; the service says neither)."""
    url = reverse("return-edit", args=[exc.extra["existing_id"]])
    return format_html('{}; <a href="{}">amend it here</a>.', exc.message.removesuffix("."), url)
