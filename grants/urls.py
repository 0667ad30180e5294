"""Web pages for grants: programmes, outcome returns, finance (budgets, payments by results)."""

from django.urls import path

from grants.views import finance, manage, programmes, return_new, returns, staff

urlpatterns = [
    path("organisations/staff/", staff.staff_home, name="staff-home"),
    path("organisations/<int:pk>/staff/", staff.staff_list, name="staff-list"),
    path("organisations/<int:pk>/staff/<int:member_id>/remove/", staff.staff_remove, name="staff-remove"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_id>/cancel/",
        staff.staff_invitation_cancel,
        name="staff-invitation-cancel",
    ),
    path("invitations/<str:key>/", staff.staff_accept, name="staff-accept"),
    path("programmes/", programmes.programme_list, name="programme-list"),
    path("programmes/export.<str:fmt>", programmes.programmes_export, name="programmes-export"),
    path("programmes/new/", manage.programme_new, name="programme-new"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", manage.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/targets/", manage.programme_targets, name="programme-targets"),
    path("returns/", returns.returns_overview, name="returns"),
    path("returns/export.<str:fmt>", returns.returns_export, name="returns-export"),
    path("returns/new/", return_new.return_new, name="return-new"),
    path("returns/upload/", returns.returns_upload, name="returns-upload"),
    path("returns/upload/template.xlsx", returns.returns_template, name="returns-template"),
    path("returns/queue/", returns.returns_queue, name="returns-queue"),
    path("returns/queue/verify/", returns.returns_verify_selected, name="returns-verify-selected"),
    path("returns/<int:pk>/", returns.return_detail, name="return-detail"),
    path("returns/<int:pk>/edit/", returns.return_edit, name="return-edit"),
    path("returns/<int:pk>/reopen/", returns.return_reopen, name="return-reopen"),
    path("returns/<int:pk>/verify/", returns.return_verify, name="return-verify"),
    path("returns/<int:pk>/query/", returns.return_query, name="return-query"),
    path("finance/budgets/", finance.budgets, name="finance-budgets"),
    path("finance/budgets/<int:pk>/", finance.stream_budget, name="finance-stream"),
    path("finance/budgets/streams/new/", manage.stream_new, name="stream-new"),
    path("finance/budgets/<int:pk>/edit/", manage.stream_edit, name="stream-edit"),
    path("finance/payments/", finance.pbr_portfolio, name="finance-payments"),
    path(
        "finance/programmes/<int:pk>/payments/", finance.programme_payments, name="finance-programme-payments"
    ),
    path("finance/payments/<int:pk>/reverse/", finance.payment_reverse, name="finance-payment-reverse"),
]
