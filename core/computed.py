"""Figures computed from the database (a home page's task lists, a page of programmes), cached
across requests and processes and retired by the data version (core.db.data_version) rather than
by a guess at how long they stay true.

    rows = computed.cached(f"home:provider:{user.pk}:{today}", lambda: provider_home(user, today=today))

The key names everything the value depends on besides the data (the user whose visibility applies,
the date, the query); the data version is added to it. Values live in the "computed" cache, one per
process (no network round trip, and correct: the version is shared through the database); they are
pickled there, so a caller cannot change a cached value by changing what it was given. TIMEOUT
bounds how long a write made outside the product (which bumps no version) can go unseen.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections

from core.db import data_version

T = TypeVar("T")
CACHE = "computed"
TIMEOUT = 300  # seconds
_MISSING = object()


def cached(key: str, compute: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """compute(), or what it returned for the same key since the data last changed."""
    connection = connections[using]
    if data_version.has_pending_writes(connection):
        return compute()  # this transaction's own writes: not for anyone else, and may roll back
    token = data_version.current(connection)  # before computing: see core.db.data_version
    if token is None:
        return compute()
    store = caches[CACHE]
    versioned = f"{key}@{using}:{token}"
    value = store.get(versioned, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(versioned, value, TIMEOUT)
    return value
