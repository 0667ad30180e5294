"""Writes for participants and (later) claims: the one place each rule is enforced."""

from claims.services.participants import EnrolmentInput, participant_enrol
from claims.services.rekey import participant_key_rotate

__all__ = ["EnrolmentInput", "participant_enrol", "participant_key_rotate"]
