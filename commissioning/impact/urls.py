"""Impact report pages (under /impact/)."""

from django.urls import path

from commissioning.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.report_list, name="reports"),
    path("new/", views.report_new, name="report-new"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:pk>/publish/", views.report_publish, name="report-publish"),
    path("pools/upload/", views.pool_upload, name="pool-upload"),
    path("cohorts/upload/", views.cohort_upload, name="cohort-upload"),
]
