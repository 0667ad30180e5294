"""Web pages for finance: funding stream budgets, payments by results, and the CSV/Excel exports
of the programmes and returns lists. Views parse the request, call selectors and services, render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from grants import selectors, services
from grants.forms import PaymentForm, PaymentReverseForm
from grants.models import FundingStream, Programme
from grants.permissions import can_record_payment
from grants.roles import is_staff_role
from grants.views import filtered_programmes
from grants.views_returns import _add_errors, filtered_slots
from outcomes import spreadsheets
from outcomes.errors import Conflict, DomainError
from outcomes.periods import Quarter

ZERO = Decimal("0")


def _staff_only(request: HttpRequest) -> None:
    if not is_staff_role(request.user):
        raise PermissionDenied("Budgets cover every provider, so they are for partnership staff.")


# --- budgets ----------------------------------------------------------------------------------


@login_required
def budgets(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
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
    totals = {
        key: sum((getattr(r["line"], key) for r in rows), ZERO)
        for key in ("budget", "awarded", "available", "spent", "paid")
    }
    return render(
        request,
        "grants/finance/budgets.html",
        {"rows": rows, "totals": totals, "years": years, "year": year},
    )


@login_required
def stream_budget(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    stream = FundingStream.objects.select_related("funder").filter(pk=pk).first()
    if stream is None:
        raise Http404("There is no funding stream with that number.")
    line, programmes = selectors.stream_budget(stream)
    return render(
        request, "grants/finance/stream.html", {"stream": stream, "line": line, "programmes": programmes}
    )


# --- payments by results -------------------------------------------------------------------------


@login_required
def pbr_portfolio(request: HttpRequest) -> HttpResponse:
    programmes = list(
        selectors.pbr_programmes_visible_to(request.user)
        .select_related("provider", "funding_stream")
        .order_by("reference")
    )
    form = None
    if can_record_payment(request.user):
        form = PaymentForm(
            request.POST or None,
            programmes=selectors.pbr_programmes_visible_to(request.user).order_by("reference"),
            initial=_payment_initial(request),
        )
        recorded = request.method == "POST" and form.is_valid()
        if recorded and _record(request, form, form.cleaned_data["programme"]):
            return redirect(request.get_full_path())
    elif request.method == "POST":
        raise PermissionDenied("Only finance officers can record payments.")
    schedules = selectors.payment_schedules(programmes, today=timezone.localdate())
    rows = [{"programme": p, "schedule": schedules[p.pk]} for p in programmes]
    totals = {
        key: sum((getattr(r["schedule"], key) for r in rows), ZERO)
        for key in ("total_due", "due_to_date", "paid", "outstanding")
    }
    return render(request, "grants/finance/pbr.html", {"rows": rows, "totals": totals, "form": form})


@login_required
def programme_payments(request: HttpRequest, pk: int) -> HttpResponse:
    programme = (
        selectors.programmes_visible_to(request.user)
        .select_related("provider", "funding_stream")
        .filter(pk=pk)
        .first()
    )
    if programme is None:
        raise Http404("No programme with that number is visible to you.")
    is_pbr = programme.commissioning_model == Programme.Model.PAYMENT_BY_RESULTS
    form = None
    if is_pbr and can_record_payment(request.user):
        form = PaymentForm(
            request.POST or None,
            programmes=Programme.objects.filter(pk=programme.pk),
            initial={"programme": programme.pk, **_payment_initial(request)},
        )
        if request.method == "POST" and form.is_valid() and _record(request, form, programme):
            return redirect("finance-programme-payments", pk=programme.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only finance officers can record payments.")
    return render(
        request,
        "grants/finance/programme_payments.html",
        {
            "programme": programme,
            "is_pbr": is_pbr,
            "schedule": selectors.payment_schedule(programme, today=timezone.localdate()) if is_pbr else None,
            "payments": selectors.programme_payments(programme),
            "form": form,
            "can_reverse": can_record_payment(request.user),
        },
    )


@login_required
def payment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Reverse a payment recorded in error: a form asking why (also shown inline on the
    programme's payments page), then a linked reversal; the payment itself is kept."""
    payment = (
        selectors.payments_visible_to(request.user)
        .select_related("programme", "programme__provider", "recorded_by", "reversal", "reverses")
        .filter(pk=pk)
        .first()
    )
    if payment is None:
        raise Http404("No payment with that number is visible to you.")
    if not can_record_payment(request.user):
        raise PermissionDenied("Only finance officers can reverse payments.")
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
            _add_errors(form, exc)
        else:
            messages.success(request, f"Payment reversed: {reversal}.")
            return redirect("finance-programme-payments", pk=payment.programme_id)
    return render(request, "grants/finance/payment_reverse.html", {"payment": payment, "form": form})


