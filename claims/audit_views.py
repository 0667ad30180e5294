"""Sampling audit pages: the list, drawing a sample, checking each sampled claim, concluding and
posting the clawback. Each page calls the same services as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims import selectors, services
from claims.audit_forms import AuditDrawForm, AuditMarkForm
from claims.models import AuditedClaim, ClaimAudit
from claims.permissions import Action, has_permission, require
from core.errors import DomainError
from core.forms import add_domain_error
from core.http import refusals_as_pages
from grants.permissions import Action as GrantsAction
from grants.permissions import has_permission as grants_permission
from grants.selectors import programmes_visible_to


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    audits = selectors.audits_visible_to(request.user).order_by("-drawn_at", "-id")[:200]
    context = {"audits": audits, "can_manage": has_permission(Action.AUDIT_MANAGE, request.user).allowed}
    return render(request, "claims/audits/list.html", context)


@login_required
@refusals_as_pages
def audit_draw(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.AUDIT_MANAGE)
    programmes = programmes_visible_to(request.user).filter(payable_outcomes__isnull=False).distinct()
    programmes = list(programmes.order_by("reference"))
    form = AuditDrawForm(request.POST or None, programmes=programmes, initial={"method": "random"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.audit_draw(
                user=request.user,
                data=services.AuditRequest(
                    programme_id=data["programme"],
                    financial_year=data["financial_year"].strip(),
                    quarter=data["quarter"],
                    method=data["method"],
                    risk=data["risk"] if data["method"] == ClaimAudit.Method.RISK else "",
                    size=data["size"],
                    percent=data["percent"],
                    seed=data["seed"],
                ),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Drew a sample of {audit.items.count()} claims (seed {audit.seed}).")
            return redirect("claim-audit-detail", pk=audit.pk)
    return render(request, "claims/audits/draw.html", {"form": form, "has_programmes": bool(programmes)})


@login_required
@refusals_as_pages
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_get_visible(user=request.user, pk=pk)
    items = list(selectors.audit_items(audit))
    can_manage = has_permission(Action.AUDIT_MANAGE, request.user).allowed
    context = {
        "audit": audit,
        "items": items,
        "pending": sum(1 for i in items if i.result == AuditedClaim.Result.PENDING),
        "can_manage": can_manage and audit.status == ClaimAudit.Status.OPEN,
        "can_post_clawback": (
            audit.status == ClaimAudit.Status.CONCLUDED
            and audit.clawback_id is None
            and (audit.clawback_amount or 0) > 0
            and grants_permission(GrantsAction.PAYMENT_RECORD, request.user, audit.programme).allowed
        ),
    }
    return render(request, "claims/audits/detail.html", context)


@login_required
@require_POST
@refusals_as_pages
def audit_mark(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_get_visible(user=request.user, pk=pk)
    require(request.user, Action.AUDIT_MANAGE)
    form = AuditMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose valid or invalid for the claim.")
        return redirect("claim-audit-detail", pk=pk)
    data = form.cleaned_data
    try:
        item = services.audit_claim_mark(
            user=request.user, audit=audit, item_id=data["item"], valid=data["valid"], reason=data["reason"]
        )
        messages.success(request, f"Claim {item.claim_id} marked {item.get_result_display().lower()}.")
    except DomainError as exc:
        messages.error(request, f"Claim {data['item']}: {exc.message}")
    return redirect(reverse("claim-audit-detail", args=[pk]) + f"#item-{data['item']}")


@login_required
@require_POST
@refusals_as_pages
def audit_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_get_visible(user=request.user, pk=pk)
    require(request.user, Action.AUDIT_MANAGE)
    try:
        services.audit_conclude(user=request.user, audit=audit)
        messages.success(request, "Audit concluded; the invalid sampled claims are rejected.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("claim-audit-detail", pk=pk)


@login_required
@require_POST
@refusals_as_pages
def audit_clawback(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_get_visible(user=request.user, pk=pk)
    try:
        payment = services.audit_post_clawback(user=request.user, audit=audit)
        messages.success(request, f"Posted the clawback: {payment}.")
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        messages.error(request, exc.message)
    return redirect("claim-audit-detail", pk=pk)
