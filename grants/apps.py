from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants and programmes"

    def ready(self) -> None:
        from accounts.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self, dispatch_uid="yardstick_role_groups")
        post_migrate.connect(_ensure_totals_triggers, sender=self, dispatch_uid="yardstick_totals_triggers")


def _ensure_totals_triggers(using: str = "default", **kwargs) -> None:
    from django.db import connections

    from grants import totals

    totals.ensure_installed(connections[using])
