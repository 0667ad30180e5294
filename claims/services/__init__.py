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
from claims.services.enrolment_import import enrolments_import
from claims.services.evidence import evidence_add
from claims.services.outcomes import (
    PayableOutcomeInput,
    claim_terms_set,
    payable_outcome_remove,
    payable_outcome_set,
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
    "PayableOutcomeInput",
    "claim_terms_set",
    "payable_outcome_remove",
    "payable_outcome_set",
    "EnrolmentInput",
    "claim_reject",
    "claim_submit",
    "claim_verify",
    "claims_bulk_submit",
    "enrolments_import",
    "evidence_add",
    "participant_enrol",
    "participant_key_rotate",
]
