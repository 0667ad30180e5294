"""Who may see and do what in grants: one place, used by selectors, services, views and the API.

`has_permission(action, user, obj=None)` returns a Verdict (allowed, reason); `require(user,
action, obj=None)` raises the refusal with its reason: NotFound for the *.view actions (another
organisation's programme, return or payment is not found), NotPermitted otherwise.
"""

from enum import StrEnum

from accounts.permissions import ALLOWED, Rule, Rules, Verdict, allow_if, deny
from accounts.roles import is_commissioner, is_finance, is_provider, is_staff_role
from core.errors import NotFound


class Action(StrEnum):
    PORTFOLIO_VIEW = "portfolio.view"  # every provider's programmes, returns and payments
    PORTFOLIO_EXPORT = "portfolio.export"  # the 360Giving export of every programme
    PROGRAMME_VIEW = "programme.view"  # obj: a programme
    PROGRAMME_CHANGE = "programme.change"  # create and change programmes and their targets
    RETURN_VIEW = "return.view"  # obj: an outcome return
    RETURN_SUBMIT = "return.submit"  # obj: the programme; submit or amend its returns
    RETURN_REVIEW = "return.review"  # verify or query returns
    PAYMENT_VIEW = "payment.view"  # obj: a payment
    PAYMENT_RECORD = "payment.record"  # record and reverse payments
    BUDGET_VIEW = "budget.view"
    STREAM_CHANGE = "stream.change"  # create and change funding streams and their budgets


# Reasons, in the words a refusal carries.
PORTFOLIO_STAFF_ONLY = "The whole portfolio covers every provider, so it is for partnership staff."
EXPORT_STAFF_ONLY = "The export covers every provider, so it is for partnership staff."
PROGRAMME_NOT_VISIBLE = "No programme with that id is visible to you."
RETURN_NOT_VISIBLE = "No return with that id is visible to you."
PAYMENT_NOT_VISIBLE = "No payment with that id is visible to you."
COMMISSIONERS_CHANGE_PROGRAMMES = "Only commissioners can create and change programmes and their targets."
PROVIDERS_SUBMIT_RETURNS = "Only the provider's own staff can submit or amend returns for this programme."
COMMISSIONERS_DO_NOT_SUBMIT = (
    "Commissioners verify and query returns; the provider's own staff submit and amend them."
)
COMMISSIONERS_REVIEW_RETURNS = "Only commissioners can verify or query returns."
FINANCE_RECORDS_PAYMENTS = "Only finance officers can record or reverse payments."
BUDGETS_STAFF_ONLY = "Budgets cover every provider, so they are for partnership staff."
STREAMS_CHANGED_BY = "Only commissioners and finance officers can create and change funding streams."


def member_organisation_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "_yardstick_org_ids", None) is None:
        from accounts.roles import load_access

        load_access(user)
    return user._yardstick_org_ids


def provider_organisation_ids(user) -> set[int]:
    """The organisations whose programmes a provider works on (none for any other role)."""
    return member_organisation_ids(user) if is_provider(user) else set()


def _staff(reason: str):
    def check(user, obj=None) -> Verdict:
        return allow_if(is_staff_role(user), reason)

    return check


def _sees_programme(user, programme) -> bool:
    return is_staff_role(user) or programme.provider_id in provider_organisation_ids(user)


def _view_programme(user, programme) -> Verdict:
    return allow_if(_sees_programme(user, programme), PROGRAMME_NOT_VISIBLE)


def _view_return(user, outcome_return) -> Verdict:
    return allow_if(_sees_programme(user, outcome_return.programme), RETURN_NOT_VISIBLE)


def _view_payment(user, payment) -> Verdict:
    return allow_if(_sees_programme(user, payment.programme), PAYMENT_NOT_VISIBLE)


def _change_programme(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_CHANGE_PROGRAMMES)


def _submit_return(user, programme) -> Verdict:
    """Providers submit for their own organisations' programmes; superusers may too, on their behalf."""
    if is_commissioner(user) and not is_provider(user):
        return ALLOWED if user.is_superuser else deny(COMMISSIONERS_DO_NOT_SUBMIT)
    return allow_if(programme.provider_id in provider_organisation_ids(user), PROVIDERS_SUBMIT_RETURNS)


def _review_return(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user), COMMISSIONERS_REVIEW_RETURNS)


def _change_stream(user, obj=None) -> Verdict:
    return allow_if(is_commissioner(user) or is_finance(user), STREAMS_CHANGED_BY)


def _record_payment(user, obj=None) -> Verdict:
    return allow_if(is_finance(user), FINANCE_RECORDS_PAYMENTS)


RULES = Rules(
    {
        Action.PORTFOLIO_VIEW: Rule(_staff(PORTFOLIO_STAFF_ONLY)),
        Action.PORTFOLIO_EXPORT: Rule(_staff(EXPORT_STAFF_ONLY)),
        Action.PROGRAMME_VIEW: Rule(_view_programme, NotFound),
        Action.PROGRAMME_CHANGE: Rule(_change_programme),
        Action.RETURN_VIEW: Rule(_view_return, NotFound),
        Action.RETURN_SUBMIT: Rule(_submit_return),
        Action.RETURN_REVIEW: Rule(_review_return),
        Action.PAYMENT_VIEW: Rule(_view_payment, NotFound),
        Action.PAYMENT_RECORD: Rule(_record_payment),
        Action.BUDGET_VIEW: Rule(_staff(BUDGETS_STAFF_ONLY)),
        Action.STREAM_CHANGE: Rule(_change_stream),
    }
)
has_permission = RULES.has_permission
require = RULES.require
get_visible = RULES.get_visible
