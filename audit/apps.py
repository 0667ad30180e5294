from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who changed what and when: reads the history tables of the apps above it; no models."""

    name = "audit"
    verbose_name = "Audit"
