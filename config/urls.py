"""Root URLs: the web pages of each app, the admin, sign-in and the REST API."""

from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from config.accessibility import statement as accessibility_statement
from config.health import healthz
from core.views import favicon

# The admin signs in through the product's sign-in page (rate limits, MFA, single sign-on).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("admin/", admin.site.urls),
    # The names "login" and "logout" predate allauth; they are the same pages as account_login/logout.
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("api.urls")),
    path("claims/", include("claims.urls")),
    path("review/", include("commissioning.urls")),
    path("calls/", include("commissioning.calls.urls")),
    path("impact/", include("commissioning.impact.urls")),
    path("funding-reviews/", include("commissioning.reports.urls")),
    path("audit/", include("audit.urls")),
    path("plan/", include("outcomes.urls")),
    path("", include("dashboard.urls")),
    path("", include("grants.urls")),
]

handler404 = "core.views.page_not_found"
handler403 = "core.views.permission_denied"
