"""Writes for participants, claims and sampling audits: the one place each rule is enforced."""

from claims.services.audits import (
    AuditRequest,
    audit_claim_mark,
    audit_conclude,
    audit_draw,
    audit_post_clawback,
)
from claims.services.claims import (
    MAX_BULK_CLAIMS,
    ClaimInput,
    claim_reject,
    claim_submit,
    claim_verify,
    claims_bulk_submit,
)
from claims.services.participants import EnrolmentInput, participant_enrol
from claims.services.rekey import participant_key_rotate

__all__ = [
    "AuditRequest",
    "audit_claim_mark",
    "audit_conclude",
    "audit_draw",
    "audit_post_clawback",
    "MAX_BULK_CLAIMS",
    "ClaimInput",
    "EnrolmentInput",
    "claim_reject",
    "claim_submit",
    "claim_verify",
    "claims_bulk_submit",
    "participant_enrol",
    "participant_key_rotate",
]
