from django.apps import AppConfig


class CoreConfig(AppConfig):
    """No models: errors, jobs, formatting, files, db helpers, the 404/403 views, template tags."""

    name = "core"
    verbose_name = "Core"
