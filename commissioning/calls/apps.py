from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "commissioning.calls"
    label = "calls"
    verbose_name = "Calls for proposals and bids"
