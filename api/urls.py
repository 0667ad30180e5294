"""The REST API. Each area registers its routes in its own module to keep this file short."""

from django.urls import include, path

urlpatterns = [
    path("", include("api.urls_core")),
    path("", include("api.urls_commissioning")),
    path("", include("api.urls_finance")),
    path("", include("api.urls_money")),
    path("", include("api.urls_tracking")),
    path("", include("api.urls_audit")),
]
