"""Web pages for outcome returns: providers' returns and forms, Excel upload, the review queue.

The same services as the API, so the same rules and messages.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from core import clock
from core.errors import DomainError, ValidationFailed, field_errors
from core.files import spreadsheets
from core.files.uploads import read_limited
from core.forms import add_domain_error
from core.http import refusals_as_pages
from grants import selectors, services
from grants.forms import AmendReturnForm, QueryForm, ReopenForm, ReturnsUploadForm
from grants.models import OutcomeMeasure, OutcomeReturn
from grants.permissions import Action, has_permission, require
from grants.returns_excel import parse_returns, template_workbook
from grants.services.returns import HIGH_VALUE
from outcomes.periods import PeriodError, Quarter


def _window() -> int:
    return settings.YARDSTICK["RETURN_WINDOW_DAYS"]


def filtered_slots(request: HttpRequest) -> tuple[list[dict], str, list[dict]]:
    """Every return slot the user may see, the state filter, and the slots in that state; shared
    with the page's CSV/Excel export."""
    all_slots = selectors.return_slots(request.user, today=clock.today(), window_days=_window())
    state = request.GET.get("state", "")
    slots = [s for s in all_slots if s["state"] == state] if state else all_slots
    return all_slots, state, slots


def _owed(request: HttpRequest, slots: list[dict] | None = None) -> list:
    return selectors.owed_quarters(request.user, today=clock.today(), window_days=_window(), slots=slots)


@login_required
def returns_overview(request: HttpRequest) -> HttpResponse:
    all_slots, state, slots = filtered_slots(request)
    counts: dict[str, int] = {}
    for slot in all_slots:
        counts[slot["state"]] = counts.get(slot["state"], 0) + 1
    page = Paginator(slots, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/returns/overview.html",
        {
            "page": page,
            "counts": counts,
            "state": state,
            "window": _window(),
            "owed": _owed(request, all_slots),
        },
    )


