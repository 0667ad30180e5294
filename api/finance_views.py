"""Finance API: the partnership's grants in the 360Giving Data Standard (JSON and CSV)."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from api.schema import R401, R403
from grants.giving360 import CSV_COLUMNS, csv_rows, export_package
from grants.models import Programme
from grants.roles import is_staff_role
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
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_rows(export_package(Programme.objects.order_by("reference"))))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="yardstick-360giving.csv"'
        return response
