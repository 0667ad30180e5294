"""Who may do what with calls and bids: one place, used by services, selectors, views and the API.

Published calls are public (anyone, signed in or not). Commissioners manage calls and assess.
A bid is its organisation's: its members (providers) see and change it; commissioners see it once
submitted, unless they declared a conflict with its organisation (the selectors check the
conflicts register, which needs the database); anyone else is told it does not exist (404).
"""

from enum import StrEnum

from accounts.permissions import ALLOWED, Rule, Rules, Verdict, allow_if, deny
from accounts.roles import is_commissioner, is_provider
from core.errors import NotFound
from grants.permissions import member_organisation_ids

from .models import Bid, Call


class Action(StrEnum):
    CALL_MANAGE = "call.manage"  # create, change, publish calls; answer clarifications; award
    CALL_VIEW = "call.view"  # obj: a call
    CALL_ASK = "call.ask"  # obj: a call; ask a clarification question
    BID_CREATE = "bid.create"  # obj: the organisation bidding
    BID_VIEW = "bid.view"  # obj: a bid
    BID_CHANGE = "bid.change"  # obj: a bid; edit, submit, withdraw
    ASSESS = "call.assess"  # declare interests, score, moderate (assignment is checked by the service)


COMMISSIONERS_MANAGE_CALLS = "Only commissioners can create and manage calls, clarifications and awards."
CALL_NOT_VISIBLE = "No call with that id is visible to you."
BID_NOT_VISIBLE = "No bid with that id is visible to you."
PROVIDERS_ASK = "Only bidders (provider staff) ask clarification questions; commissioners answer them."
BID_FOR_OWN_ORGANISATION = "You can only bid for an organisation you are a member of."
PROVIDERS_CHANGE_BIDS = "Only the bidding organisation's own staff can change, submit or withdraw its bid."
COMMISSIONERS_ASSESS = "Only commissioners assess bids."


def _manage(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_MANAGE_CALLS)


def _view_call(user, call: Call) -> Verdict:
    return allow_if(call.status != Call.Status.DRAFT or is_commissioner(user), CALL_NOT_VISIBLE)


def _ask(user, call: Call) -> Verdict:
    return allow_if(is_provider(user) and call.status == Call.Status.OPEN, PROVIDERS_ASK)


def _create_bid(user, organisation) -> Verdict:
    return allow_if(
        is_provider(user) and organisation is not None and organisation.pk in member_organisation_ids(user),
        BID_FOR_OWN_ORGANISATION,
    )


def _own(user, bid: Bid) -> bool:
    return is_provider(user) and bid.organisation_id in member_organisation_ids(user)


def _view_bid(user, bid: Bid) -> Verdict:
    if _own(user, bid):
        return ALLOWED
    if is_commissioner(user) and bid.status != Bid.Status.DRAFT:
        return ALLOWED
    return deny(BID_NOT_VISIBLE)


def _change_bid(user, bid: Bid) -> Verdict:
    return allow_if(_own(user, bid), PROVIDERS_CHANGE_BIDS)


def _assess(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_ASSESS)


RULES = Rules(
    {
        Action.CALL_MANAGE: Rule(_manage),
        Action.CALL_VIEW: Rule(_view_call, NotFound),
        Action.CALL_ASK: Rule(_ask),
        Action.BID_CREATE: Rule(_create_bid),
        Action.BID_VIEW: Rule(_view_bid, NotFound),
        Action.BID_CHANGE: Rule(_change_bid),
        Action.ASSESS: Rule(_assess),
    }
)
has_permission = RULES.has_permission
require = RULES.require
