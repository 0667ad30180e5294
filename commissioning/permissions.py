"""Who may do what in review rounds: one place, used by services, views and the API."""

from accounts.roles import is_commissioner, is_staff_role
from commissioning.models import ReviewRound


def can_manage_round(user) -> bool:
    return is_commissioner(user)


def can_score(user) -> bool:
    return is_commissioner(user)


def can_see_round(user) -> bool:
    """Rounds (not their scores) are visible to every signed-in role."""
    return bool(getattr(user, "is_authenticated", False))


def can_see_all_scores(user) -> bool:
    return is_staff_role(user)


def can_see_own_scores(user, review_round: ReviewRound) -> bool:
    """Providers see scores of their own programmes once the round is closed."""
    return review_round.is_closed


def can_generate_funding_review(user) -> bool:
    """PDF funding reviews cover every provider's figures: commissioners, finance officers, admins."""
    return is_staff_role(user)
