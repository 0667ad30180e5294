"""Writes and workflows for calls, by subject: calls (scheme, lots, publishing, clarifications),
bids (drafts, submission, withdrawal), assessment (assessors, the conflicts register, blind
scores, moderation, exclusion), awards (recommendation, standstill, conclusion into a programme).

Each takes the acting user, checks permission and state under the call's row lock, runs in a
transaction, records history with the user and raises a core.errors domain error.
"""

from .assessment import (
    assessment_submit,
    assessor_assign,
    bid_exclude,
    interest_declare,
    moderation_record,
    score_record,
)
from .awards import award_conclude, award_recommend
from .bids import bid_create, bid_submit, bid_update, bid_withdraw
from .calls import (
    CriterionInput,
    LotInput,
    call_create,
    call_publish,
    call_update,
    clarification_answer,
    clarification_ask,
)

__all__ = [
    "CriterionInput",
    "LotInput",
    "assessment_submit",
    "assessor_assign",
    "award_conclude",
    "award_recommend",
    "bid_create",
    "bid_exclude",
    "bid_submit",
    "bid_update",
    "bid_withdraw",
    "call_create",
    "call_publish",
    "call_update",
    "clarification_answer",
    "clarification_ask",
    "interest_declare",
    "moderation_record",
    "score_record",
]
