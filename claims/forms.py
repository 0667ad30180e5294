"""Forms for the claims pages: they parse; claims.services decides."""

from __future__ import annotations

from django import forms

from claims.models import EvidenceType
from core.forms import IsoDateInput


class EnrolForm(forms.Form):
    """One participant: the identifier is used once, to make the pseudonym, and never kept."""

    programme = forms.ModelChoiceField(queryset=None, empty_label="Choose a programme")
    start_date = forms.DateField(widget=IsoDateInput(), label="Start date")
    ni_number = forms.CharField(
        max_length=20,
        required=False,
        label="National Insurance number",
        help_text="For example, QQ 12 34 56 C. Or leave it blank and give the date of birth and names.",
    )
    date_of_birth = forms.DateField(widget=IsoDateInput(), required=False, label="Date of birth")
    surname = forms.CharField(max_length=100, required=False)
    forename = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        for name in ("ni_number", "date_of_birth", "surname", "forename"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class EnrolmentUploadForm(forms.Form):
    prefix = "upload"  # shares the page with EnrolForm
    programme = forms.ModelChoiceField(queryset=None, empty_label="Choose a programme")
    file = forms.FileField(
        label="Spreadsheet (.xlsx or .csv)",
        help_text="First row: start_date, ni_number, date_of_birth, surname, forename.",
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class PayableOutcomeForm(forms.Form):
    """A programme's payable outcome: its measure, tariff and rules."""

    measure = forms.ModelChoiceField(queryset=None, empty_label="Choose a measure")
    tariff = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, label="Tariff (£ per claim)")
    evidence_types = forms.MultipleChoiceField(
        choices=EvidenceType.choices, widget=forms.CheckboxSelectMultiple, label="Evidence accepted"
    )
    sustainment_weeks = forms.IntegerField(
        min_value=0, max_value=520, initial=0, label="Weeks the outcome must be sustained"
    )
    earliest_claim_days = forms.IntegerField(
        min_value=0, max_value=3650, initial=0, label="Earliest claim, days after the participant's start"
    )
    max_claims_per_participant = forms.IntegerField(
        min_value=1, max_value=100, initial=1, label="Times it may be claimed per participant"
    )
    exclusivity_group = forms.CharField(
        max_length=40,
        required=False,
        label="Exclusivity group",
        help_text='Outcomes in one group are alternatives: a participant is paid for one (e.g. "Level").',
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class ClaimTermsForm(forms.Form):
    cap_per_participant = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        label="Cap per participant (£)",
        help_text="The most the programme pays for one participant across its outcomes; blank: no cap.",
    )
