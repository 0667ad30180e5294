"""A service's refusal shown on a Django form: on the field it concerns, or on the form itself.

One place for the web pages and the admin, so a domain error reads the same in both."""

from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError, ValidationFailed


def _field_errors(form: forms.BaseForm, exc: DomainError) -> dict[str | None, list[str]]:
    errors = exc.errors if isinstance(exc, ValidationFailed) else {exc.field: [exc.message]}
    out: dict[str | None, list[str]] = {}
    for field, messages in errors.items():
        target = field if field in form.fields else None
        out.setdefault(target, []).extend(messages if isinstance(messages, list) else [messages])
    return out


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Put a service's refusal on a bound form (web pages: the form is shown again)."""
    for field, messages in _field_errors(form, exc).items():
        for message in messages:
            form.add_error(field, message)


class IsoDateInput(forms.DateInput):
    """A browser date picker (<input type="date">). Its value must be written YYYY-MM-DD whatever
    the language: a British 01/12/2026 is not a valid value, so the browser would drop it and
    send nothing."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


@contextmanager
def domain_errors_as_validation(form: forms.BaseForm):
    """Inside a form's clean() or save() (the admin): a service's refusal becomes the form's
    ValidationError, on its fields or on the form itself."""
    try:
        yield
    except DomainError as exc:
        raise ValidationError(_field_errors(form, exc)) from None
