"""Pages of a person's own account: their API tokens (issue, see, revoke)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import tokens
from accounts.forms import TokenForm
from accounts.roles import Role, has_role
from core.errors import NotFound, ValidationFailed


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    issued = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                issued = tokens.token_issue(user=request.user, **form.cleaned_data)
            except ValidationFailed as exc:
                for field, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form = TokenForm()
    else:
        form = TokenForm()
    page = Paginator(tokens.tokens_of(user=request.user), 25).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(token, token.status(now)) for token in page]
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "issued": issued, "page_obj": page, "rows": rows},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = tokens.token_revoke(user=request.user, token_id=pk)
    except NotFound as exc:
        from django.http import Http404

        raise Http404(exc.message) from None
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("account-tokens")


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """Your account: password, two-factor sign-in, API tokens, single sign-on connections."""
    from accounts import security

    return render(
        request,
        "accounts/home.html",
        {
            "has_mfa": security.has_mfa(request.user),
            "mfa_required": security.mfa_required(request.user),
            "live_tokens": tokens.tokens_of(user=request.user).filter(revoked_at__isnull=True).count(),
            "is_org_admin": has_role(request.user, Role.ORG_ADMIN),
        },
    )
