"""The partnership's participant key chain, read from settings, checked against the data."""

from __future__ import annotations

from django.conf import settings

from claims import pseudonyms
from claims.models import ParticipantKey
from core.errors import ValidationFailed

KEY_MISSING = (
    "Participants cannot be enrolled: this server has no participant key (PARTICIPANT_KEY). "
    "Ask the system administrator to set it; see docs/data-protection.md."
)
KEY_MISMATCH = (
    "Participants cannot be enrolled: this server's participant key (PARTICIPANT_KEY) is not the one "
    "the stored participants were made with (was it rotated without updating the setting?). Ask the "
    "system administrator; see docs/data-protection.md."
)


def configured_chain() -> list[bytes]:
    return pseudonyms.parse_key_chain(settings.YARDSTICK.get("PARTICIPANT_KEY", ""))


def chain_in_force() -> list[bytes]:
    """The configured key chain, refused unless it is the one the data was made with. The first
    use records its fingerprint. Call inside the enrolment's transaction."""
    keys = configured_chain()
    if not keys:
        raise ValidationFailed(KEY_MISSING)
    current = ParticipantKey.objects.select_for_update().order_by("-created_at", "-id").first()
    fingerprint = pseudonyms.fingerprint(keys)
    if current is None:
        ParticipantKey.objects.get_or_create(
            fingerprint=fingerprint, defaults={"keys_in_chain": len(keys), "note": "First enrolment"}
        )
    elif current.fingerprint != fingerprint:
        raise ValidationFailed(KEY_MISMATCH)
    return keys
