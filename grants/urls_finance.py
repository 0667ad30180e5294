"""Web pages for finance (budgets, payments by results) and the list pages' spreadsheet exports."""

from django.urls import path

from grants import views_finance as views

urlpatterns = [
    path("finance/budgets/", views.budgets, name="finance-budgets"),
    path("finance/budgets/<int:pk>/", views.stream_budget, name="finance-stream"),
    path("finance/payments/", views.pbr_portfolio, name="finance-payments"),
    path(
        "finance/programmes/<int:pk>/payments/",
        views.programme_payments,
        name="finance-programme-payments",
    ),
    path("finance/payments/<int:pk>/reverse/", views.payment_reverse, name="finance-payment-reverse"),
    path("programmes/export.<str:fmt>", views.programmes_export, name="programmes-export"),
    path("returns/export.<str:fmt>", views.returns_export, name="returns-export"),
]
