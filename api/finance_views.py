"""Finance API: the partnership's grants in the 360Giving Data Standard (JSON and CSV)."""

from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from api.schema import R401, R403
from grants.giving360 import CSV_COLUMNS, csv_rows, export_package
from grants.models import Programme
from grants.roles import is_staff_role
from outcomes import spreadsheets
from outcomes.errors import NotPermitted


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
        if not is_staff_role(request.user):
            raise NotPermitted("The export covers every provider, so it is for partnership staff.")
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
        if not is_staff_role(request.user):
            raise NotPermitted("The export covers every provider, so it is for partnership staff.")
        rows = csv_rows(export_package(Programme.objects.order_by("reference")))
        return spreadsheets.download("csv", CSV_COLUMNS, rows, filename="yardstick-360giving")
