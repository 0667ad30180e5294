"""Root URLs: the web pages of each app, the admin, sign-in and the REST API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import healthz
from grants.login_forms import LockoutAdminAuthenticationForm, LockoutAuthenticationForm

admin.site.login_form = LockoutAdminAuthenticationForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LockoutAuthenticationForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("api.urls")),
    path("review/", include("commissioning.urls")),
    path("funding-reviews/", include("commissioning.urls_reports")),
    path("", include("grants.urls")),
]

handler404 = "grants.views.page_not_found"
handler403 = "grants.views.permission_denied"
