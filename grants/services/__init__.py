"""Writes and workflows for grants, by subject: returns, programmes (and targets, one at a time
or as a grid), funding streams, payments, budgets (the award-against-budget checks).

Every service takes the acting user, checks permission and validity under the row lock it
depends on, runs in a transaction, records history with the user, and raises a core.errors
domain error a person can act on. The API, the web forms, the admin, imports and the demo
loader call these same functions, so each rule is written once. Callers may import from the
subject modules or, as most do, from this package.
"""

from grants.services.payments import (
    REVERSAL_REASON_MAX,
    payment_clawback,
    payment_prepare,
    payment_record,
    payment_reverse,
)
from grants.services.programmes import programme_create, programme_update, target_delete, target_save
from grants.services.returns import (
    MAX_BULK_RETURNS,
    ReturnInput,
    return_amend,
    return_history,
    return_query,
    return_reopen,
    return_submit,
    return_verify,
    returns_bulk_submit,
)
from grants.services.streams import funding_stream_create, funding_stream_update
from grants.services.target_grid import GridChanges, TargetRow, targets_save_grid
from grants.services.verification import MAX_BULK_VERIFY, returns_bulk_verify

__all__ = [
    "GridChanges",
    "TargetRow",
    "funding_stream_create",
    "funding_stream_update",
    "targets_save_grid",
    "MAX_BULK_RETURNS",
    "MAX_BULK_VERIFY",
    "REVERSAL_REASON_MAX",
    "ReturnInput",
    "payment_clawback",
    "payment_prepare",
    "payment_record",
    "payment_reverse",
    "programme_create",
    "programme_update",
    "return_amend",
    "return_history",
    "return_query",
    "return_reopen",
    "return_submit",
    "return_verify",
    "returns_bulk_submit",
    "returns_bulk_verify",
    "target_delete",
    "target_save",
]
