"""Outcomes paid per participant claim: the port through which grants reads them.

A measure that a programme pays per participant (a payable outcome in the claims ledger) has its
quarterly figures from the ledger's verified claims, not from outcome returns: the number of
claims, and the money at the price each claim fixed when it was made. The claims app sits in a
layer above grants, so it registers its implementation here when Django starts
(claims.apps.ClaimsConfig.ready); grants calls it without importing claims. With nothing
registered (an installation without the claims app), there are no such measures.

It is also told of payments recorded and reversed, so that verified claims can be marked paid
(and back) in the same transaction as the payment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class LedgerQuarter:
    """Verified (or paid) claims of one programme, measure and quarter."""

    programme_id: int
    measure_id: int
    measure_name: str
    financial_year: str
    quarter: int
    claims: int
    amount: Decimal


class Ledger(Protocol):
    def figures(self, programme_ids: Iterable[int]) -> tuple[set[tuple[int, int]], list[LedgerQuarter]]:
        """The (programme, measure) pairs paid per participant claim, and their verified and paid
        claims by programme, measure and quarter of achievement: one query."""

    def payment_recorded(self, payment, *, schedule_row) -> None:
        """A payment was recorded (inside its transaction); schedule_row is its quarter afterwards."""

    def payment_reversed(self, original, reversal) -> None:
        """A payment was reversed (inside the reversal's transaction)."""


class _NoLedger:
    def figures(self, programme_ids: Iterable[int]) -> tuple[set[tuple[int, int]], list[LedgerQuarter]]:
        return set(), []

    def payment_recorded(self, payment, *, schedule_row) -> None:
        return None

    def payment_reversed(self, original, reversal) -> None:
        return None


_ledger: Ledger = _NoLedger()


def register(ledger: Ledger) -> None:
    global _ledger
    _ledger = ledger


def ledger() -> Ledger:
    return _ledger
