"""Programmes and their targets: views parse and serialise; grants.services decides and writes;
grants.selectors narrows what each user may see (another organisation's objects are not found)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from api.filters import ProgrammeFilter
from api.schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from api.serializers import programmes as s
from api.throttles import WriteRateThrottle
from grants import selectors, services
from grants.models import ProgrammePriority, ProgrammeTarget


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
        return selectors.programme_get_visible(user=self.request.user, pk=self.kwargs["programme_pk"])

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
