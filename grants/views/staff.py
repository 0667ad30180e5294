"""Organisation self-service pages: an organisation administrator's staff list (sign-in and MFA
status), invitations, removals; and the page an invited person accepts on."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from core.forms import add_domain_error
from core.http import refusals_as_pages
from grants.services import staff


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address", help_text="The link to accept is sent here; it lasts 14 days."
    )


class AcceptForm(forms.Form):
    username = forms.CharField(label="Choose a username", max_length=150)
    password = forms.CharField(
        label="Choose a password", widget=forms.PasswordInput, strip=False,
        help_text="At least 12 characters; not a common password.",
    )  # fmt: skip


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """An organisation administrator's organisations: straight to the one, or a list of several."""
    organisations = list(staff.organisations_administered(user=request.user))
    if len(organisations) == 1:
        return redirect("staff-list", pk=organisations[0].pk)
    if not organisations:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(staff.ONLY_ORG_ADMINS)
    return render(request, "grants/staff/home.html", {"organisations": organisations})


@login_required
@refusals_as_pages
def staff_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation, members, invitations = staff.staff_of(user=request.user, organisation_id=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.staff_invite(
                user=request.user, organisation_id=pk, email=form.cleaned_data["email"],
                accept_url=lambda key: request.build_absolute_uri(reverse("staff-accept", args=[key])),
            )  # fmt: skip
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("staff-list", pk=pk)
    return render(
        request,
        "grants/staff/list.html",
        {"organisation": organisation, "members": members, "invitations": invitations, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@refusals_as_pages
def staff_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    try:
        staff.staff_remove(user=request.user, organisation_id=pk, member_id=member_id)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Removed from your organisation's staff.")
    return redirect("staff-list", pk=pk)


@login_required
@require_POST
@refusals_as_pages
def staff_invitation_cancel(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    staff.staff_invitation_cancel(user=request.user, organisation_id=pk, invitation_id=invitation_id)
    messages.success(request, "Invitation cancelled: its link no longer works.")
    return redirect("staff-list", pk=pk)


@refusals_as_pages
def staff_accept(request: HttpRequest, key: str) -> HttpResponse:
    invitation = staff.invitation_for(key=key)
    signed_in = request.user.is_authenticated
    form = AcceptForm(request.POST or None) if not signed_in else None
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                person = staff.staff_accept(key=key, user=request.user)
            else:
                person = staff.staff_accept(key=key, **form.cleaned_data)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("staff-accept", key=key)
            add_domain_error(form, exc)
        else:
            if not signed_in:
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"You are now on {invitation.organisation.name}'s staff.")
            return redirect("home")
    return render(request, "grants/staff/accept.html", {"invitation": invitation, "form": form})
