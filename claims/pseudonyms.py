"""Participants pseudonymised at the door: normalise an identifier, keep only its keyed hash.

Pure: no ORM, no settings. The service passes in the key chain it read from the environment.

A pseudonym is HMAC-SHA256 over the normalised identifier, chained through every key the
partnership has used, oldest first: HMAC(k2, HMAC(k1, identifier)). Rotating the key therefore
re-keys stored pseudonyms without the identifiers (which are never kept): each becomes
HMAC(k_new, pseudonym), and new enrolments run the whole chain. Knowing any one key is not enough
to test a guess against the data; all of them are needed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# HMRC's format: two prefix letters (not D, F, I, Q, U or V; the second not O), six digits, a
# suffix A-D. Temporary numbers (TN...) and administrative prefixes are refused.
_NI_NUMBER = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")
_NOT_A_LETTER = re.compile(r"[^a-z]")
FINGERPRINT_MESSAGE = b"yardstick participant key fingerprint"


class IdentifierError(ValueError):
    """The identifier cannot be normalised; the message never repeats the identifier itself."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PersonDetails:
    date_of_birth: date
    surname: str
    forename: str


def normalise_ni_number(value: str) -> str:
    """'ab 12 34 56 c' -> 'NI:AB123456C'. The prefix keeps an NI number from ever matching a name."""
    compact = re.sub(r"[\s-]", "", value or "").upper()
    if not _NI_NUMBER.match(compact):
        raise IdentifierError(
            "ni_number",
            "Enter a National Insurance number in the format QQ 12 34 56 C (two letters, "
            "six digits, then A, B, C or D).",
        )
    return f"NI:{compact}"


def _name_key(value: str, field: str, label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = _NOT_A_LETTER.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())
    if not letters:
        raise IdentifierError(field, f"Enter the participant's {label} (letters are needed).")
    return letters


def normalise_person(details: PersonDetails) -> str:
    """Date of birth with surname and forename, folded so 'O'Brien' = 'obrien' and 'Zoë' = 'zoe'."""
    surname = _name_key(details.surname, "surname", "surname")
    forename = _name_key(details.forename, "forename", "forename")
    return f"PERSON:{details.date_of_birth.isoformat()}:{surname}:{forename}"


def pseudonym(keys: list[bytes], normalised: str) -> str:
    """The identifier's hash through the whole key chain (oldest key first), as 64 hex digits."""
    if not keys:
        raise ValueError("No participant key: pseudonyms cannot be made without one.")
    digest = normalised.encode()
    for key in keys:
        digest = hmac.new(key, digest, hashlib.sha256).digest()
    return digest.hex()


def rekey(stored: str, new_key: bytes) -> str:
    """A stored pseudonym carried under a new key: the same as running the chain plus new_key."""
    return hmac.new(new_key, bytes.fromhex(stored), hashlib.sha256).hexdigest()


def fingerprint(keys: list[bytes]) -> str:
    """Identifies a key chain without revealing it, so the data can say which chain it was made with."""
    return pseudonym(keys, FINGERPRINT_MESSAGE.decode())[:16]


def parse_key_chain(value: str) -> list[bytes]:
    """PARTICIPANT_KEY as set in the environment: one key, or after rotations 'k1,k2,...'."""
    return [part.strip().encode() for part in (value or "").split(",") if part.strip()]
