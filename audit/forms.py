"""The audit log's filters on the admin page (the API validates the same filters with its own
serializer, api.serializers.audit.AuditQuerySerializer, which refuses blank values)."""

from django import forms
from django.contrib.auth import get_user_model

from audit.selectors import OBJECT_TYPES, AuditFilter
from core.forms import IsoDateInput


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"), required=False, empty_label="Anyone"
    )
    object_type = forms.ChoiceField(choices=[("", "Everything")] + OBJECT_TYPES, required=False)
    object_id = forms.IntegerField(min_value=1, required=False, label="Object id")
    date_from = forms.DateField(required=False, label="From", widget=IsoDateInput())
    date_to = forms.DateField(required=False, label="To", widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The From date must not be after the To date.")
        return data

    def criteria(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            user_id=data["user"].pk if data.get("user") else None,
            object_type=data.get("object_type") or None,
            object_id=data.get("object_id"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
