"""Two steps every service's write takes: the model's own validation as a domain error, and a
save that records the acting user in django-simple-history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from core.errors import ValidationFailed


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's full_clean (fields, constraints); a failure is a ValidationFailed with the
    messages under their fields."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc


def save_with_history(instance: models.Model, user) -> None:
    instance._history_user = user
    instance.save()
