"""Enrol a participant on a programme: pseudonymise at the door, then record the enrolment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from claims import pseudonyms
from claims.keys import chain_in_force
from claims.models import Enrolment, Participant
from claims.permissions import Action, require
from core.clock import today
from core.db.writes import save_with_history
from core.errors import Conflict, ValidationFailed
from grants.selectors import programme_get_visible

IDENTIFIER_NEEDED = (
    "Give either the participant's National Insurance number, or their date of birth, surname and forename."
)
ALREADY_ENROLLED = "This participant is already enrolled on this programme (reference {reference})."


@dataclass(frozen=True)
class EnrolmentInput:
    """One enrolment as submitted. The identifier fields are used once, to make the pseudonym."""

    programme_id: int
    start_date: date
    ni_number: str = ""
    date_of_birth: date | None = None
    surname: str = ""
    forename: str = ""
    eligibility: dict = field(default_factory=dict)
    synthetic: bool = False


def participant_enrol(*, user, data: EnrolmentInput) -> Enrolment:
    """Enrol one participant: 404 if the programme is not visible, 403 if not the provider's own,
    400 for a bad identifier or date, 409 if already enrolled on this programme."""
    programme = programme_get_visible(user=user, pk=data.programme_id)
    require(user, Action.PARTICIPANT_ENROL, programme)
    normalised = _normalised_identifier(data)
    _check_start_date(data.start_date, programme)
    with transaction.atomic():
        keys = chain_in_force()
        participant, _ = Participant.objects.get_or_create(
            pseudonym=pseudonyms.pseudonym(keys, normalised), defaults={"synthetic": data.synthetic}
        )
        enrolment = Enrolment(
            participant=participant,
            programme=programme,
            start_date=data.start_date,
            eligibility=data.eligibility,
            enrolled_by=user,
        )
        try:
            with transaction.atomic():
                save_with_history(enrolment, user)
        except IntegrityError:
            raise Conflict(ALREADY_ENROLLED.format(reference=participant.reference)) from None
    return enrolment


def _normalised_identifier(data: EnrolmentInput) -> str:
    person_given = any([data.date_of_birth, data.surname.strip(), data.forename.strip()])
    if data.ni_number.strip() and person_given:
        raise ValidationFailed({"ni_number": [IDENTIFIER_NEEDED + " Not both."]})
    try:
        if data.ni_number.strip():
            return pseudonyms.normalise_ni_number(data.ni_number)
        if data.date_of_birth is None:
            raise ValidationFailed({"date_of_birth": [IDENTIFIER_NEEDED]})
        details = pseudonyms.PersonDetails(data.date_of_birth, data.surname, data.forename)
        return pseudonyms.normalise_person(details)
    except pseudonyms.IdentifierError as exc:
        raise ValidationFailed({exc.field: [str(exc)]}) from None


def _check_start_date(start: date, programme) -> None:
    if start > today():
        raise ValidationFailed({"start_date": ["The start date cannot be in the future."]})
    if not programme.start_date <= start <= programme.end_date:
        dates = f"{programme.start_date:%d %b %Y} to {programme.end_date:%d %b %Y}"
        message = f"The start date must be within the programme's dates ({dates})."
        raise ValidationFailed({"start_date": [message]})
