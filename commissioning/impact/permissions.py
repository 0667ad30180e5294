"""Who may do what with impact reports. Commissioners upload comparison pools, make and publish
reports; the programme's provider (and commissioners) upload its cohort's data; partnership staff
see every report; a provider sees its own programmes' published reports."""

from enum import StrEnum

from accounts.permissions import Rule, Rules, Verdict, allow_if
from accounts.roles import is_commissioner, is_staff_role
from core.errors import NotFound
from grants.permissions import provider_organisation_ids


class Action(StrEnum):
    POOL_MANAGE = "impact.pool_manage"  # upload comparison pools
    REPORT_MANAGE = "impact.report_manage"  # make, publish reports
    REPORT_SEE_ALL = "impact.report_see_all"  # every programme's reports, drafts and pools
    REPORT_VIEW = "impact.report_view"  # obj: a report
    COHORT_UPLOAD = "impact.cohort_upload"  # obj: the programme


COMMISSIONERS_MANAGE = "Only commissioners upload comparison pools and make impact reports."
STAFF_SEE_ALL = "Comparison pools and draft reports are for partnership staff."
REPORT_NOT_VISIBLE = "No impact report with that id is visible to you."
COHORT_UPLOADERS = "Only the programme's provider or a commissioner can upload its cohort's data."


def _commissioners(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_MANAGE)


def _staff(user, obj=None) -> Verdict:
    return allow_if(is_staff_role(user), STAFF_SEE_ALL)


def _view(user, report) -> Verdict:
    if is_staff_role(user):
        return allow_if(True, "")
    own = report.programme.provider_id in provider_organisation_ids(user)
    return allow_if(own and report.status == "published", REPORT_NOT_VISIBLE)


def _cohort(user, programme) -> Verdict:
    own = programme.provider_id in provider_organisation_ids(user)
    return allow_if(is_commissioner(user) or own, COHORT_UPLOADERS)


RULES = Rules(
    {
        Action.POOL_MANAGE: Rule(_commissioners),
        Action.REPORT_MANAGE: Rule(_commissioners),
        Action.REPORT_SEE_ALL: Rule(_staff),
        Action.REPORT_VIEW: Rule(_view, NotFound),
        Action.COHORT_UPLOAD: Rule(_cohort),
    }
)
has_permission = RULES.has_permission
require = RULES.require
get_visible = RULES.get_visible
