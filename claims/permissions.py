"""Who may see and enrol participants: a programme's provider enrols and sees its own; partnership
staff see every programme's participants (only ever as references)."""

from enum import StrEnum

from accounts.permissions import ALLOWED, Rule, Rules, Verdict, allow_if, deny
from accounts.roles import is_commissioner, is_provider, is_staff_role
from core.errors import NotFound
from grants.permissions import PROGRAMME_NOT_VISIBLE, provider_organisation_ids


class Action(StrEnum):
    PARTICIPANT_VIEW = "participant.view"  # obj: the programme whose participants are listed
    PARTICIPANT_ENROL = "participant.enrol"  # obj: the programme


PROVIDERS_ENROL = "Only the provider's own staff can enrol participants on this programme."
COMMISSIONERS_DO_NOT_ENROL = "Providers enrol participants; commissioners verify what they claim."


def _view(user, programme) -> Verdict:
    sees = is_staff_role(user) or programme.provider_id in provider_organisation_ids(user)
    return allow_if(sees, PROGRAMME_NOT_VISIBLE)


def _enrol(user, programme) -> Verdict:
    if is_commissioner(user) and not is_provider(user):
        return ALLOWED if user.is_superuser else deny(COMMISSIONERS_DO_NOT_ENROL)
    return allow_if(programme.provider_id in provider_organisation_ids(user), PROVIDERS_ENROL)


RULES = Rules(
    {
        Action.PARTICIPANT_VIEW: Rule(_view, NotFound),
        Action.PARTICIPANT_ENROL: Rule(_enrol),
    }
)
has_permission = RULES.has_permission
require = RULES.require
