"""Writes for impact reports: comparison pools, cohort data, reports and their publication."""

from commissioning.impact.services.cohorts import cohort_upload
from commissioning.impact.services.pools import pool_upload
from commissioning.impact.services.reports import report_create, report_publish

__all__ = ["cohort_upload", "pool_upload", "report_create", "report_publish"]
