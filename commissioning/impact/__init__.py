"""Matched-comparison impact reports: comparison pools, cohort data, the estimate (estimates.py,
pure), and the report's page, PDF and API. See docs/impact.md."""
