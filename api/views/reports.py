"""Reports API: the PDF funding review of a review round, a funding stream or a financial year,
built while you wait (the web pages queue large ones for the background worker), and the
360Giving exports of every programme."""

from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from api.schema import R401, R403, R404
from commissioning import permissions as review_permissions
from commissioning.reports import services as report_services
from commissioning.reports.selectors import resolve_scope
from core.files import spreadsheets
from grants import permissions as grants_permissions
from grants.giving360 import CSV_COLUMNS, csv_rows, export_package
from grants.models import Programme

_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(
        OpenApiTypes.BINARY,
        description="The funding review as a PDF (A4): cover, contents, executive summary, spend against "
        "budget, the ranked value-for-money table, one section per programme, appendix of method and unit "
        "costs. Figures equal GET /api/review-rounds/{id}/vfm/ for the same round.",
    ),
    401: R401,
    403: R403,
    404: R404,
}


class _FundingReviewPdf(APIView):
    kind = ""

    def _pdf(self, request, key) -> HttpResponse:
        review_permissions.require(request.user, review_permissions.Action.FUNDING_REVIEW_GENERATE)
        scope = resolve_scope(self.kind, key)
        pdf, _ = report_services.funding_review_pdf(scope, user=request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report_services.filename_for(scope)}"'
        return response


class RoundFundingReview(_FundingReviewPdf):
    kind = "round"

    @extend_schema(
        summary="PDF funding review of a review round (commissioners, finance officers)",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="Review round id.")],
        responses=_RESPONSES,
    )
    def get(self, request, pk: int):
        return self._pdf(request, pk)


class StreamFundingReview(_FundingReviewPdf):
    kind = "stream"

    @extend_schema(
        summary="PDF funding review of a funding stream's programmes in its financial year",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="Funding stream id.")],
        responses=_RESPONSES,
    )
    def get(self, request, pk: int):
        return self._pdf(request, pk)


class YearFundingReview(_FundingReviewPdf):
    kind = "year"

    @extend_schema(
        summary="PDF funding review of every programme running in a financial year",
        parameters=[
            OpenApiParameter(
                "year",
                str,
                OpenApiParameter.PATH,
                description='Financial year written with a hyphen: "2009-10".',
            )
        ],
        responses=_RESPONSES,
    )
    def get(self, request, year: str):
        return self._pdf(request, year)


class Giving360Export(APIView):
    """Every programme as a grant, valid against the 360Giving schema v1.4."""

    @extend_schema(
        summary="The partnership's grants as a 360Giving JSON package (staff roles)",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A 360Giving package."),
            401: R401,
            403: R403,
        },
    )
    def get(self, request):
        grants_permissions.require(request.user, grants_permissions.Action.PORTFOLIO_EXPORT)
        response = JsonResponse(
            export_package(Programme.objects.order_by("reference")), json_dumps_params={"indent": 1}
        )
        response["Content-Disposition"] = 'inline; filename="yardstick-360giving.json"'
        return response


class Giving360CsvExport(APIView):
    @extend_schema(
        summary="The same grants as CSV with 360Giving column titles (staff roles)",
        responses={(200, "text/csv"): OpenApiTypes.STR, 401: R401, 403: R403},
    )
    def get(self, request):
        grants_permissions.require(request.user, grants_permissions.Action.PORTFOLIO_EXPORT)
        rows = csv_rows(export_package(Programme.objects.order_by("reference")))
        return spreadsheets.download("csv", CSV_COLUMNS, rows, filename="yardstick-360giving")
