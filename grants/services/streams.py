"""Writes for funding streams: a stream is one year's budget from one funder."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from core.errors import ValidationFailed
from grants.models import FundingStream
from grants.permissions import Action, require
from grants.services._common import save_with_history, validate
from grants.services.budgets import check_budget_covers_awards

DUPLICATE_STREAM = "There is already a funding stream called “{name}” for {year}."
DUPLICATE_CODE = "The code “{code}” is already used by {stream}; choose another."

_FIELDS = ("name", "code", "funder", "financial_year", "budget", "description")


def funding_stream_create(*, user, fields: dict) -> FundingStream:
    """A new stream. Without a code, one is made from the name and year ("wnf-2010-11")."""
    require(user, Action.STREAM_CHANGE)
    stream = FundingStream(**_only_stream_fields(fields))
    stream.name = " ".join((stream.name or "").split())
    if not stream.code:
        stream.code = slugify(f"{stream.name} {str(stream.financial_year).replace('/', ' ')}")[:50]
    with transaction.atomic():
        _check_unique(stream)
        validate(stream)
        save_with_history(stream, user)
        return stream


def funding_stream_update(*, user, stream: FundingStream, fields: dict) -> FundingStream:
    """Change a stream; its budget may not fall below what it has already awarded (checked on the
    locked stream row, which an award being made also locks)."""
    require(user, Action.STREAM_CHANGE)
    with transaction.atomic():
        stream = FundingStream.objects.select_for_update().get(pk=stream.pk)
        for name, value in _only_stream_fields(fields).items():
            setattr(stream, name, value)
        stream.name = " ".join((stream.name or "").split())
        if stream.budget is not None:
            check_budget_covers_awards(stream, stream.budget)
        _check_unique(stream)
        validate(stream)
        save_with_history(stream, user)
        return stream


def _only_stream_fields(fields: dict) -> dict:
    if unknown := set(fields) - set(_FIELDS):
        raise ValueError(f"Not a funding stream field: {', '.join(sorted(unknown))}.")
    return dict(fields)


def _check_unique(stream: FundingStream) -> None:
    others = FundingStream.objects.exclude(pk=stream.pk) if stream.pk else FundingStream.objects.all()
    errors: dict[str, list[str]] = {}
    if stream.name and others.filter(name__iexact=stream.name, financial_year=stream.financial_year).exists():
        errors["name"] = [DUPLICATE_STREAM.format(name=stream.name, year=stream.financial_year)]
    if stream.code and (holder := others.filter(code=stream.code).first()) is not None:
        errors["code"] = [DUPLICATE_CODE.format(code=stream.code, stream=holder)]
    if errors:
        raise ValidationFailed(errors)
