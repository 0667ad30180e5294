"""The form a commissioner draws an audit sample with; claims.services.audit_draw decides."""

from __future__ import annotations

from django import forms

from claims.models import ClaimAudit
from claims.services.audits import MAX_SEED

QUARTERS = [
    (1, "Q1 (April to June)"),
    (2, "Q2 (July to September)"),
    (3, "Q3 (October to December)"),
    (4, "Q4 (January to March)"),
]


class AuditDrawForm(forms.Form):
    programme = forms.TypedChoiceField(coerce=int, label="Programme")
    financial_year = forms.CharField(
        max_length=7, label="Financial year", help_text='Written "2010/11".', widget=forms.TextInput
    )
    quarter = forms.TypedChoiceField(coerce=int, choices=QUARTERS, label="Quarter")
    method = forms.ChoiceField(
        choices=ClaimAudit.Method.choices, widget=forms.RadioSelect, label="How to sample"
    )
    risk = forms.ChoiceField(
        choices=[("", "Not risk-based"), *ClaimAudit.Risk.choices],
        required=False,
        label="Risk to look for (risk-based samples)",
    )
    size = forms.IntegerField(
        min_value=1, required=False, label="Number of claims", help_text="Or give a percentage."
    )
    percent = forms.DecimalField(
        min_value=0, max_value=100, decimal_places=2, required=False, label="Percentage of the claims"
    )
    seed = forms.IntegerField(
        min_value=0,
        max_value=MAX_SEED,
        required=False,
        label="Seed",
        help_text="To draw an earlier audit's sample again, give its seed; if blank, one is chosen and kept.",
    )

    def __init__(self, *args, programmes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, f"{p.reference} {p.title}") for p in programmes]


class AuditMarkForm(forms.Form):
    item = forms.IntegerField(min_value=1)
    valid = forms.TypedChoiceField(coerce=lambda v: v == "yes", choices=[("yes", "Valid"), ("no", "Invalid")])
    reason = forms.CharField(required=False, max_length=2000)
