"""Impact reports (read) and cohort data (write) in the API."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import LIST_ERRORS, WRITE_ERRORS
from api.serializers import impact as s
from api.throttles import WriteRateThrottle
from commissioning.impact import rows, selectors, services
from commissioning.impact.estimates import OutcomeKind
from commissioning.impact.models import ImpactReport


@extend_schema_view(
    list=extend_schema(
        summary="Impact reports you may see (staff: all; providers: their programmes' published ones)",
        responses={200: s.ImpactReportSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="An impact report: funnel, balance, headline, what you can say (counts under 5 suppressed)",
        responses={200: s.ImpactReportSerializer, **LIST_ERRORS},
    ),
)
class ImpactReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ImpactReportSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImpactReport.objects.none()
        return selectors.reports_visible_to(self.request.user).order_by("-created_at", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = [selectors.report_view(report).to_dict() for report in page]
        return self.get_paginated_response(s.ImpactReportSerializer(data, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        report = selectors.report_get_visible(user=request.user, pk=kwargs["pk"])
        return Response(s.ImpactReportSerializer(selectors.report_view(report).to_dict()).data)


class ImpactCohortView(APIView):
    throttle_classes = [WriteRateThrottle]

    @extend_schema(
        summary="Upload a programme's cohort data (rows keyed to enrolled participants; errors by row)",
        request=s.ImpactCohortCreateSerializer,
        responses={201: s.ImpactCohortSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        serializer = s.ImpactCohortCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind = OutcomeKind(data["outcome_kind"])
        good, errors = rows.parse_rows(enumerate(data["rows"]), kind=kind, cohort=True)
        upload = services.cohort_upload(
            user=request.user,
            programme_id=data["programme"],
            outcome_kind=kind.value,
            rows=good,
            errors=errors,
        )
        return Response(s.ImpactCohortSerializer(upload).data, status=status.HTTP_201_CREATED)
