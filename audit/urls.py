"""The audit log's web page (mounted at /audit/)."""

from django.urls import path

from audit import views

urlpatterns = [path("", views.audit_log_page, name="audit-log")]
