"""Web forms for commissioners' management screens: a programme (its award, dates, provider,
stream, priorities, themes and wards), its targets as a quarter grid, and a funding stream.
The forms check types and shapes; grants.services decides (its refusals are put back on the
form's fields by core.forms.add_domain_error)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from grants.models import FundingStream, Organisation, Programme
from grants.services.target_grid import TargetRow, cell_name, tariff_name
from outcomes.models import EvidenceGrade, OutcomeMeasure, Priority, Theme, Ward
from outcomes.periods import FinancialYear, Quarter, financial_years_between

ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class PriorityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Priority) -> str:
        return obj.name if obj.plan.is_current else f"{obj.name} ({obj.plan.version})"


class PriorityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Priority) -> str:
        return obj.name if obj.plan.is_current else f"{obj.name} ({obj.plan.version})"


class ProgrammeForm(forms.ModelForm):
    """Create or change a programme. Priorities offered are the current plan's, and any the
    programme already serves."""

    primary_priority = PriorityChoice(
        queryset=Priority.objects.none(),
        empty_label="Choose the main priority",
        help_text="The one priority this programme mainly serves.",
        error_messages={"required": "Choose the one priority this programme mainly serves."},
    )
    other_priorities = PriorityChoices(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Any other priorities it serves (optional).",
    )

    class Meta:
        model = Programme
        fields = [
            "reference", "title", "description", "provider", "funding_stream", "award_amount",
            "service_fee", "start_date", "end_date", "status", "commissioning_model", "evidence_grade",
            "attribution", "themes", "wards",
        ]  # fmt: skip
        labels = {
            "award_amount": "Award (£)",
            "service_fee": "Service fee (£)",
            "commissioning_model": "Commissioning model",
            "funding_stream": "Funding stream",
        }
        help_texts = {
            "reference": "A reference no other programme has, for example SSP-1004.",
            "award_amount": "The whole award over the programme's life, in pounds.",
            "service_fee": "Payment by results only: the fixed fee over the whole programme, in pounds.",
            "start_date": "For example 1 April 2010.",
            "end_date": "After the start date.",
            "attribution": "Optional: overrides the measures' attribution for this programme, 0 to 1.",
        }
        widgets = {
            "start_date": ISO_DATE,
            "end_date": ISO_DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
            "wards": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "reference": {"required": "Enter a reference, for example SSP-1004."},
            "title": {"required": "Enter the programme's title."},
            "provider": {"required": "Choose the provider."},
            "funding_stream": {"required": "Choose the funding stream."},
            "award_amount": {"required": "Enter the award in pounds."},
            "start_date": {"required": "Enter the start date.", "invalid": "Enter a real start date."},
            "end_date": {"required": "Enter the end date.", "invalid": "Enter a real end date."},
        }

    def __init__(self, *args, current_plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["provider"].queryset = Organisation.objects.exclude(org_type=Organisation.Type.GOVERNMENT)
        f["provider"].empty_label = "Choose the provider"
        f["funding_stream"].queryset = FundingStream.objects.order_by("-financial_year", "name")
        f["funding_stream"].empty_label = "Choose the funding stream"
        f["evidence_grade"].queryset = EvidenceGrade.objects.all()
        f["evidence_grade"].empty_label = "Not graded"
        f["themes"].queryset = Theme.objects.order_by("name")
        f["wards"].queryset = Ward.objects.order_by("name")
        f["themes"].required = f["wards"].required = False
        linked = []
        if self.instance.pk:
            links = list(self.instance.programme_priorities.values_list("priority_id", "is_primary"))
            linked = [pid for pid, _ in links]
            if not self.is_bound:
                self.initial["primary_priority"] = next((pid for pid, primary in links if primary), None)
                self.initial["other_priorities"] = [pid for pid, primary in links if not primary]
        priorities = Priority.objects.select_related("plan").order_by("-plan__is_current", "order")
        if current_plan is not None:
            from django.db.models import Q

            priorities = priorities.filter(Q(plan=current_plan) | Q(pk__in=linked))
        f["primary_priority"].queryset = f["other_priorities"].queryset = priorities
        for name in ("award_amount", "service_fee"):
            f[name].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def service_arguments(self) -> dict:
        """What programme_create and programme_update take, from the cleaned form."""
        data = self.cleaned_data
        own = {f.name for f in Programme._meta.concrete_fields}
        primary = data.get("primary_priority")
        return {
            "fields": {name: value for name, value in data.items() if name in own},
            "priority_ids": [p.pk for p in data.get("other_priorities") or ()],
            "primary_priority_id": primary.pk if primary else None,
            "theme_ids": [t.pk for t in data.get("themes") or ()],
            "ward_ids": [w.pk for w in data.get("wards") or ()],
        }


class FundingStreamForm(forms.ModelForm):
    class Meta:
        model = FundingStream
        fields = ["name", "funder", "financial_year", "budget", "code", "description"]
        labels = {"budget": "Budget (£)", "financial_year": "Financial year", "code": "Code"}
        help_texts = {
            "financial_year": 'The year the budget is for, for example "2010/11".',
            "budget": "In pounds. It cannot be less than the stream has already awarded.",
            "code": "A short identifier; left blank, one is made from the name and year.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Enter the stream's name."},
            "funder": {"required": "Choose the funder."},
            "financial_year": {"required": 'Enter the financial year, for example "2010/11".'},
            "budget": {"required": "Enter the budget in pounds."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["funder"].empty_label = "Choose the funder"
        self.fields["budget"].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})

    def _post_clean(self):
        """The model's own checks run in the service (with the budget rule, under the lock)."""

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields} | {
            "code": self.cleaned_data.get("code") or ""
        }


