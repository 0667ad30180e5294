"""Outcome returns: submit (one or many), amend, verify, query, history. grants.services decides."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.bulk import parse_bulk, validated
from api.filters import ReturnFilter
from api.schema import LIST_ERRORS, R401, READ_ERRORS, WRITE_ERRORS
from api.serializers import returns as s
from api.throttles import WriteRateThrottle
from core import clock
from grants import selectors, services


@extend_schema_view(
    list=extend_schema(
        summary="List outcome returns", responses={200: s.ReturnSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(summary="One outcome return", responses={200: s.ReturnSerializer, **READ_ERRORS}),
    create=extend_schema(
        summary="Submit an outcome return",
        request=s.ReturnCreateSerializer,
        responses={201: s.ReturnSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Amend a return (a new revision; not once verified)",
        request=s.ReturnAmendSerializer,
        responses={200: s.ReturnSerializer, **WRITE_ERRORS},
    ),
)
class ReturnViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ReturnSerializer
    filterset_class = ReturnFilter
    ordering_fields = ["submitted_at", "financial_year", "quarter", "value", "status"]
    ordering = ["-submitted_at", "-id"]
    throttle_classes = [WriteRateThrottle]
    http_method_names = ["get", "post", "patch", "head", "options"]  # never DELETE: nothing is lost

    def get_queryset(self):
        return selectors.with_quarter_target(
            selectors.returns_visible_to(self.request.user).select_related(
                "measure", "submitted_by", "reviewed_by"
            )
        )

    def create(self, request, *args, **kwargs):
        item = _return_input(request.data)
        created = services.return_submit(user=request.user, data=item)
        return Response(s.ReturnSerializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        outcome_return = self.get_object()
        serializer = s.ReturnAmendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        amended = services.return_amend(
            user=request.user,
            outcome_return=outcome_return,
            value=data.get("value"),
            spend=data.get("spend"),
            notes=data.get("notes"),
            clear_spend="spend" in data and data["spend"] is None,
            confirm_high_value=data["confirm_high_value"],
        )
        return Response(s.ReturnSerializer(amended).data)

    @extend_schema(
        summary="Submit up to 5,000 returns, all or nothing",
        request=s.ReturnCreateSerializer(many=True),
        responses={
            201: s.ReturnSerializer(many=True),
            400: OpenApiResponse(s.ReturnBulkErrorSerializer),
            **{k: v for k, v in WRITE_ERRORS.items() if k != 400},
        },
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        limit = services.MAX_BULK_RETURNS
        items, errors = parse_bulk(request.data, _return_input, noun="returns", limit=limit)
        created = services.returns_bulk_submit(user=request.user, items=items, input_errors=errors)
        return Response(s.ReturnSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Verify a return (commissioners); it is then locked",
        request=None,
        responses={200: s.ReturnSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        verified = services.return_verify(user=request.user, outcome_return=self.get_object())
        return Response(s.ReturnSerializer(verified).data)

    @extend_schema(
        summary="Query a return (commissioners): send it back with a reason",
        request=s.ReturnQuerySerializer,
        responses={200: s.ReturnSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def query(self, request, pk=None):
        serializer = s.ReturnQuerySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        queried = services.return_query(
            user=request.user, outcome_return=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(s.ReturnSerializer(queried).data)

    @extend_schema(
        summary="The quarters your programmes owe returns for, oldest first (the web page's templates)",
        responses={200: s.OwedQuarterSerializer(many=True), 401: R401},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def owed(self, request):
        owed = selectors.owed_quarters(
            request.user, today=clock.today(), window_days=settings.YARDSTICK["RETURN_WINDOW_DAYS"]
        )
        return Response(s.OwedQuarterSerializer(owed, many=True).data)

    @extend_schema(
        summary="Reopen a verified return (commissioners), with a reason: it is submitted again",
        description=(
            "A verified return is locked. A commissioner reopens it with a reason (kept in its "
            "history and shown to the provider); it is then submitted again, in the verification "
            "queue, and the provider may amend it. 409 if it is not verified, or if money has been "
            "paid for its quarter (reverse the payment first)."
        ),
        request=s.ReturnReopenSerializer,
        responses={200: s.ReturnSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        serializer = s.ReturnReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopened = services.return_reopen(
            user=request.user, outcome_return=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(s.ReturnSerializer(reopened).data)

    @extend_schema(
        summary="Every revision of a return: who, when and what changed",
        responses={200: s.ReturnRevisionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        return Response(
            s.ReturnRevisionSerializer(services.return_history(self.get_object()), many=True).data
        )


def _return_input(raw) -> services.ReturnInput:
    data = validated(s.ReturnCreateSerializer, raw, noun="return")
    return services.ReturnInput(
        programme_id=data["programme"],
        measure_id=data["measure"],
        financial_year=data["financial_year"],
        quarter=data["quarter"],
        value=data["value"],
        spend=data.get("spend"),
        notes=data.get("notes", ""),
        confirm_high_value=data["confirm_high_value"],
    )
