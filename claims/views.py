"""The claims ledger in the web app: providers follow their claims, commissioners verify or reject."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from claims import downloads, selectors, services
from claims.forms import ClaimTermsForm, EnrolForm, EnrolmentUploadForm, PayableOutcomeForm
from claims.models import Claim, ClaimTerms, EvidenceType, PayableOutcome
from claims.permissions import Action, has_permission, require
from core.errors import Conflict, DomainError, ValidationFailed
from core.forms import add_domain_error
from core.http import refusals_as_pages
from grants.permissions import provider_organisation_ids
from grants.selectors import programme_get_visible, programmes_visible_to
from outcomes.models import OutcomeMeasure

PAGE_SIZE = 50


@login_required
def claims_ledger(request: HttpRequest) -> HttpResponse:
    """Claims the user may see, newest first; filtered by status, programme and participant."""
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
    participant = request.GET.get("participant", "").strip().upper()[:10]
    if participant:
        claims = claims.filter(participant__reference__startswith=participant)
    page = Paginator(claims.order_by("-submitted_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Claim.Status.choices,
        "programme": programme,
        "participant": participant,
        "programmes": programmes.order_by("reference"),
        "can_review": has_permission(Action.CLAIM_REVIEW, request.user).allowed,
        "can_enrol": bool(provider_organisation_ids(request.user)),
    }
    return render(request, "claims/ledger.html", context)


@login_required
@refusals_as_pages
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One claim: its facts, history and evidence; the provider adds evidence while it awaits a
    decision, a commissioner verifies or rejects it."""
    claim = selectors.claim_get_visible(user=request.user, pk=pk)
    return render(request, "claims/detail.html", _detail_context(request, claim))


def _detail_context(request, claim: Claim, upload_error: str = "") -> dict:
    claim = Claim.objects.select_related(
        "participant", "programme", "programme__provider", "measure", "submitted_by", "reviewed_by"
    ).get(pk=claim.pk)
    return {
        "claim": claim,
        "evidence": claim.evidence_files.select_related("uploaded_by"),
        "history": selectors.claim_history(claim),
        "can_review": has_permission(Action.CLAIM_REVIEW, request.user).allowed,
        "can_add_evidence": claim.status == Claim.Status.SUBMITTED
        and has_permission(Action.EVIDENCE_ADD, request.user, claim).allowed,
        "upload_error": upload_error,
        "max_megabytes": settings.YARDSTICK["MAX_EVIDENCE_BYTES"] / 1_048_576,
    }


@login_required
@require_POST
@refusals_as_pages
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get_visible(user=request.user, pk=pk)
    try:
        row = services.evidence_add(user=request.user, claim=claim, upload=request.FILES.get("file"))
    except (ValidationFailed, Conflict) as exc:
        context = _detail_context(request, claim, upload_error=exc.message)
        return render(request, "claims/detail.html", context, status=exc.status_code)
    messages.success(request, f"Added {row.original_name} to claim {claim.pk}.")
    return redirect("claim-detail", pk=claim.pk)


@login_required
@refusals_as_pages
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """The file, only for people who may see its claim (everyone else: 404)."""
    return downloads.evidence_download(
        selectors.evidence_get_visible(user=request.user, claim_pk=pk, pk=evidence_pk)
    )


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


# --- enrolment: one participant by the form, many by a spreadsheet ------------------------------


