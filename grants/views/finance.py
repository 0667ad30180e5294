"""Web pages for finance: funding stream budgets and payments by results."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.security import reauthentication_required
from core import clock
from core.errors import Conflict, DomainError
from core.forms import add_domain_error
from core.http import refusals_as_pages
from grants import selectors, services
from grants.forms import PaymentForm, PaymentReverseForm
from grants.models import FundingStream, Payment, Programme
from grants.permissions import Action, has_permission, require

ZERO = Decimal("0")
BUDGET_AMOUNTS = ("budget", "awarded", "spent", "spend_returned")


# --- budgets ----------------------------------------------------------------------------------


@login_required
@refusals_as_pages
def budgets(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.BUDGET_VIEW)
    years = list(
        FundingStream.objects.order_by("-financial_year").values_list("financial_year", flat=True).distinct()
    )
    year = request.GET.get("year", "")
    streams = FundingStream.objects.select_related("funder").order_by("-financial_year", "name")
    if year:
        streams = streams.filter(financial_year=year)
    streams = list(streams)
    lines = selectors.stream_budgets(streams)
    rows = [{"stream": s, "line": lines[s.pk]} for s in streams]
    total = selectors.BudgetLine(
        **{key: sum((getattr(r["line"], key) for r in rows), ZERO) for key in BUDGET_AMOUNTS}
    )
    totals = {key: getattr(total, key) for key in (*BUDGET_AMOUNTS, "available", "percent_spent")}
    return render(
        request,
        "grants/finance/budgets.html",
        {
            "rows": rows,
            "totals": totals,
            "years": years,
            "year": year,
            "may_change_streams": _may_change(request),
        },
    )


@login_required
@refusals_as_pages
def stream_budget(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.BUDGET_VIEW)
    stream = selectors.stream_get_visible(user=request.user, pk=pk)
    line, programmes = selectors.stream_budget(stream)
    return render(
        request,
        "grants/finance/stream.html",
        {
            "stream": stream,
            "line": line,
            "programmes": programmes,
            "may_change_streams": _may_change(request),
        },
    )


def _may_change(request: HttpRequest) -> bool:
    return has_permission(Action.STREAM_CHANGE, request.user).allowed


# --- payments by results -------------------------------------------------------------------------


@login_required
@reauthentication_required
@refusals_as_pages
def pbr_portfolio(request: HttpRequest) -> HttpResponse:
    programmes = list(
        selectors.pbr_programmes_visible_to(request.user)
        .select_related("provider", "funding_stream")
        .order_by("reference")
    )
    form = None
    if has_permission(Action.PAYMENT_RECORD, request.user).allowed:
        form = PaymentForm(
            request.POST or None,
            programmes=selectors.pbr_programmes_visible_to(request.user).order_by("reference"),
            initial=_payment_initial(request),
        )
        recorded = request.method == "POST" and form.is_valid()
        if recorded and _record(request, form, form.cleaned_data["programme"]):
            return redirect(request.get_full_path())
    elif request.method == "POST":
        require(request.user, Action.PAYMENT_RECORD)
    schedules = selectors.payment_schedules(programmes, today=clock.today())
    rows = [{"programme": p, "schedule": schedules[p.pk]} for p in programmes]
    totals = {
        key: sum((getattr(r["schedule"], key) for r in rows), ZERO)
        for key in ("total_due", "due_to_date", "paid", "outstanding")
    }
    return render(request, "grants/finance/pbr.html", {"rows": rows, "totals": totals, "form": form})


@login_required
@reauthentication_required
@refusals_as_pages
def programme_payments(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_get_visible(
        user=request.user, pk=pk, queryset=Programme.objects.select_related("provider", "funding_stream")
    )
    is_pbr = programme.commissioning_model == Programme.Model.PAYMENT_BY_RESULTS
    may_record = has_permission(Action.PAYMENT_RECORD, request.user).allowed
    form = None
    if is_pbr and may_record:
        form = PaymentForm(
            request.POST or None,
            programmes=Programme.objects.filter(pk=programme.pk),
            initial=_payment_initial(request, programme),
        )
        if request.method == "POST" and form.is_valid() and _record(request, form, programme):
            return redirect("finance-programme-payments", pk=programme.pk)
    elif request.method == "POST":
        require(request.user, Action.PAYMENT_RECORD)
    return render(
        request,
        "grants/finance/programme_payments.html",
        {
            "programme": programme,
            "is_pbr": is_pbr,
            "schedule": selectors.payment_schedule(programme, today=clock.today()) if is_pbr else None,
            "payments": selectors.programme_payments(programme),
            "form": form,
            "can_reverse": may_record,
        },
    )


@login_required
@reauthentication_required
@refusals_as_pages
def payment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse a payment recorded in error: a form asking why (also shown inline on the
    programme's payments page), then a linked reversal; the payment itself is kept."""
    payment = selectors.payment_get_visible(
        user=request.user,
        pk=pk,
        queryset=Payment.objects.select_related("programme__provider", "recorded_by", "reversal", "reverses"),
    )
    require(request.user, Action.PAYMENT_RECORD, payment)
    form = PaymentReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.payment_reverse(
                user=request.user, payment=payment, reason=form.cleaned_data["reason"]
            )
        except Conflict as exc:  # reversed meanwhile, or a reversal: the page now says which
            messages.error(request, exc.message)
            return redirect("finance-payment-reverse", pk=payment.pk)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Payment reversed: {reversal}.")
            return redirect("finance-programme-payments", pk=payment.programme_id)
    return render(request, "grants/finance/payment_reverse.html", {"payment": payment, "form": form})


def _payment_initial(request: HttpRequest, programme: Programme | None = None) -> dict:
    """Defaults for the payment form: paid today, for the programme's next payment due (its
    earliest started quarter with money outstanding, and that amount). On the portfolio page the
    programme comes from ?programme= (the "Record" links); the query string may name the quarter."""
    today = clock.today()
    initial: dict = {"paid_on": today}
    if programme is None and request.GET.get("programme", "").isdigit():
        visible = selectors.pbr_programmes_visible_to(request.user)
        programme = visible.filter(pk=request.GET["programme"]).first()
    if programme is not None:
        initial["programme"] = programme.pk
        due = selectors.next_payment_due(programme, today=today)
        if due is not None:
            initial.update(financial_year=due.financial_year, quarter=due.number, amount=due.outstanding)
    for key in ("financial_year", "quarter"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    return initial


def _record(request: HttpRequest, form: PaymentForm, programme: Programme) -> bool:
    data = form.cleaned_data
    try:
        payment = services.payment_record(
            user=request.user,
            programme=programme,
            financial_year=data["financial_year"].strip(),
            quarter=data["quarter"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            reference=data["reference"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, f"Payment recorded: {payment}.")
    return True
