"""Finance API: the PDF funding review of a review round, a funding stream or a financial year,
built while you wait (the web pages queue large ones for the background worker)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from api.schema import R401, R403, R404
from commissioning import report_services
from commissioning.report_selectors import resolve_scope

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
        report_services.check_can_generate(request.user)
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
