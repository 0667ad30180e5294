"""Reference data any signed-in user reads: the outcome framework, organisations, funding streams
(with budget figures for partnership staff)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import FundingStreamFilter
from api.schema import LIST_ERRORS, R403, READ_ERRORS
from api.serializers import reference as s
from api.serializers.payments import StreamBudgetSerializer
from grants import selectors
from grants.models import FundingStream
from grants.permissions import Action, has_permission, require
from outcomes.models import Indicator, OutcomeMeasure, Priority, Theme


def _read_only(model_queryset, serializer, summary: str):
    """A list/detail viewset over a reference table any signed-in user may read."""

    @extend_schema_view(
        list=extend_schema(summary=f"List {summary}", responses={200: serializer(many=True), **LIST_ERRORS}),
        retrieve=extend_schema(summary=f"One of the {summary}", responses={200: serializer, **READ_ERRORS}),
    )
    class ReadOnly(viewsets.ReadOnlyModelViewSet):
        queryset = model_queryset
        serializer_class = serializer
        filter_backends: list = []

    return ReadOnly


PriorityViewSet = _read_only(
    Priority.objects.select_related("plan").order_by("plan", "order"), s.PrioritySerializer, "priorities"
)
ThemeViewSet = _read_only(Theme.objects.order_by("name"), s.ThemeSerializer, "cross-cutting themes")
IndicatorViewSet = _read_only(
    Indicator.objects.prefetch_related("years", "priorities").order_by("sort_key", "code"),
    s.IndicatorSerializer,
    "indicators",
)
MeasureViewSet = _read_only(OutcomeMeasure.objects.order_by("name"), s.MeasureSerializer, "outcome measures")


@extend_schema_view(
    list=extend_schema(
        summary="List organisations", responses={200: s.OrganisationSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One organisation", responses={200: s.OrganisationSerializer, **READ_ERRORS}
    ),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OrganisationSerializer
    search_fields = ["name", "org_id"]
    ordering_fields = ["name", "org_id"]

    def get_queryset(self):
        return selectors.organisations_visible_to(self.request.user).order_by("name")


@extend_schema_view(
    list=extend_schema(
        summary="List funding streams", responses={200: s.FundingStreamSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One funding stream", responses={200: s.FundingStreamSerializer, **READ_ERRORS}
    ),
)
class FundingStreamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FundingStream.objects.order_by("-financial_year", "name")
    serializer_class = s.FundingStreamSerializer
    filterset_class = FundingStreamFilter

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._attach_figures(page if page is not None else queryset)
        return page

    def get_object(self):
        stream = super().get_object()
        self._attach_figures([stream])
        return stream

    def _attach_figures(self, streams) -> None:
        """Budget figures for partnership staff (three queries for the page); null for providers."""
        streams = list(streams)
        may_see = has_permission(Action.BUDGET_VIEW, self.request.user).allowed
        lines = selectors.stream_budgets(streams) if may_see else {}
        for stream in streams:
            stream.figures = lines.get(stream.pk)

    @extend_schema(
        summary="A stream's budget against awards, spend and payments, with its programmes (staff)",
        responses={200: StreamBudgetSerializer, **READ_ERRORS, 403: R403},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def budget(self, request, pk=None):
        require(request.user, Action.BUDGET_VIEW)
        stream = super().get_object()  # not self's: the figures come with the programmes, once
        line, programmes = selectors.stream_budget(stream)
        data = {"stream": stream, "line": line, "programmes": programmes}
        return Response(StreamBudgetSerializer(data).data)
