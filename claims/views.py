"""The claims ledger in the web app: providers follow their claims, commissioners verify or reject."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from claims import selectors, services
from claims.models import Claim
from claims.permissions import Action, has_permission, require
from core.errors import DomainError
from core.http import refusals_as_pages
from grants.selectors import programmes_visible_to

PAGE_SIZE = 50


@login_required
def claims_ledger(request: HttpRequest) -> HttpResponse:
    """Claims the user may see, newest first; filtered by status and programme."""
    claims = selectors.claims_visible_to(request.user).select_related(
        "participant", "programme", "measure", "submitted_by"
    )
    status = request.GET.get("status", "")
    if status in Claim.Status.values:
        claims = claims.filter(status=status)
    programmes = programmes_visible_to(request.user).filter(payable_outcomes__isnull=False).distinct()
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        claims = claims.filter(programme_id=int(programme))
    page = Paginator(claims.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Claim.Status.choices,
        "programme": programme,
        "programmes": programmes.order_by("reference"),
        "can_review": has_permission(Action.CLAIM_REVIEW, request.user).allowed,
    }
    return render(request, "claims/ledger.html", context)


@login_required
@require_POST
@refusals_as_pages
def claim_verify(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _reviewable(request, pk)
    try:
        services.claim_verify(user=request.user, claim=claim)
        messages.success(request, f"Verified claim {claim.pk} for {claim.participant.reference}.")
    except DomainError as exc:
        messages.error(request, f"Claim {claim.pk}: {exc.message}")
    return _back(request)


@login_required
@require_POST
@refusals_as_pages
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _reviewable(request, pk)
    try:
        services.claim_reject(user=request.user, claim=claim, reason=request.POST.get("reason", ""))
        messages.success(request, f"Rejected claim {claim.pk}; the provider sees the reason.")
    except DomainError as exc:
        messages.error(request, f"Claim {claim.pk}: {exc.message}")
    return _back(request)


def _reviewable(request, pk: int) -> Claim:
    claim = selectors.claim_get_visible(user=request.user, pk=pk)
    require(request.user, Action.CLAIM_REVIEW)  # a refusal page (403), not a message
    return claim


def _back(request) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("claims-ledger")
