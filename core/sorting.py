"""Natural order for codes people read: "NI 15" before "NI 111", as a person counts."""

import re

_DIGITS = re.compile(r"\d+")
_WIDTH = 12  # digits a number is padded to; codes carry far fewer


def natural_key(text: str) -> str:
    """A string that sorts as `text` reads: each run of digits padded with zeros and letters
    folded to lower case, so a plain (database or Python) string sort puts "NI 15" before
    "NI 111" and "ni 2" beside "NI 2". Kept in a column where the database must sort by it."""
    return _DIGITS.sub(lambda m: m.group().lstrip("0").rjust(_WIDTH, "0"), text.strip().casefold())
