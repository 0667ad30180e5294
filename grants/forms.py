"""Web forms for outcome returns. They check types; grants.services checks the rules."""

from django import forms

from core.forms import IsoDateInput
from grants.models import OutcomeReturn
from outcomes.periods import QUARTER_CHOICES

CONFIRM_HIGH_VALUE_LABEL = "Confirm high value"
CONFIRM_HIGH_VALUE_HELP = (
    "The value is far above the quarter's target. Tick this box only if you have checked that the "
    "figure is right; the commissioner will see that you confirmed it."
)


def confirm_high_value_field() -> forms.BooleanField:
    return forms.BooleanField(
        required=False, label=CONFIRM_HIGH_VALUE_LABEL, help_text=CONFIRM_HIGH_VALUE_HELP
    )


class ConfirmHighValueMixin:
    """A "Confirm high value" box, offered only once the service has refused a value far above
    the quarter's target (or when it was sent): `offer_confirmation(asked)` before rendering."""

    def offer_confirmation(self, asked: bool) -> None:
        if not asked and not self.data.get("confirm_high_value"):
            self.fields.pop("confirm_high_value", None)

    @property
    def confirmed_high_value(self) -> bool:
        return bool(self.cleaned_data.get("confirm_high_value"))


class ReturnForm(ConfirmHighValueMixin, forms.Form):
    programme = forms.ModelChoiceField(queryset=None, empty_label="Choose a programme")
    measure = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose a measure",
        error_messages={"required": "Choose the measure the figures are for."},
    )
    financial_year = forms.CharField(max_length=7, help_text='For example "2010/11".')
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)
    value = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="What was achieved in the quarter: a whole number for a count of people or cases.",
        error_messages={"required": "Enter what was achieved in the quarter."},
    )
    spend = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        label="Spend (£)",
        help_text="The programme's spend in the quarter, in pounds.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    confirm_high_value = confirm_high_value_field()

    def __init__(self, *args, programmes, measures, targets: dict[int, str] | None = None, **kwargs):
        """`targets`, when given, maps each measure's id to its target for the chosen quarter
        (worded with its unit): the measures are then offered as radios, each with its target,
        and the programme, year and quarter (chosen at step 1) are hidden."""
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["measure"].queryset = measures
        if targets is not None:
            for name in ("programme", "financial_year", "quarter"):
                self.fields[name].widget = forms.HiddenInput()
            measure = self.fields["measure"]
            measure.widget = forms.RadioSelect()
            measure.empty_label = None
            measure.queryset = measures  # gives the new widget its choices
            measure.label_from_instance = lambda m: f"{m.name}: target {targets.get(m.pk, 'none set')}"
            measure.help_text = "The measures the programme owes a return for in this quarter, with targets."


class AmendReturnForm(ConfirmHighValueMixin, forms.ModelForm):
    confirm_high_value = confirm_high_value_field()

    class Meta:
        model = OutcomeReturn
        fields = ["value", "spend", "notes"]
        labels = {"spend": "Spend (£)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ReturnsUploadForm(forms.Form):
    file = forms.FileField(
        help_text="An .xlsx workbook made from the template: one row per programme and measure."
    )


class QueryForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReopenForm(forms.Form):
    """Reopen a verified return; grants.services.return_reopen checks the rules."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why reopen it?",
        help_text="The provider sees this reason; it is kept in the return's history.",
    )


class PaymentForm(forms.Form):
    """Record a payment to a payment-by-results programme; grants.services checks the rules."""

    programme = forms.ModelChoiceField(queryset=None, empty_label="Choose a programme")
    financial_year = forms.CharField(max_length=7, help_text='The quarter paid for: year, e.g. "2010/11".')
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, label="Amount (£)", min_value=0.01)
    paid_on = forms.DateField(widget=IsoDateInput(), label="Paid on")
    reference = forms.CharField(
        max_length=60, required=False, help_text="The remittance or ledger reference (optional)."
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class PaymentReverseForm(forms.Form):
    """Reverse a payment recorded in error; grants.services.payment_reverse checks the rules."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Say why this payment is being reversed."},
        help_text="Why the payment is reversed, e.g. “paid to the wrong quarter”. Kept with the payment.",
    )


STATE_WORDS = {"late": "late", "due": "due", "open": "under way"}


class ReturnChoiceForm(forms.Form):
    """Step 1 of submitting a return: the programme and one of the quarters owed (the owed list,
    grants.selectors.owed_quarters). Step 2 (ReturnForm) then offers that programme's measures."""

    programme = forms.ModelChoiceField(queryset=None, empty_label="Choose a programme")
    period = forms.ChoiceField(
        label="Quarter",
        help_text="The quarters your programmes have returns to send for, oldest first: late, due, "
        "and the quarter under way.",
    )

    def __init__(self, *args, programmes, owed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: f"{p.reference}: {p.title}"
        self.owed = owed
        self.fields["period"].choices = [("", "Choose a quarter")] + [
            (period_value(o.quarter), f"{o.quarter} ({STATE_WORDS.get(o.state, o.state)}, {o.count} to send)")
            for o in owed
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        programme, period = data.get("programme"), data.get("period")
        if programme is None or not period:
            return data
        owed = next((o for o in self.owed if period_value(o.quarter) == period), None)
        if owed is None or not any(s["target"].programme_id == programme.pk for s in owed.slots):
            quarters = [
                str(o.quarter)
                for o in self.owed
                if any(s["target"].programme_id == programme.pk for s in o.slots)
            ]
            self.add_error(
                "period",
                f"{programme.reference} owes no returns for {owed.quarter if owed else period}: "
                + (f"choose {', '.join(quarters)}." if quarters else "it owes none at the moment."),
            )
        return data


def period_value(quarter) -> str:
    """A quarter as a form value and URL parameter: "2010/11-Q1"."""
    return f"{quarter.financial_year.label}-Q{quarter.number}"
