"""Core API routes: tokens, the outcome framework, programmes and targets, returns, schema."""

import os

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

router = DefaultRouter()
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("funding-streams", views.FundingStreamViewSet, basename="funding-stream")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register(
    r"programmes/(?P<programme_pk>[0-9]+)/targets", views.TargetViewSet, basename="programme-target"
)
router.register("returns", views.ReturnViewSet, basename="return")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so Swagger UI runs under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]

if os.environ.get("YARDSTICK_BENCH") == "1":  # bench/returns_api.py's baseline; never in production
    from api.bench_views import BenchInsertView

    urlpatterns.append(path("bench/insert/", BenchInsertView.as_view(), name="bench-insert"))
