"""Today" for the whole product, read through one function so a demo can run at a date.

`YARDSTICK_TODAY=2010-11-15` (a setting read from the environment) pins the date that every
"today" in the code reads: owed and late returns, payments due, the current quarter, default
dates on forms, file names. Unset (production), it is the real local date. Times of day
(history, deadlines, tokens) are not pinned: they stay real.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    """The partnership's today: YARDSTICK["TODAY"] when set, else the local date."""
    return settings.YARDSTICK.get("TODAY") or timezone.localdate()