@login_required
@refusals_as_pages
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One return, read-only, with its history: a verified return is shown here (it is locked),
    with a "Reopen" form for commissioners; a submitted or queried one links to its amend form."""
    outcome_return = selectors.return_get_visible(
        user=request.user,
        pk=pk,
        queryset=selectors.with_quarter_target(
            OutcomeReturn.objects.select_related(
                "measure", "programme__provider", "submitted_by", "reviewed_by"
            )
        ),
    )
    verified = outcome_return.status == OutcomeReturn.Status.VERIFIED
    return render(
        request,
        "grants/returns/detail.html",
        {
            "outcome_return": outcome_return,
            "history": services.return_history(outcome_return),
            "can_amend": not verified
            and has_permission(Action.RETURN_SUBMIT, request.user, outcome_return.programme).allowed,
            "can_reopen": verified
            and has_permission(Action.RETURN_REVIEW, request.user, outcome_return).allowed,
            "reopen_form": ReopenForm(),
        },
    )


@login_required
@require_POST
@refusals_as_pages
def return_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    outcome_return = _reviewable(request, pk)
    form = ReopenForm(request.POST)
    try:
        services.return_reopen(
            user=request.user, outcome_return=outcome_return, reason=form.data.get("reason", "")
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        outcome_return.refresh_from_db()
        return render(
            request,
            "grants/returns/detail.html",
            {
                "outcome_return": outcome_return,
                "history": services.return_history(outcome_return),
                "can_amend": False,
                "can_reopen": outcome_return.status == OutcomeReturn.Status.VERIFIED,
                "reopen_form": form,
            },
            status=400 if isinstance(exc, ValidationFailed) else 409,
        )
    messages.success(
        request,
        f"Reopened {outcome_return}: it is back in the verification queue and the provider may amend it.",
    )
    return redirect("return-detail", pk=outcome_return.pk)


@login_required
@refusals_as_pages
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outcome_return = selectors.return_get_visible(
        user=request.user, pk=pk, queryset=OutcomeReturn.objects.select_related("measure")
    )
    if outcome_return.status == OutcomeReturn.Status.VERIFIED:
        # Locked: shown read-only; a commissioner may reopen it there.
        messages.info(
            request, "This return has been verified and is locked: it can be amended only once reopened."
        )
        return redirect("return-detail", pk=outcome_return.pk)
    form = AmendReturnForm(request.POST or None, instance=outcome_return)
    asked = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.return_amend(
                user=request.user,
                outcome_return=outcome_return,
                value=data["value"],
                spend=data["spend"],
                notes=data["notes"],
                clear_spend=data["spend"] is None,
                confirm_high_value=form.confirmed_high_value,
            )
        except DomainError as exc:
            asked = exc.code == HIGH_VALUE
            outcome_return.refresh_from_db()
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"Return amended: {outcome_return} is now revision {outcome_return.revision + 1}."
            )
            return redirect("returns")
    form.offer_confirmation(asked)
    return render(
        request,
        "grants/returns/form.html",
        {"form": form, "outcome_return": outcome_return, "title": f"Amend the return for {outcome_return}"},
    )


@login_required
def returns_upload(request: HttpRequest) -> HttpResponse:
    form = ReturnsUploadForm(request.POST or None, request.FILES or None)
    row_errors: dict = {}
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_upload(request, form.cleaned_data["file"])
        except ValidationFailed as exc:
            row_errors = exc.extra.get("rows") or {}
            if not row_errors:
                form.add_error("file", exc.message)
        else:
            messages.success(request, f"{len(saved)} returns saved from the workbook.")
            return redirect("returns")
    return render(
        request,
        "grants/returns/upload.html",
        {"form": form, "row_errors": sorted(row_errors.items()), "owed": _owed(request)},
    )


@login_required
def returns_template(request: HttpRequest) -> HttpResponse:
    """The Excel template of one quarter the user's programmes owe returns for (due or late)."""
    try:
        quarter = Quarter.of(request.GET.get("financial_year", ""), int(request.GET.get("quarter", "0")))
    except (PeriodError, ValueError):
        raise Http404("Choose a financial year and quarter for the template.") from None
    owed = selectors.owed_quarter(request.user, quarter, today=clock.today(), window_days=_window())
    if owed is None:
        raise Http404(
            f"No returns are owed for {quarter}: templates are offered for quarters that have ended "
            "and still have returns to make (see the Upload returns page)."
        )
    response = HttpResponse(
        template_workbook(owed),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"returns-{quarter.financial_year.label.replace('/', '-')}-q{quarter.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@refusals_as_pages
def returns_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.RETURN_REVIEW)
    return _render_queue(request, request.GET)


def _render_queue(
    request: HttpRequest,
    params,
    *,
    chosen: set[int] | None = None,
    refusals: dict[str, str] | None = None,
    problem: str = "",
) -> HttpResponse:
    """The verification queue: submitted returns oldest first, each beside its quarter's target
    and flagged when far above it; a checkbox each to verify several at once. After a refused
    "Verify selected" it is shown again (400) with the refusals, the choices kept."""
    returns = selectors.returns_awaiting_review(request.user)
    query = params.get("q", "").strip()
    if query:
        returns = returns.filter(
            Q(programme__title__icontains=query) | Q(programme__reference__icontains=query)
        )
    page = Paginator(returns, 30).get_page(params.get("page"))
    refusals = refusals or {}
    for outcome_return in page.object_list:
        outcome_return.chosen = outcome_return.pk in (chosen or set())
        outcome_return.refusal = refusals.get(str(outcome_return.pk), "")
    on_page = {str(r.pk) for r in page.object_list}
    errors = [{"message": problem, "href": ""}] if problem else []
    errors += [
        {"message": reason, "href": f"#verify-{pk}" if pk in on_page else ""}
        for pk, reason in refusals.items()
    ]
    return render(
        request,
        "grants/returns/queue.html",
        {
            "page": page,
            "query": query,
            "query_form": QueryForm(),
            "errors": errors,
            "back": _queue_url(query, params.get("page", "")),
        },
        status=400 if errors else 200,
    )


