from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Participants and outcome claims"

    def ready(self) -> None:
        from accounts.security import register_participant_data_check
        from claims.ledger import ClaimsLedger
        from claims.selectors.participants import sees_participants
        from grants.ledger import register

        register(ClaimsLedger())
        register_participant_data_check(sees_participants)
