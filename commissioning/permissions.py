"""Who may do what in review rounds and funding reviews: one place, used by services, views and
the API. `has_permission(action, user, obj=None)` returns a Verdict (allowed, reason);
`require(user, action, obj=None)` raises NotPermitted with the reason. Rounds themselves (not
their scores) are visible to every signed-in role."""

from enum import StrEnum

from accounts.permissions import Rule, Rules, Verdict, allow_if
from accounts.roles import Role, has_role, is_commissioner, is_staff_role


class Action(StrEnum):
    ROUND_MANAGE = "round.manage"  # create rounds, set their rubric, open and close them, decide
    ROUND_REOPEN = "round.reopen"  # reopen a closed round (admins only), with a reason kept in history
    ROUND_SCORE = "round.score"  # score programmes and declare conflicts of interest
    SCORES_SEE_ALL = "scores.see_all"  # every provider's scores and the value-for-money table
    FUNDING_REVIEW_GENERATE = "funding_review.generate"  # PDF funding reviews, and their jobs


COMMISSIONERS_MANAGE_ROUNDS = "Only commissioners can create and manage review rounds."
ADMINS_REOPEN_ROUNDS = (
    "Only an admin can reopen a closed round: its scores and decisions were final when it closed."
)
COMMISSIONERS_SCORE = "Only commissioners score programmes and declare conflicts of interest."
SCORES_STAFF_ONLY = (
    "A round's scores and value-for-money table cover every provider, so they are for partnership staff."
)
FUNDING_REVIEWS_STAFF_ONLY = (
    "Funding reviews cover every provider's figures, so they are for commissioners and finance officers."
)


def _commissioners(reason: str):
    def check(user, obj=None) -> Verdict:
        return allow_if(is_commissioner(user), reason)

    return check


def _admins(reason: str):
    def check(user, obj=None) -> Verdict:
        return allow_if(has_role(user, Role.ADMIN), reason)

    return check


def _staff(reason: str):
    def check(user, obj=None) -> Verdict:
        return allow_if(is_staff_role(user), reason)

    return check


RULES = Rules(
    {
        Action.ROUND_MANAGE: Rule(_commissioners(COMMISSIONERS_MANAGE_ROUNDS)),
        Action.ROUND_REOPEN: Rule(_admins(ADMINS_REOPEN_ROUNDS)),
        Action.ROUND_SCORE: Rule(_commissioners(COMMISSIONERS_SCORE)),
        Action.SCORES_SEE_ALL: Rule(_staff(SCORES_STAFF_ONLY)),
        Action.FUNDING_REVIEW_GENERATE: Rule(_staff(FUNDING_REVIEWS_STAFF_ONLY)),
    }
)
has_permission = RULES.has_permission
require = RULES.require
