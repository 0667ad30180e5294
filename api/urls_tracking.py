"""Indicator tracking API routes."""

from django.urls import path

from api.indicator_views import IndicatorTrackingView

urlpatterns = [
    path("indicators/<int:pk>/tracking/", IndicatorTrackingView.as_view(), name="indicator-tracking"),
]
