"""Participants: a provider enrols them on its programme; the server keeps only a keyed hash."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.security import RecentlyAuthenticated
from api.schema import LIST_ERRORS, WRITE_ERRORS
from api.serializers import participants as s
from api.throttles import WriteRateThrottle
from claims import selectors, services
from claims.models import Enrolment


@extend_schema_view(
    list=extend_schema(
        summary="A programme's enrolled participants (references only)",
        responses={200: s.EnrolmentSerializer(many=True), **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Enrol a participant (pseudonymised on arrival; 201 with its reference)",
        request=s.EnrolmentCreateSerializer,
        responses={201: s.EnrolmentSerializer, **WRITE_ERRORS},
    ),
)
class EnrolmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.EnrolmentSerializer
    throttle_classes = [WriteRateThrottle]
    filter_backends: list = []
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self):
        """The list is participant-level data: a browser session re-confirms its password."""
        if self.action == "list":
            return [*super().get_permissions(), RecentlyAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enrolment.objects.none()
        return selectors.enrolments_for_programme(
            user=self.request.user, programme_id=self.kwargs["programme_pk"]
        )

    def create(self, request, *args, **kwargs):
        serializer = s.EnrolmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enrolment = services.participant_enrol(
            user=request.user,
            data=services.EnrolmentInput(programme_id=int(self.kwargs["programme_pk"]), **data),
        )
        return Response(s.EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)
