"""Upload a comparison pool: every row checked, identifiers pseudonymised with the participant
key, people enrolled on any programme left out, the rest saved in one transaction."""

from __future__ import annotations

from django.db import transaction

from claims import pseudonyms
from claims.keys import chain_in_force
from claims.models import Participant
from commissioning.impact.estimates import OutcomeKind
from commissioning.impact.models import ComparisonPool, PoolMember
from commissioning.impact.permissions import Action, require
from commissioning.impact.rows import PersonRow, RowErrors, refuse
from core.db.writes import save_with_history
from core.errors import ValidationFailed

BATCH = 5000
POOL_NAME_TAKEN = "A comparison pool with this name already exists; choose another name."
DUPLICATE_PERSON = "This person is already in the file (row {first})."
TOO_FEW = "A comparison pool needs at least 60 people who are not enrolled on a programme."


def pool_upload(
    *,
    user,
    name: str,
    outcome_kind: str,
    rows: list[PersonRow],
    errors: RowErrors | None = None,
    description: str = "",
    source_name: str = "",
    synthetic: bool = False,
) -> ComparisonPool:
    """Save a pool from parsed rows. Any row error (passed in from parsing, or found here: the same
    person twice) refuses the whole upload, listed by row."""
    require(user, Action.POOL_MANAGE)
    kind = OutcomeKind(outcome_kind)
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": ["Give the pool a name."]})
    errors = dict(errors or {})
    with transaction.atomic():
        keys = chain_in_force()
        hashed: dict[str, PersonRow] = {}
        for row in rows:
            if row.reference:
                errors.setdefault(row.number, {})["participant_reference"] = [
                    "A comparison pool is identified by NI number or name and date of birth."
                ]
                continue
            hashed_id = pseudonyms.pseudonym(keys, row.identifier)
            if hashed_id in hashed:
                errors.setdefault(row.number, {})["ni_number"] = [
                    DUPLICATE_PERSON.format(first=hashed[hashed_id].number)
                ]
                continue
            hashed[hashed_id] = row
        if errors:
            raise refuse(errors)
        if ComparisonPool.objects.filter(name=name).exists():
            raise ValidationFailed({"name": [POOL_NAME_TAKEN]})
        enrolled = _participants_among(list(hashed))
        kept = [(h, row) for h, row in hashed.items() if h not in enrolled]
        if len(kept) < 60:
            raise ValidationFailed({"file": [TOO_FEW]})
        pool = ComparisonPool(
            name=name,
            outcome_kind=kind.value,
            description=description,
            source_name=source_name[:255],
            rows_submitted=len(rows),
            rows_enrolled=len(hashed) - len(kept),
            synthetic=synthetic,
            created_by=user,
        )
        save_with_history(pool, user)
        PoolMember.objects.bulk_create(
            (PoolMember(pool=pool, pseudonym=h, **row.covariates(), outcome=row.outcome) for h, row in kept),
            batch_size=BATCH,
        )
    return pool


def _participants_among(hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(hashes), 900):  # within SQLite's parameter limit
        chunk = hashes[start : start + 900]
        found.update(Participant.objects.filter(pseudonym__in=chunk).values_list("pseudonym", flat=True))
    return found
