"""Indicator tracking over the API: an indicator's years with RAG status, and the programmes
contributing to it (narrowed to what the caller may see)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import READ_ERRORS
from api.serializers.indicators import IndicatorTrackingSerializer
from dashboard import selectors as dashboard_selectors
from outcomes.indicator_status import latest_status, year_statuses


class IndicatorTrackingView(APIView):
    @extend_schema(
        summary="An indicator's yearly RAG status and contributing programmes",
        description=(
            "Each year's baseline, target and actual with a RAG status: green on or better than "
            "target, amber short of it by no more than the indicator's tolerance (a share of the "
            "target), red further off, grey where the baseline is not yet established or the year "
            "has no target or actual. Contributions are the programmes you may see with targets or "
            "returns on a measure that feeds this indicator."
        ),
        responses={200: IndicatorTrackingSerializer, **READ_ERRORS},
    )
    def get(self, request, pk: int):
        indicator = dashboard_selectors.indicator_get_visible(user=request.user, pk=pk)
        status, year = latest_status(indicator)
        data = {
            "id": indicator.pk,
            "code": indicator.code,
            "title": indicator.title,
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "tolerance": indicator.tolerance,
            "latest_year": year.financial_year if year else None,
            "latest_status": status,
            "years": year_statuses(indicator),
            "contributions": dashboard_selectors.contributing_programmes(request.user, indicator),
        }
        return Response(IndicatorTrackingSerializer(data).data)
