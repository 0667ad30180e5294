"""Forms for impact pages: shape only; the services decide."""

from django import forms

from commissioning.impact.estimates import COVARIATES
from commissioning.impact.models import OUTCOME_CHOICES


class PoolUploadForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example: Southwark probation caseload 2008/09.")
    outcome_kind = forms.ChoiceField(label="Outcome", choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the data came from.",
    )
    file = forms.FileField(
        label="Comparison pool (CSV or .xlsx)",
        help_text="A header row, then one row per person: ni_number (or date_of_birth, surname and "
        "forename), age, gender, prior_offences, days_since_last_offence, offence_group, employed "
        "and outcome.",
    )


class CohortUploadForm(forms.Form):
    programme = forms.TypedChoiceField(coerce=int, choices=())
    outcome_kind = forms.ChoiceField(label="Outcome", choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
    file = forms.FileField(
        label="Cohort data (CSV or .xlsx)",
        help_text="A header row, then one row per enrolled participant: participant_reference (or the "
        "identifier used at enrolment), the covariates at start and the outcome (blank while the "
        "follow-up is not complete).",
    )

    def __init__(self, *args, programmes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, f"{p.reference} {p.title}") for p in programmes]


class ReportForm(forms.Form):
    programme = forms.TypedChoiceField(coerce=int, choices=())
    measure = forms.TypedChoiceField(label="Outcome measure", coerce=int, choices=())
    pool = forms.TypedChoiceField(label="Comparison pool", coerce=int, choices=())
    covariates = forms.MultipleChoiceField(
        label="Covariates to match on",
        choices=[(c.name, c.label) for c in COVARIATES],
        initial=[c.name for c in COVARIATES],
        widget=forms.CheckboxSelectMultiple,
    )
    with_replacement = forms.BooleanField(
        label="Match with replacement (a comparison person may be matched more than once)", required=False
    )

    def __init__(self, *args, programmes=(), measures=(), pools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, f"{p.reference} {p.title}") for p in programmes]
        self.fields["measure"].choices = [(m.pk, m.name) for m in measures]
        self.fields["pool"].choices = [(p.pk, f"{p.name} ({p.get_outcome_kind_display()})") for p in pools]
