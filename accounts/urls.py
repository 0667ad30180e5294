from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.account_home, name="account-home"),
    path("tokens/", views.token_list, name="account-tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="account-token-revoke"),
]
