"""Core API views: sign-in tokens, the outcome framework, programmes and targets, outcome returns.

Views parse and serialise; grants.services decides and writes; grants.selectors narrows what
each user may see (another organisation's objects are simply not found).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.filters import ProgrammeFilter, ReturnFilter
from api.money_serializers import StreamBudgetSerializer
from api.schema import LIST_ERRORS, R400, R403, READ_ERRORS, WRITE_ERRORS, DetailError
from api.throttles import WriteRateThrottle
from grants import selectors, services
from grants.models import FundingStream, ProgrammePriority, ProgrammeTarget
from grants.roles import is_staff_role
from outcomes.errors import NotFound, NotPermitted, ValidationFailed
from outcomes.models import Indicator, OutcomeMeasure, Priority, Theme


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [WriteRateThrottle]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenSerializer,
            400: R400,
            429: OpenApiResponse(DetailError, description="Locked out after repeated failures"),
        },
        auth=[],
        summary="Get an API token",
    )
    def post(self, request):
        from django.contrib.auth import authenticate

        from grants import lockout

        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, address = data.validated_data["username"], lockout.client_address(request)
        lockout.ensure_not_locked(username=username, address=address)  # 429 when locked
        user = authenticate(request, **data.validated_data)
        if user is None or not user.is_active:
            lockout.record_failure(username=username, address=address)
            raise ValidationFailed("Unable to sign in with that username and password.")
        lockout.record_success(username=username)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
    Indicator.objects.prefetch_related("years", "priorities").order_by("code"),
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
    filterset_fields = ["financial_year", "funder"]

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
        lines = selectors.stream_budgets(streams) if is_staff_role(self.request.user) else {}
        for stream in streams:
            stream.figures = lines.get(stream.pk)

    @extend_schema(
        summary="A stream's budget against awards, spend and payments, with its programmes (staff)",
        responses={200: StreamBudgetSerializer, **READ_ERRORS, 403: R403},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def budget(self, request, pk=None):
        if not is_staff_role(request.user):
            raise NotPermitted("Budgets cover every provider, so they are for partnership staff.")
        stream = super().get_object()  # not self's: the figures come with the programmes, once
        line, programmes = selectors.stream_budget(stream)
        data = {"stream": stream, "line": line, "programmes": programmes}
        return Response(StreamBudgetSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="List programmes", responses={200: s.ProgrammeSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One programme, with its targets", responses={200: s.ProgrammeDetailSerializer, **READ_ERRORS}
    ),
    create=extend_schema(
        summary="Create a programme (commissioners)",
        request=s.ProgrammeWriteSerializer,
        responses={201: s.ProgrammeDetailSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a programme (commissioners)",
        request=s.ProgrammeWriteSerializer,
        responses={200: s.ProgrammeDetailSerializer, **WRITE_ERRORS},
    ),
)
class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = ProgrammeFilter
    search_fields = ["title", "description"]
    ordering_fields = ["reference", "title", "award_amount", "start_date", "end_date", "status"]
    ordering = ["reference"]
    throttle_classes = [WriteRateThrottle]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        programmes = (
            selectors.programmes_visible_to(self.request.user)
            .prefetch_related(
                Prefetch(
                    "programme_priorities", queryset=ProgrammePriority.objects.select_related("priority")
                ),
                "themes",
                "wards",
            )
            .select_related("provider")
        )
        if self.action == "retrieve":
            programmes = programmes.prefetch_related("targets")
        return programmes

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return s.ProgrammeWriteSerializer
        return s.ProgrammeDetailSerializer if self.action == "retrieve" else s.ProgrammeSerializer

    def create(self, request, *args, **kwargs):
        data = self._validated(request)
        programme = services.programme_create(user=request.user, **self._service_args(data))
        return Response(self._detail(programme.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        programme = self.get_object()
        data = self._validated(request, partial=True)
        args = self._service_args(data)
        services.programme_update(
            user=request.user,
            programme=programme,
            fields=args["fields"],
            priority_ids=args["priority_ids"] if "priorities" in data else None,
            primary_priority_id=args["primary_priority_id"],
            theme_ids=args["theme_ids"] if "themes" in data else None,
            ward_ids=args["ward_ids"] if "wards" in data else None,
        )
        return Response(self._detail(programme.pk))

    def _validated(self, request, partial: bool = False) -> dict:
        serializer = s.ProgrammeWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @staticmethod
    def _service_args(data: dict) -> dict:
        data = dict(data)
        priorities = [p.pk for p in data.pop("priorities", [])]
        primary = data.pop("primary_priority", None)
        themes = [t.pk for t in data.pop("themes", [])]
        wards = [w.pk for w in data.pop("wards", [])]
        return {
            "fields": data,
            "priority_ids": priorities,
            "primary_priority_id": primary.pk if primary else None,
            "theme_ids": themes,
            "ward_ids": wards,
        }

    def _detail(self, pk: int) -> dict:
        programme = self.get_queryset().prefetch_related("targets").get(pk=pk)
        return s.ProgrammeDetailSerializer(programme).data


@extend_schema_view(
    list=extend_schema(
        summary="A programme's targets", responses={200: s.TargetSerializer(many=True), **LIST_ERRORS}
    ),
    create=extend_schema(
        summary="Set a target (creates it, or changes the existing one for that measure and quarter)",
        request=s.TargetSerializer,
        responses={201: s.TargetSerializer, 200: s.TargetSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change a target",
        request=s.TargetUpdateSerializer,
        responses={200: s.TargetSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        summary="Delete a target with no returns against it", responses={204: None, **WRITE_ERRORS}
    ),
)
class TargetViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.TargetSerializer
    throttle_classes = [WriteRateThrottle]
    filter_backends: list = []
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def programme(self):
        visible = selectors.programmes_visible_to(self.request.user)
        programme = visible.filter(pk=self.kwargs["programme_pk"]).first()
        if programme is None:
            raise NotFound("No programme with that id is visible to you.")
        return programme

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgrammeTarget.objects.none()
        return (
            self.programme()
            .targets.select_related("measure")
            .order_by("financial_year", "quarter", "measure")
        )

    def create(self, request, *args, **kwargs):
        programme = self.programme()
        serializer = s.TargetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target, created = services.target_save(
            user=request.user, programme=programme, **serializer.validated_data
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.TargetSerializer(target).data, status=code)

    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        serializer = s.TargetUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target, _ = services.target_save(
            user=request.user,
            programme=target.programme,
            measure=target.measure,
            financial_year=target.financial_year,
            quarter=target.quarter,
            target_value=data.get("target_value", target.target_value),
            tariff=data.get("tariff", target.tariff),
        )
        return Response(s.TargetSerializer(target).data)

    def destroy(self, request, *args, **kwargs):
        services.target_delete(user=request.user, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


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
        return selectors.returns_visible_to(self.request.user).select_related("submitted_by", "reviewed_by")

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
        if not isinstance(request.data, list):
            raise ValidationFailed("Send a JSON list of returns.")
        if len(request.data) > services.MAX_BULK_RETURNS:
            raise ValidationFailed(f"Send at most {services.MAX_BULK_RETURNS:,} returns at once.")
        items, errors = [], {}
        for index, raw in enumerate(request.data):
            try:
                items.append(_return_input(raw))
            except ValidationFailed as exc:
                items.append(None)
                errors[index] = exc.errors
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
        summary="Every revision of a return: who, when and what changed",
        responses={200: s.ReturnRevisionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        return Response(
            s.ReturnRevisionSerializer(services.return_history(self.get_object()), many=True).data
        )


def _return_input(raw) -> services.ReturnInput:
    if not isinstance(raw, dict):
        raise ValidationFailed("Each return must be a JSON object.")
    serializer = s.ReturnCreateSerializer(data=raw)
    if not serializer.is_valid():
        raise ValidationFailed({k: [str(m) for m in v] for k, v in serializer.errors.items()})
    data = serializer.validated_data
    return services.ReturnInput(
        programme_id=data["programme"],
        measure_id=data["measure"],
        financial_year=data["financial_year"],
        quarter=data["quarter"],
        value=data["value"],
        spend=data.get("spend"),
        notes=data.get("notes", ""),
    )


__all__ = ["DetailError"]
