"""Reads for participants, claims and sampling audits."""

from claims.selectors.audits import audit_get_visible, audit_items, audit_population, audits_visible_to
from claims.selectors.claims import claim_get_visible, claim_history, claims_visible_to
from claims.selectors.evidence import evidence_get_visible
from claims.selectors.participants import enrolments_for_programme

__all__ = [
    "audit_get_visible",
    "audit_items",
    "audit_population",
    "audits_visible_to",
    "claim_get_visible",
    "claim_history",
    "claims_visible_to",
    "enrolments_for_programme",
    "evidence_get_visible",
]
