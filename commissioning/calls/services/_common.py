"""Helpers the call services share: the call's row lock, saving with history, model validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ValidationFailed

from ..models import Call


def lock_call(call_or_id) -> Call:
    """The call's row, locked until the transaction ends: every state check is made on this."""
    pk = getattr(call_or_id, "pk", call_or_id)
    return Call.objects.select_for_update().get(pk=pk)


def save(instance, user) -> None:
    instance._history_user = user
    instance.save()


def delete(instance, user) -> None:
    instance._history_user = user
    instance.delete()


def validate(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc


def now():
    """Server time: every closing and clarification deadline is judged by it."""
    return timezone.now()


def is_open_for_bids(call: Call, at=None) -> bool:
    at = at or now()
    return call.status == Call.Status.OPEN and call.opens_at <= at < call.closes_at
