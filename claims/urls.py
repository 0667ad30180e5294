from django.urls import path

from claims import audit_views, views

urlpatterns = [
    path("", views.claims_ledger, name="claims-ledger"),
    path("enrol/", views.enrol, name="claims-enrol"),
    path("enrol/upload/", views.enrol_upload, name="claims-enrol-upload"),
    path("programmes/<int:pk>/outcomes/", views.programme_outcomes, name="claims-programme-outcomes"),
    path(
        "programmes/<int:pk>/outcomes/<int:outcome_pk>/remove/",
        views.payable_outcome_remove,
        name="claims-outcome-remove",
    ),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
    path("<int:pk>/evidence/", views.evidence_upload, name="claim-evidence-upload"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="claim-evidence"),
    path("<int:pk>/verify/", views.claim_verify, name="claim-verify"),
    path("<int:pk>/reject/", views.claim_reject, name="claim-reject"),
    path("audits/", audit_views.audit_list, name="claim-audits"),
    path("audits/new/", audit_views.audit_draw, name="claim-audit-draw"),
    path("audits/<int:pk>/", audit_views.audit_detail, name="claim-audit-detail"),
    path("audits/<int:pk>/mark/", audit_views.audit_mark, name="claim-audit-mark"),
    path("audits/<int:pk>/conclude/", audit_views.audit_conclude, name="claim-audit-conclude"),
    path("audits/<int:pk>/clawback/", audit_views.audit_clawback, name="claim-audit-clawback"),
]
