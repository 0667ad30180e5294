"""Reads for participants and claims."""

from claims.selectors.participants import enrolments_for_programme

__all__ = ["enrolments_for_programme"]
