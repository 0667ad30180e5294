"""API routes for review rounds."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from api.commissioning_views import ReviewRoundViewSet

router = DefaultRouter()
router.register("review-rounds", ReviewRoundViewSet, basename="review-round")

urlpatterns = [path("", include(router.urls))]
