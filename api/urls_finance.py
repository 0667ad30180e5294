"""Finance API routes: 360Giving exports and PDF funding reviews."""

from django.urls import path

from api.finance_views import Giving360CsvExport, Giving360Export
from api.report_views import RoundFundingReview, StreamFundingReview, YearFundingReview

urlpatterns = [
    path("export/360giving.json", Giving360Export.as_view(), name="export-360giving"),
    path("export/360giving.csv", Giving360CsvExport.as_view(), name="export-360giving-csv"),
    path(
        "review-rounds/<int:pk>/funding-review.pdf", RoundFundingReview.as_view(), name="round-funding-review"
    ),
    path(
        "funding-streams/<int:pk>/funding-review.pdf",
        StreamFundingReview.as_view(),
        name="stream-funding-review",
    ),
    path(
        "financial-years/<str:year>/funding-review.pdf",
        YearFundingReview.as_view(),
        name="year-funding-review",
    ),
]
