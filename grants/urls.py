"""Web pages for the portfolio: dashboard, programmes, priorities."""

from django.urls import include, path

from grants import views, views_indicators, views_returns

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority-detail"),
    path("indicators/", views_indicators.indicator_list, name="indicator-list"),
    path("indicators/<int:pk>/", views_indicators.indicator_detail, name="indicator-detail"),
    path("returns/", views_returns.returns_overview, name="returns"),
    path("returns/new/", views_returns.return_new, name="return-new"),
    path("returns/upload/", views_returns.returns_upload, name="returns-upload"),
    path("returns/upload/template.xlsx", views_returns.returns_template, name="returns-template"),
    path("returns/queue/", views_returns.returns_queue, name="returns-queue"),
    path("returns/<int:pk>/edit/", views_returns.return_edit, name="return-edit"),
    path("returns/<int:pk>/verify/", views_returns.return_verify, name="return-verify"),
    path("returns/<int:pk>/query/", views_returns.return_query, name="return-query"),
    path("", include("grants.urls_finance")),
]
