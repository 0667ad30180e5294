"""Who may read the audit log: one place, used by the admin page and the API."""

from enum import StrEnum

from accounts.permissions import Rule, Rules, Verdict, allow_if
from accounts.roles import is_staff_role


class Action(StrEnum):
    AUDIT_VIEW = "audit.view"


AUDIT_STAFF_ONLY = "The audit log is for commissioners, finance officers and admins."


def _view_audit(user, obj=None) -> Verdict:
    return allow_if(is_staff_role(user), AUDIT_STAFF_ONLY)


RULES = Rules({Action.AUDIT_VIEW: Rule(_view_audit)})
has_permission = RULES.has_permission
require = RULES.require
