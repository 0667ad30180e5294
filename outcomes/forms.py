"""Web forms for the outcome framework: priorities, themes and wards. They check shapes;
outcomes.services decides (duplicates, permission) and its refusals go back on the fields."""

from django import forms

NAME_ERRORS = {"required": "Enter a name."}


class PriorityForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages=NAME_ERRORS)
    order = forms.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text="Where it is listed in the plan: 1 first. Left blank, a new priority is listed last.",
        error_messages={"invalid": "Enter the position as a whole number, for example 3."},
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages=NAME_ERRORS)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class WardForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages=NAME_ERRORS)
    code = forms.RegexField(
        regex=r"^\s*[A-Za-z0-9]*\s*$",
        max_length=20,
        required=False,
        label="ONS ward code",
        help_text="For example E05000530.",
        error_messages={"invalid": "Enter the code in letters and digits only, for example E05000530."},
    )
