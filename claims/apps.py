from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Participants and outcome claims"

    def ready(self) -> None:
        from claims.ledger import ClaimsLedger
        from grants.ledger import register

        register(ClaimsLedger())
