"""The web sign-in form, with the same lockout against password guessing as the API token."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from accounts import lockout


class LockoutMixin:
    """Refuses sign-in while the username or address is locked; counts failed passwords."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = lockout.client_address(self.request)
        try:
            lockout.ensure_not_locked(username=username, address=address)
        except lockout.TooManyAttempts as exc:
            raise forms.ValidationError(exc.message, code="locked") from exc
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                lockout.record_failure(username=username, address=address)
            raise
        lockout.record_success(username=username)
        return cleaned


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your username and password did not match. Please try again.",
    }


class LockoutAdminAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    pass
