"""Reports API: the PDF funding review of a review round, a funding stream or a financial year,
built while you wait (the web pages queue large ones for the background worker), and the
360Giving exports of every programme."""

from decimal import Decimal

from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import R401, R403, R404
from api.views.review_rounds import CSVDownload
from commissioning import permissions as review_permissions
from commissioning.reports import services as report_services
from commissioning.reports import tables
from commissioning.reports.selectors import funding_review, resolve_scope
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


class _FundingReviewFigures(APIView):
    """The funding review's figures as JSON (?format=csv: its programmes as CSV): the same
    FundingReview the PDF and the HTML version are made from."""

    kind = ""
    renderer_classes = [JSONRenderer, CSVDownload]

    def _figures(self, request, key) -> HttpResponse | Response:
        review_permissions.require(request.user, review_permissions.Action.FUNDING_REVIEW_GENERATE)
        scope = resolve_scope(self.kind, key)
        review = funding_review(scope, user=request.user)
        if request.query_params.get("format") == "csv":
            columns, rows = tables.csv_table(review)
            return spreadsheets.download("csv", columns, rows, filename=f"funding-review-{scope.slug}")
        return Response(_money_as_strings(tables.as_dict(review)))


def _money_as_strings(value):
    """Decimals as the API writes money everywhere ("1234.50"), whatever the JSON encoder does."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _money_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_money_as_strings(v) for v in value]
    return value


_FIGURES_RESPONSES = {
    200: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Scope, totals (programmes, awarded, spent, spend_returned, cost, benefit, outcomes, "
        "portfolio_bcr), funding_streams (budget, awarded, available, spent, percent_spent), review_rounds "
        "(programmes, unscored, undecided), decisions and programmes: the PDF's figures, named as in "
        "docs/figures.md. ?format=csv: the programmes as CSV.",
    ),
    401: R401,
    403: R403,
    404: R404,
}
_FORMAT = OpenApiParameter("format", str, enum=["json", "csv"], description="csv downloads the programmes.")


class RoundFundingReviewFigures(_FundingReviewFigures):
    kind = "round"

    @extend_schema(
        summary="A review round's funding review figures (JSON or CSV)",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH), _FORMAT],
        responses=_FIGURES_RESPONSES,
    )
    def get(self, request, pk: int):
        return self._figures(request, pk)


class StreamFundingReviewFigures(_FundingReviewFigures):
    kind = "stream"

    @extend_schema(
        summary="A funding stream's funding review figures (JSON or CSV)",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH), _FORMAT],
        responses=_FIGURES_RESPONSES,
    )
    def get(self, request, pk: int):
        return self._figures(request, pk)


class YearFundingReviewFigures(_FundingReviewFigures):
    kind = "year"

    @extend_schema(
        summary="A financial year's funding review figures (JSON or CSV)",
        parameters=[
            OpenApiParameter("year", str, OpenApiParameter.PATH, description="Written 2009-10."),
            _FORMAT,
        ],
        responses=_FIGURES_RESPONSES,
    )
    def get(self, request, year: str):
        return self._figures(request, year)


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
