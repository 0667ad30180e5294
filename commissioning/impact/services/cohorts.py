"""Upload a programme's cohort data: covariates and outcomes of its enrolled participants, found by
pseudonymising each identifier (or by participant reference). People not enrolled on the programme
are counted, not stored."""

from __future__ import annotations

from django.db import transaction

from claims import pseudonyms
from claims.keys import chain_in_force
from claims.models import Enrolment
from commissioning.impact.estimates import OutcomeKind
from commissioning.impact.models import CohortMember, CohortUpload
from commissioning.impact.permissions import Action, require
from commissioning.impact.rows import PersonRow, RowErrors, refuse
from core.db.writes import save_with_history
from core.errors import ValidationFailed
from grants.selectors import programme_get_visible

TWICE = "This participant is already in the file (row {first})."
NONE_FOUND = (
    "None of the people in the file is enrolled on this programme: check the programme, and that "
    "the identifiers are the ones used at enrolment."
)


def cohort_upload(
    *,
    user,
    programme_id: int,
    outcome_kind: str,
    rows: list[PersonRow],
    errors: RowErrors | None = None,
    source_name: str = "",
    synthetic: bool = False,
) -> CohortUpload:
    programme = programme_get_visible(user=user, pk=programme_id)
    require(user, Action.COHORT_UPLOAD, programme)
    kind = OutcomeKind(outcome_kind)
    errors = dict(errors or {})
    with transaction.atomic():
        enrolments = _enrolments(programme.pk, rows)
        found: dict[int, PersonRow] = {}
        not_found = 0
        for row in rows:
            enrolment_id = enrolments.get(row.reference or row.identifier)
            if enrolment_id is None:
                not_found += 1
            elif enrolment_id in found:
                field = "participant_reference" if row.reference else "ni_number"
                errors.setdefault(row.number, {})[field] = [TWICE.format(first=found[enrolment_id].number)]
            else:
                found[enrolment_id] = row
        if errors:
            raise refuse(errors)
        if not found:
            raise ValidationFailed({"file": [NONE_FOUND]})
        upload = CohortUpload(
            programme=programme,
            outcome_kind=kind.value,
            source_name=source_name[:255],
            rows_submitted=len(rows),
            rows_not_found=not_found,
            synthetic=synthetic,
            created_by=user,
        )
        save_with_history(upload, user)
        CohortMember.objects.bulk_create(
            CohortMember(upload=upload, enrolment_id=enrolment_id, **row.covariates(), outcome=row.outcome)
            for enrolment_id, row in found.items()
        )
    return upload


def _enrolments(programme_id: int, rows: list[PersonRow]) -> dict[str, int]:
    """Row key (reference, or normalised identifier) -> the enrolment on this programme."""
    enrolled = Enrolment.objects.filter(programme_id=programme_id).values_list(
        "id", "participant__pseudonym", "participant__reference"
    )
    by_pseudonym = {p: e for e, p, _ in enrolled}
    by_reference = {r: e for e, _, r in enrolled}
    result: dict[str, int] = {}
    identifiers = [row.identifier for row in rows if row.identifier]
    if identifiers:
        keys = chain_in_force()
        for identifier in identifiers:
            enrolment = by_pseudonym.get(pseudonyms.pseudonym(keys, identifier))
            if enrolment is not None:
                result[identifier] = enrolment
    for row in rows:
        if row.reference and row.reference in by_reference:
            result[row.reference] = by_reference[row.reference]
    return result
