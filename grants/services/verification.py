"""Verifying several returns at once from the verification queue: all or nothing.

Every return is locked (in id order, so two commissioners verifying overlapping selections wait
for each other rather than deadlock) and checked under its lock as return_verify checks one: the
user may review it, and it is still submitted. If any is refused, each refusal is reported against
its return and nothing is verified; otherwise all are verified in one transaction, each with its
history row naming the commissioner.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.errors import ValidationFailed
from grants.models import OutcomeReturn
from grants.permissions import Action, has_permission, require
from grants.selectors import returns_visible_to

MAX_BULK_VERIFY = 200
NOTHING_CHOSEN = "Choose at least one return to verify."
TOO_MANY = "Verify at most {limit} returns at once; {count} were chosen."
NOT_FOUND = "There is no return {pk} that you can see."
NOT_SUBMITTED = "{name} is {status}: only a submitted return can be verified."
SOME_REFUSED = "{refused} of {count} returns cannot be verified; nothing was verified."

Status = OutcomeReturn.Status


def returns_bulk_verify(*, user, return_ids: list[int]) -> list[OutcomeReturn]:
    """Verify every return in `return_ids`, or none. A refusal (ValidationFailed) carries
    `errors` mapping each refused return's id (a string) to its reason, worded for people."""
    require(user, Action.RETURN_REVIEW)
    wanted = sorted(set(return_ids))
    if not wanted:
        raise ValidationFailed({"returns": [NOTHING_CHOSEN]})
    if len(wanted) > MAX_BULK_VERIFY:
        raise ValidationFailed({"returns": [TOO_MANY.format(limit=MAX_BULK_VERIFY, count=len(wanted))]})
    with transaction.atomic():
        locked = {
            r.pk: r
            for r in returns_visible_to(user)
            .select_for_update(of=("self",))
            .select_related("programme", "measure")
            .filter(pk__in=wanted)
            .order_by("pk")
        }
        errors: dict[str, str] = {}
        for pk in wanted:
            outcome_return = locked.get(pk)
            if outcome_return is None:
                errors[str(pk)] = NOT_FOUND.format(pk=pk)
                continue
            verdict = has_permission(Action.RETURN_REVIEW, user, outcome_return)
            if not verdict.allowed:
                errors[str(pk)] = f"{outcome_return}: {verdict.reason}"
            elif outcome_return.status != Status.SUBMITTED:
                errors[str(pk)] = NOT_SUBMITTED.format(name=outcome_return, status=outcome_return.status)
        if errors:
            message = SOME_REFUSED.format(refused=len(errors), count=len(wanted))
            raise ValidationFailed({"returns": [message]}, errors=errors)
        now = timezone.now()
        rows = [locked[pk] for pk in wanted]
        for outcome_return in rows:
            outcome_return.status = Status.VERIFIED
            outcome_return.reviewed_by, outcome_return.reviewed_at, outcome_return.query_reason = (
                user,
                now,
                "",
            )
        bulk_update_with_history(
            rows,
            OutcomeReturn,
            ["status", "reviewed_by", "reviewed_at", "query_reason"],
            default_user=user,
            default_date=now,
        )
        return rows
