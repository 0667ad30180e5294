"""A programme's enrolments, for those who may see them (never an identifier: there is none)."""

from django.db.models import QuerySet

from claims.models import Enrolment
from claims.permissions import Action, require
from grants.selectors import programme_get_visible


def enrolments_for_programme(*, user, programme_id: int) -> QuerySet[Enrolment]:
    programme = programme_get_visible(user=user, pk=programme_id)
    require(user, Action.PARTICIPANT_VIEW, programme)
    return (
        Enrolment.objects.filter(programme=programme)
        .select_related("participant")
        .order_by("start_date", "id")
    )