def _payment_initial(request: HttpRequest) -> dict:
    current = Quarter.containing(timezone.localdate())
    initial = {
        "financial_year": current.financial_year.label,
        "quarter": current.number,
        "paid_on": timezone.localdate(),
    }
    for key in ("programme", "financial_year", "quarter"):
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
        _add_errors(form, exc)
        return False
    messages.success(request, f"Payment recorded: {payment}.")
    return True


# --- spreadsheet exports of the list pages -------------------------------------------------------

PROGRAMME_COLUMNS = [
    "Reference", "Title", "Provider", "Provider org-id", "Funding stream", "Stream year",
    "Primary priority", "Commissioning model", "Status", "Award (£)", "Service fee (£)",
    "Start date", "End date",
]  # fmt: skip
RETURN_COLUMNS = [
    "Financial year", "Quarter", "Programme reference", "Programme", "Provider", "Measure",
    "Target", "Value", "Spend (£)", "State", "Revision", "Late", "Submitted at", "Reviewed at",
    "Query reason", "Notes",
]  # fmt: skip


def _format(fmt: str) -> str:
    if fmt not in spreadsheets.FORMATS:
        raise Http404("Exports come as .csv or .xlsx.")
    return fmt


@login_required
def programmes_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The programmes list as a spreadsheet: the page's filters, the user's visibility."""
    programmes, _ = filtered_programmes(request)
    rows = []
    for p in programmes:
        primary = next((link.priority.name for link in p.programme_priorities.all() if link.is_primary), "")
        rows.append([
            p.reference, p.title, p.provider.name, p.provider.org_id, p.funding_stream.name,
            p.funding_stream.financial_year, primary, p.get_commissioning_model_display(),
            p.get_status_display(), p.award_amount, p.service_fee, p.start_date, p.end_date,
        ])  # fmt: skip
    return spreadsheets.download(
        _format(fmt),
        PROGRAMME_COLUMNS,
        rows,
        filename=f"programmes-{timezone.localdate():%Y-%m-%d}",
        sheet="Programmes",
        money=("Award (£)", "Service fee (£)"),
    )


@login_required
def returns_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The returns page as a spreadsheet: one row per return owed or made, in the page's state."""
    _, state, slots = filtered_slots(request)
    rows = []
    for slot in slots:
        target, made = slot["target"], slot["return"]
        rows.append([
            target.financial_year, target.quarter, target.programme.reference, target.programme.title,
            target.programme.provider.name, target.measure.name, target.target_value,
            made.value if made else None, made.spend if made else None, slot["state"],
            made.revision if made else None, ("yes" if made.is_late else "no") if made else None,
            made.submitted_at if made else None, made.reviewed_at if made else None,
            made.query_reason if made else "", made.notes if made else "",
        ])  # fmt: skip
    suffix = f"-{state}" if state else ""
    return spreadsheets.download(
        _format(fmt),
        RETURN_COLUMNS,
        rows,
        filename=f"returns{suffix}-{timezone.localdate():%Y-%m-%d}",
        sheet="Returns",
        money=("Spend (£)",),
    )
