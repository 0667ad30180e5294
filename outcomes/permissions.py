"""Who may change the outcome framework (priorities, themes, wards): one place, used by the
services, the web pages and the admin.

Everyone signed in reads the framework (the home page, the API's reference lists); only
commissioners (and admins) change it."""

from enum import StrEnum

from accounts.permissions import Rule, Rules, Verdict, allow_if
from accounts.roles import is_commissioner, is_staff_role


class Action(StrEnum):
    FRAMEWORK_VIEW = "framework.view"  # the page that lists them for managing
    FRAMEWORK_CHANGE = "framework.change"  # create and change priorities, themes and wards


FRAMEWORK_STAFF_ONLY = "Setting up the plan's priorities, themes and wards is for partnership staff."
COMMISSIONERS_CHANGE_FRAMEWORK = "Only commissioners can create and change priorities, themes and wards."


def _view_framework(user, obj=None) -> Verdict:
    return allow_if(is_staff_role(user), FRAMEWORK_STAFF_ONLY)


def _change_framework(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_CHANGE_FRAMEWORK)


RULES = Rules(
    {
        Action.FRAMEWORK_VIEW: Rule(_view_framework),
        Action.FRAMEWORK_CHANGE: Rule(_change_framework),
    }
)
has_permission = RULES.has_permission
require = RULES.require
