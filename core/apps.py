from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Errors, jobs, formatting, files, db helpers, the 404/403 views, template tags, and one
    table: the data version that computed figures are cached against (core.db.data_version)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from core.db import data_version

        connection_created.connect(data_version.install, dispatch_uid="core.data_version")
        for connection in connections.all(initialized_only=True):
            data_version.install(sender=None, connection=connection)
