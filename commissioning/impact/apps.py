from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "commissioning.impact"
    label = "impact"
    verbose_name = "Impact reports (matched comparison)"
