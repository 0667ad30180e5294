"""Audit API route."""

from django.urls import path

from api.audit_views import AuditLogView

urlpatterns = [path("audit/", AuditLogView.as_view(), name="api-audit")]
