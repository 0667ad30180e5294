"""Reads for participants and claims."""

from claims.selectors.claims import claim_get_visible, claims_visible_to
from claims.selectors.participants import enrolments_for_programme

__all__ = ["claim_get_visible", "claims_visible_to", "enrolments_for_programme"]
