"""The REST API: one router for the viewsets, and paths for the views that are not one."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api.views import (
    audit,
    auth,
    calls,
    claim_audits,
    claims,
    impact,
    indicators,
    participants,
    payments,
    programmes,
    reference,
    reports,
    returns,
    review_rounds,
)


class IntegerIdRouter(DefaultRouter):
    """Every resource here is looked up by its integer id: anything else in that place is no
    resource (404), never a lookup that fails inside the view (500)."""

    def get_lookup_regex(self, viewset, lookup_prefix: str = "") -> str:
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        value = getattr(viewset, "lookup_value_regex", "[0-9]+")
        return f"(?P<{lookup_prefix}{kwarg}>{value})"


router = IntegerIdRouter()
router.register("priorities", reference.PriorityViewSet, basename="priority")
router.register("themes", reference.ThemeViewSet, basename="theme")
router.register("indicators", reference.IndicatorViewSet, basename="indicator")
router.register("measures", reference.MeasureViewSet, basename="measure")
router.register("organisations", reference.OrganisationViewSet, basename="organisation")
router.register("funding-streams", reference.FundingStreamViewSet, basename="funding-stream")
router.register("programmes", programmes.ProgrammeViewSet, basename="programme")
router.register(
    r"programmes/(?P<programme_pk>[0-9]+)/targets", programmes.TargetViewSet, basename="programme-target"
)
router.register(
    r"programmes/(?P<programme_pk>[0-9]+)/participants",
    participants.EnrolmentViewSet,
    basename="programme-participant",
)
router.register("returns", returns.ReturnViewSet, basename="return")
router.register("claims", claims.ClaimViewSet, basename="claim")
router.register("claim-audits", claim_audits.ClaimAuditViewSet, basename="api-claim-audit")
router.register("payments", payments.PaymentViewSet, basename="payment")
router.register("impact-reports", impact.ImpactReportViewSet, basename="impact-report")
router.register("review-rounds", review_rounds.ReviewRoundViewSet, basename="review-round")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so Swagger UI runs under the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Before the router: its payments/<pk>/ would otherwise claim payments/summary/.
    path("impact-cohorts/", impact.ImpactCohortView.as_view(), name="impact-cohorts"),
    path("payments/summary/", payments.PbrSummaryView.as_view(), name="payments-summary"),
    path(
        "programmes/<int:pk>/payments/", payments.ProgrammePaymentsView.as_view(), name="programme-payments"
    ),
    path(
        "indicators/<int:pk>/tracking/", indicators.IndicatorTrackingView.as_view(), name="indicator-tracking"
    ),
    path("export/360giving.json", reports.Giving360Export.as_view(), name="export-360giving"),
    path("export/indigo.json", claim_audits.IndigoExport.as_view(), name="export-indigo"),
    path("export/360giving.csv", reports.Giving360CsvExport.as_view(), name="export-360giving-csv"),
    path(
        "review-rounds/<int:pk>/funding-review.pdf",
        reports.RoundFundingReview.as_view(),
        name="round-funding-review",
    ),
    path(
        "funding-streams/<int:pk>/funding-review.pdf",
        reports.StreamFundingReview.as_view(),
        name="stream-funding-review",
    ),
    path(
        "financial-years/<str:year>/funding-review.pdf",
        reports.YearFundingReview.as_view(),
        name="year-funding-review",
    ),
    path(
        "review-rounds/<int:pk>/funding-review/",
        reports.RoundFundingReviewFigures.as_view(),
        name="round-funding-review-figures",
    ),
    path(
        "funding-streams/<int:pk>/funding-review/",
        reports.StreamFundingReviewFigures.as_view(),
        name="stream-funding-review-figures",
    ),
    path(
        "financial-years/<str:year>/funding-review/",
        reports.YearFundingReviewFigures.as_view(),
        name="year-funding-review-figures",
    ),
    path("audit/", audit.AuditLogView.as_view(), name="api-audit"),
    path("public/calls/", calls.PublicCallsView.as_view(), name="api-public-calls"),
    path("calls/", calls.CallListView.as_view(), name="api-calls"),
    path("calls/<int:pk>/", calls.CallDetailView.as_view(), name="api-call"),
    path("calls/<int:pk>/publish/", calls.CallPublishView.as_view(), name="api-call-publish"),
    path("calls/<int:pk>/questions/", calls.QuestionsView.as_view(), name="api-call-questions"),
    path(
        "calls/<int:pk>/questions/<int:question_pk>/",
        calls.QuestionAnswerView.as_view(),
        name="api-call-question",
    ),
    path("calls/<int:pk>/bids/", calls.CallBidsView.as_view(), name="api-call-bids"),
    path("calls/<int:pk>/assessors/", calls.AssessorsView.as_view(), name="api-call-assessors"),
    path("calls/<int:pk>/interests/", calls.InterestsView.as_view(), name="api-call-interests"),
    path("calls/<int:pk>/ranking/", calls.RankingView.as_view(), name="api-call-ranking"),
    path("calls/<int:pk>/award/", calls.AwardView.as_view(), name="api-call-award"),
    path("calls/<int:pk>/conclude/", calls.ConcludeView.as_view(), name="api-call-conclude"),
    path("bids/<int:pk>/", calls.BidDetailView.as_view(), name="api-bid"),
    path("bids/<int:pk>/submit/", calls.BidSubmitView.as_view(), name="api-bid-submit"),
    path("bids/<int:pk>/withdraw/", calls.BidWithdrawView.as_view(), name="api-bid-withdraw"),
    path("bids/<int:pk>/exclude/", calls.BidExcludeView.as_view(), name="api-bid-exclude"),
    path("bids/<int:pk>/scores/", calls.BidScoresView.as_view(), name="api-bid-scores"),
    path("bids/<int:pk>/scores/submit/", calls.BidScoresSubmitView.as_view(), name="api-bid-scores-submit"),
    path("bids/<int:pk>/moderation/", calls.BidModerationView.as_view(), name="api-bid-moderation"),
    path("", include(router.urls)),
]
