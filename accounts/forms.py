"""Forms of the accounts pages."""

from allauth.account.forms import LoginForm
from django import forms

from accounts.models import ApiToken
from accounts.tokens import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="What the token is for, for example 'Case management system'."
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="A read-only token can read but cannot submit or change anything.",
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        help_text=f"Between 1 and {MAX_DAYS} days.",
        error_messages={
            "min_value": f"A token lasts between 1 and {MAX_DAYS} days.",
            "max_value": f"A token lasts between 1 and {MAX_DAYS} days.",
            "invalid": "Enter a whole number of days.",
        },
    )


class SignInForm(LoginForm):
    """allauth's sign-in form in the product's words (the reset link sits under the form)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail address"
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