def _queue_url(query: str, page: str) -> str:
    params = {k: v for k, v in (("q", query), ("page", page)) if v}
    return reverse("returns-queue") + (f"?{urlencode(params)}" if params else "")


@login_required
@require_POST
@refusals_as_pages
def returns_verify_selected(request: HttpRequest) -> HttpResponse:
    """Verify the returns ticked in the queue, all or none (grants.services.returns_bulk_verify)."""
    require(request.user, Action.RETURN_REVIEW)
    ids: list[int] = []
    for raw in request.POST.getlist("returns"):
        try:
            ids.append(int(raw))
        except ValueError:
            return _render_queue(
                request, request.POST, problem=f"“{raw}” is not a return: choose from the list."
            )
    try:
        verified = services.returns_bulk_verify(user=request.user, return_ids=ids)
    except ValidationFailed as exc:
        return _render_queue(
            request,
            request.POST,
            chosen=set(ids),
            refusals=exc.extra.get("errors") or {},
            problem=exc.message,
        )
    messages.success(request, f"Verified {len(verified)} return{'' if len(verified) == 1 else 's'}.")
    return _back_to_queue(request)


@login_required
@require_POST
@refusals_as_pages
def return_verify(request: HttpRequest, pk: int) -> HttpResponse:
    outcome_return = _reviewable(request, pk)
    try:
        services.return_verify(user=request.user, outcome_return=outcome_return)
        messages.success(request, f"Verified {outcome_return}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back_to_queue(request)


@login_required
@require_POST
@refusals_as_pages
def return_query(request: HttpRequest, pk: int) -> HttpResponse:
    outcome_return = _reviewable(request, pk)
    form = QueryForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.return_query(user=request.user, outcome_return=outcome_return, reason=reason)
        messages.success(request, f"Queried {outcome_return}; the provider has been asked to amend it.")
    except DomainError as exc:
        messages.error(request, f"{outcome_return}: {exc.message}")
    return _back_to_queue(request)


def _back_to_queue(request) -> HttpResponse:
    """Back to the page the form was on (`next`, the queue with its search and page) if that is
    on this site; anything else (another host, a scheme like javascript:) goes to the queue."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("returns-queue")


def _reviewable(request, pk: int):
    outcome_return = selectors.return_get_visible(user=request.user, pk=pk)
    require(request.user, Action.RETURN_REVIEW, outcome_return)
    return outcome_return


def _save_upload(request, upload) -> list:
    data = read_limited(upload, settings.YARDSTICK["MAX_UPLOAD_BYTES"])
    programmes = {p.reference: p for p in selectors.programmes_visible_to(request.user)}
    measures = {m.code: m for m in OutcomeMeasure.objects.all()}
    items, row_numbers, errors = parse_returns(data, programmes, measures)
    if not items and not errors:
        raise ValidationFailed({"file": ["The workbook has no returns in it: fill in the Value column."]})
    if errors.get(1):
        raise ValidationFailed(errors[1])
    index_errors = {i: errors[n] for i, n in enumerate(row_numbers) if n in errors}
    try:
        return services.returns_bulk_submit(user=request.user, items=items, input_errors=index_errors)
    except ValidationFailed as exc:
        by_index = exc.extra.get("errors") or {}
        rows = {row_numbers[int(i)]: field_errors(e) for i, e in by_index.items()} if by_index else {}
        if not rows:
            raise
        raise ValidationFailed(exc.errors, rows=rows) from exc


# --- spreadsheet export of the page -----------------------------------------------------------

RETURN_COLUMNS = [
    "Financial year", "Quarter", "Programme reference", "Programme", "Provider", "Measure",
    "Target", "Value", "Spend (£)", "State", "Revision", "Late", "Submitted at", "Reviewed at",
    "Query reason", "Notes",
]  # fmt: skip


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
        spreadsheets.export_format(fmt),
        RETURN_COLUMNS,
        rows,
        filename=f"returns{suffix}-{clock.today():%Y-%m-%d}",
        sheet="Returns",
        money=("Spend (£)",),
    )
