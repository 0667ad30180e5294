"""Root URLs: the web pages of each app, the admin, sign-in and the REST API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LockoutAdminAuthenticationForm, LockoutAuthenticationForm
from config.accessibility import statement as accessibility_statement
from config.health import healthz
from core.views import favicon

admin.site.login_form = LockoutAdminAuthenticationForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accessibility/", accessibility_statement, name="accessibility"),
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
    path("funding-reviews/", include("commissioning.reports.urls")),
    path("", include("dashboard.urls")),
    path("", include("grants.urls")),
]

handler404 = "core.views.page_not_found"
handler403 = "core.views.permission_denied"
