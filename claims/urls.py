from django.urls import path

from claims import views

urlpatterns = [
    path("", views.claims_ledger, name="claims-ledger"),
    path("<int:pk>/verify/", views.claim_verify, name="claim-verify"),
    path("<int:pk>/reject/", views.claim_reject, name="claim-reject"),
]
