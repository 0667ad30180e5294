"""API routes for payments by results (budgets are an action on the funding streams)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api import money_views as views

router = SimpleRouter()
router.register("payments", views.PaymentViewSet, basename="payment")

urlpatterns = [
    path("payments/summary/", views.PbrSummaryView.as_view(), name="payments-summary"),
    path("programmes/<int:pk>/payments/", views.ProgrammePaymentsView.as_view(), name="programme-payments"),
    path("", include(router.urls)),
]