def _enrolling_programmes(user):
    own = provider_organisation_ids(user)
    return programmes_visible_to(user).filter(provider_id__in=own).order_by("reference")


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """A provider enrols a participant: the identifier makes the pseudonym and is not kept."""
    programmes = _enrolling_programmes(request.user)
    initial = (
        {"programme": request.GET.get("programme")} if request.GET.get("programme", "").isdigit() else {}
    )
    form = EnrolForm(request.POST or None, programmes=programmes, initial=initial)
    upload_form = EnrolmentUploadForm(programmes=programmes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = services.participant_enrol(
                user=request.user,
                data=services.EnrolmentInput(
                    programme_id=data["programme"].pk,
                    start_date=data["start_date"],
                    ni_number=data["ni_number"],
                    date_of_birth=data["date_of_birth"],
                    surname=data["surname"],
                    forename=data["forename"],
                ),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            reference = enrolment.participant.reference
            messages.success(request, f"Enrolled participant {reference} on {data['programme'].reference}.")
            return redirect(f"{reverse('claims-enrol')}?programme={data['programme'].pk}")
    if form.is_bound:  # never send an identifier back to the browser
        form = _without_identifiers(form)
    context = {
        "form": form,
        "upload_form": upload_form,
        "row_errors": [],
        "has_programmes": programmes.exists(),
    }
    return render(request, "claims/enrol.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def enrol_upload(request: HttpRequest) -> HttpResponse:
    programmes = _enrolling_programmes(request.user)
    upload_form = EnrolmentUploadForm(request.POST, request.FILES, programmes=programmes)
    row_errors: dict = {}
    if upload_form.is_valid():
        programme = upload_form.cleaned_data["programme"]
        try:
            saved = services.enrolments_import(
                user=request.user, programme_id=programme.pk, upload=upload_form.cleaned_data["file"]
            )
        except DomainError as exc:
            row_errors = exc.extra.get("rows") or {}
            if not row_errors:
                add_domain_error(upload_form, exc)
        else:
            messages.success(request, f"Enrolled {len(saved)} participants on {programme.reference}.")
            return redirect(f"{reverse('claims-enrol')}?programme={programme.pk}")
    context = {
        "form": EnrolForm(programmes=programmes),
        "upload_form": upload_form,
        "row_errors": sorted(row_errors.items()),
        "has_programmes": programmes.exists(),
    }
    return render(request, "claims/enrol.html", context, status=400)


def _without_identifiers(form: EnrolForm) -> EnrolForm:
    data = form.data.copy()
    for name in ("ni_number", "date_of_birth", "surname", "forename"):
        data[name] = ""
    clean = EnrolForm(data, programmes=form.fields["programme"].queryset)
    clean._errors = form._errors  # the messages name fields, never their values
    return clean


# --- payable outcomes and claim terms (commissioners) ------------------------------------------


@login_required
@refusals_as_pages
def programme_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """What a payment-by-results programme pays per claim, and the cap per participant."""
    programme = programme_get_visible(user=request.user, pk=pk)
    require(request.user, Action.OUTCOMES_MANAGE, programme)
    measures = OutcomeMeasure.objects.order_by("name")
    terms = ClaimTerms.objects.filter(programme=programme).first()
    form = PayableOutcomeForm(measures=measures)
    terms_form = ClaimTermsForm(initial={"cap_per_participant": terms.cap_per_participant if terms else None})
    status = 200
    if request.method == "POST" and request.POST.get("form") == "terms":
        terms_form = ClaimTermsForm(request.POST)
        if terms_form.is_valid() and _apply(request, terms_form, lambda: services.claim_terms_set(
            user=request.user, programme_id=programme.pk,
            cap_per_participant=terms_form.cleaned_data["cap_per_participant"],
        )):  # fmt: skip
            messages.success(request, "Claim terms saved.")
            return redirect("claims-programme-outcomes", pk=programme.pk)
        status = 400
    elif request.method == "POST":
        form = PayableOutcomeForm(request.POST, measures=measures)
        if form.is_valid() and _apply(request, form, lambda: services.payable_outcome_set(
            user=request.user, programme_id=programme.pk,
            data=services.PayableOutcomeInput(
                measure_id=form.cleaned_data["measure"].pk,
                tariff=form.cleaned_data["tariff"],
                evidence_types=form.cleaned_data["evidence_types"],
                sustainment_weeks=form.cleaned_data["sustainment_weeks"],
                earliest_claim_days=form.cleaned_data["earliest_claim_days"],
                max_claims_per_participant=form.cleaned_data["max_claims_per_participant"],
                exclusivity_group=form.cleaned_data["exclusivity_group"],
            ),
        )):  # fmt: skip
            messages.success(request, f"Saved the payable outcome {form.cleaned_data['measure'].name}.")
            return redirect("claims-programme-outcomes", pk=programme.pk)
        status = 400
    outcomes = (
        PayableOutcome.objects.filter(programme=programme).select_related("measure").order_by("measure__name")
    )
    context = {
        "programme": programme,
        "outcomes": outcomes,
        "form": form,
        "terms_form": terms_form,
        "evidence_labels": dict(EvidenceType.choices),
    }
    return render(request, "claims/outcomes.html", context, status=status)


@login_required
@require_POST
@refusals_as_pages
def payable_outcome_remove(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    programme = programme_get_visible(user=request.user, pk=pk)
    require(request.user, Action.OUTCOMES_MANAGE, programme)
    outcome = PayableOutcome.objects.filter(programme=programme, pk=outcome_pk).first()
    if outcome is None:
        raise Http404("No such payable outcome on this programme.")
    try:
        services.payable_outcome_remove(user=request.user, outcome=outcome)
        messages.success(request, "Removed the payable outcome.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("claims-programme-outcomes", pk=programme.pk)


def _apply(request, form, call) -> bool:
    try:
        call()
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    return True