# --- the target grid --------------------------------------------------------------------------


def plain(value: Decimal) -> str:
    """A decimal as a person types it: 10, 12.5 (not 10.00 or 1E+1)."""
    return f"{value.normalize():f}"


def programme_quarters(programme: Programme) -> list[Quarter]:
    """The grid's columns: every quarter of the financial years the programme runs in."""
    years = financial_years_between(programme.start_date, programme.end_date)
    return [q for fy in years for q in FinancialYear.quarters(fy)]


class TargetGridForm(forms.Form):
    """One row per measure, one cell per quarter of the programme's years (a quarter outside its
    dates is shown but cannot be filled), and under payment by results a tariff per row. A blank
    cell means no target in that quarter."""

    def __init__(self, *args, programme: Programme, measures: list[OutcomeMeasure], existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme, self.measures = programme, measures
        self.quarters = programme_quarters(programme)
        self.is_pbr = programme.commissioning_model == Programme.Model.PAYMENT_BY_RESULTS
        tariffs: dict[int, Decimal | None] = {}
        for measure in measures:
            for quarter in self.quarters:
                target = existing.get((measure.pk, quarter))
                if target is not None and target.tariff is not None:
                    tariffs.setdefault(measure.pk, target.tariff)
                self.fields[cell_name(measure.pk, quarter)] = forms.DecimalField(
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    label=f"{measure.name}, {quarter}",
                    initial=plain(target.target_value) if target is not None else None,
                    disabled=not quarter.overlaps(programme.start_date, programme.end_date),
                    error_messages={
                        "invalid": f"Enter a number for {measure.name} in {quarter}.",
                        "min_value": "A target cannot be negative.",
                        "max_decimal_places": "Enter the target with at most 2 decimal places.",
                    },
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                )
            if self.is_pbr:
                self.fields[tariff_name(measure.pk)] = forms.DecimalField(
                    required=False,
                    label=f"Tariff for {measure.name} (£ per outcome)",
                    initial=plain(tariffs[measure.pk]) if measure.pk in tariffs else None,
                    error_messages={"min_value": "A tariff cannot be negative."},
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                    **MONEY,
                )

    def rows(self) -> list[TargetRow]:
        """The grid as targets_save_grid takes it (cells outside the dates left as they are)."""
        rows = []
        for measure in self.measures:
            values = {
                quarter: self.cleaned_data.get(cell_name(measure.pk, quarter))
                for quarter in self.quarters
                if not self.fields[cell_name(measure.pk, quarter)].disabled
            }
            tariff = self.cleaned_data.get(tariff_name(measure.pk)) if self.is_pbr else None
            rows.append(TargetRow(measure, values, tariff))
        return rows

    def table(self) -> list[dict]:
        """For the template: per measure its cells (bound fields, or None outside the dates)
        grouped by financial year."""
        table = []
        for measure in self.measures:
            cells = [self[cell_name(measure.pk, q)] for q in self.quarters]
            tariff = self[tariff_name(measure.pk)] if self.is_pbr else None
            table.append({"measure": measure, "cells": cells, "tariff": tariff})
        return table
