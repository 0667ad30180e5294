"""A programme's enrolments, for those who may see them (never an identifier: there is none)."""

from django.db.models import QuerySet

from claims.models import Enrolment, PayableOutcome
from claims.permissions import Action, require
from grants.permissions import provider_organisation_ids
from grants.selectors import programme_get_visible


def enrolments_for_programme(*, user, programme_id: int) -> QuerySet[Enrolment]:
    programme = programme_get_visible(user=user, pk=programme_id)
    require(user, Action.PARTICIPANT_VIEW, programme)
    return (
        Enrolment.objects.filter(programme=programme)
        .select_related("participant")
        .order_by("start_date", "id")
    )


def sees_participants(user) -> bool:
    """Whether a provider can see participant-level data: their organisations' programmes enrol
    people or pay per claim (staff roles are covered by the MFA policy's roles)."""
    organisations = provider_organisation_ids(user)
    if not organisations:
        return False
    return (
        Enrolment.objects.filter(programme__provider_id__in=organisations).exists()
        or PayableOutcome.objects.filter(programme__provider_id__in=organisations).exists()
    )
