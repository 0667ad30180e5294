"""Reads shaped for pages and endpoints, by subject: programmes, returns, history, budgets,
payments. One query per list, narrowed to what a user may see; `<thing>_get_visible(*, user, pk)`
is the one way to fetch an object a user may see. Callers may import from the subject modules or
from this package."""

from grants.selectors.budgets import (
    BudgetLine,
    paid_by_programme,
    spend_by_programme,
    stream_budget,
    stream_budgets,
    stream_get_visible,
    stream_programmes,
)
from grants.selectors.history import programme_history
from grants.selectors.payments import (
    next_payment_due,
    payment_get_visible,
    payment_schedule,
    payment_schedules,
    payments_visible_to,
    pbr_programmes_visible_to,
    programme_payments,
)
from grants.selectors.programmes import (
    organisations_visible_to,
    programme_detail,
    programme_get_visible,
    programme_list,
    programme_rows,
    programmes_visible_to,
    targets_by_year,
    total_award,
)
from grants.selectors.returns import (
    OwedQuarter,
    owed_quarter,
    owed_quarters,
    return_get_visible,
    return_slots,
    returns_awaiting_review,
    returns_visible_to,
    with_quarter_target,
)

__all__ = [
    "BudgetLine",
    "OwedQuarter",
    "owed_quarter",
    "owed_quarters",
    "next_payment_due",
    "organisations_visible_to",
    "paid_by_programme",
    "payment_get_visible",
    "payment_schedule",
    "payment_schedules",
    "payments_visible_to",
    "pbr_programmes_visible_to",
    "programme_detail",
    "programme_get_visible",
    "programme_history",
    "programme_list",
    "programme_rows",
    "programme_payments",
    "programmes_visible_to",
    "return_get_visible",
    "return_slots",
    "returns_awaiting_review",
    "returns_visible_to",
    "spend_by_programme",
    "stream_budget",
    "stream_budgets",
    "stream_get_visible",
    "stream_programmes",
    "targets_by_year",
    "total_award",
    "with_quarter_target",
]
