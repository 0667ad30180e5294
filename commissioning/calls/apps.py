from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "commissioning.calls"
    label = "calls"
    verbose_name = "Calls for proposals and bids"

    def ready(self) -> None:
        from grants import panels

        from .panels import delivery_panel

        panels.register(delivery_panel)
