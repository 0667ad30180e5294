"""Who may see and enrol participants and claim for them: a programme's provider enrols, claims and
sees its own; partnership staff see every programme's (participants only ever as references);
commissioners verify and reject claims."""

from enum import StrEnum

from accounts.permissions import ALLOWED, Rule, Rules, Verdict, allow_if, deny
from accounts.roles import is_commissioner, is_finance, is_provider, is_staff_role
from core.errors import NotFound
from grants.permissions import PROGRAMME_NOT_VISIBLE, provider_organisation_ids


class Action(StrEnum):
    PARTICIPANT_VIEW = "participant.view"  # obj: the programme whose participants are listed
    PARTICIPANT_ENROL = "participant.enrol"  # obj: the programme
    CLAIM_VIEW = "claim.view"  # obj: a claim
    CLAIM_SUBMIT = "claim.submit"  # obj: the programme
    CLAIM_REVIEW = "claim.review"  # verify or reject claims
    AUDIT_VIEW = "audit.view"  # obj: a claim audit
    AUDIT_MANAGE = "audit.manage"  # draw a sample, check its claims, conclude
    EVIDENCE_ADD = "claim.evidence.add"  # obj: a claim
    OUTCOMES_MANAGE = "claim.outcomes.manage"  # obj: the programme whose payable outcomes are set
    INDIGO_EXPORT = "claims.indigo_export"  # the outcomes contracts as INDIGO projects


PROVIDERS_ENROL = "Only the provider's own staff can enrol participants on this programme."
COMMISSIONERS_DO_NOT_ENROL = "Providers enrol participants; commissioners verify what they claim."
CLAIM_NOT_VISIBLE = "No claim with that id is visible to you."
PROVIDERS_CLAIM = "Only the provider's own staff can make claims for this programme."
COMMISSIONERS_REVIEW_CLAIMS = "Only commissioners can verify or reject claims."
AUDIT_NOT_VISIBLE = "No audit with that id is visible to you."
COMMISSIONERS_AUDIT = "Only commissioners can draw and check audit samples."
COMMISSIONERS_SET_OUTCOMES = "Only commissioners can set the outcomes a programme pays for per claim."
PROVIDERS_ADD_EVIDENCE = "Only the provider's own staff can add evidence to this claim."
INDIGO_STAFF_ONLY = (
    "The INDIGO export covers every provider's contracts, so it is for commissioners and finance."
)


def _view(user, programme) -> Verdict:
    sees = is_staff_role(user) or programme.provider_id in provider_organisation_ids(user)
    return allow_if(sees, PROGRAMME_NOT_VISIBLE)


def _providers_own(reason: str):
    def check(user, programme) -> Verdict:
        if is_commissioner(user) and not is_provider(user):
            return ALLOWED if user.is_superuser else deny(COMMISSIONERS_DO_NOT_ENROL)
        return allow_if(programme.provider_id in provider_organisation_ids(user), reason)

    return check


def _view_claim(user, claim) -> Verdict:
    sees = is_staff_role(user) or claim.programme.provider_id in provider_organisation_ids(user)
    return allow_if(sees, CLAIM_NOT_VISIBLE)


def _review_claim(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_REVIEW_CLAIMS)


def _view_audit(user, audit) -> Verdict:
    sees = is_staff_role(user) or audit.programme.provider_id in provider_organisation_ids(user)
    return allow_if(sees, AUDIT_NOT_VISIBLE)


def _manage_audit(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_AUDIT)


def _add_evidence(user, claim) -> Verdict:
    return _providers_own(PROVIDERS_ADD_EVIDENCE)(user, claim.programme)


def _manage_outcomes(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_SET_OUTCOMES)


def _export_indigo(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user) or is_finance(user), INDIGO_STAFF_ONLY)


RULES = Rules(
    {
        Action.PARTICIPANT_VIEW: Rule(_view, NotFound),
        Action.PARTICIPANT_ENROL: Rule(_providers_own(PROVIDERS_ENROL)),
        Action.CLAIM_VIEW: Rule(_view_claim, NotFound),
        Action.CLAIM_SUBMIT: Rule(_providers_own(PROVIDERS_CLAIM)),
        Action.CLAIM_REVIEW: Rule(_review_claim),
        Action.AUDIT_VIEW: Rule(_view_audit, NotFound),
        Action.AUDIT_MANAGE: Rule(_manage_audit),
        Action.EVIDENCE_ADD: Rule(_add_evidence),
        Action.OUTCOMES_MANAGE: Rule(
            lambda user, obj=None: allow_if(is_commissioner(user), COMMISSIONERS_SET_OUTCOMES)
        ),
        Action.INDIGO_EXPORT: Rule(_export_indigo),
    }
)
has_permission = RULES.has_permission
require = RULES.require
get_visible = RULES.get_visible
