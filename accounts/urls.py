from django.urls import path

from accounts import views

urlpatterns = [
    path("tokens/", views.token_list, name="account-tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="account-token-revoke"),
]
