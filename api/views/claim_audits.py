"""Sampling audits of claims: draw, mark each sampled claim, conclude, post the clawback.
claims.services decides; providers may read their own programmes' audits. And the INDIGO export
of the outcomes contracts the claims pay under."""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import LIST_ERRORS, R401, R403, READ_ERRORS, WRITE_ERRORS
from api.serializers import claim_audits as s
from api.serializers.payments import PaymentSerializer
from api.throttles import WriteRateThrottle
from claims import indigo, selectors, services
from claims.permissions import Action, require
from claims.selectors.indigo import indigo_contracts
from core import clock


@extend_schema_view(
    list=extend_schema(
        summary="Sampling audits of claims", responses={200: s.ClaimAuditSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(
        summary="One audit with its sample", responses={200: s.ClaimAuditDetailSerializer, **READ_ERRORS}
    ),
    create=extend_schema(
        summary="Draw an audit sample of a programme's verified or paid claims for a quarter (commissioners)",
        request=s.ClaimAuditCreateSerializer,
        responses={201: s.ClaimAuditDetailSerializer, **WRITE_ERRORS},
    ),
)
class ClaimAuditViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ClaimAuditSerializer
    ordering_fields = ["drawn_at", "financial_year", "quarter"]
    ordering = ["-drawn_at", "-id"]
    throttle_classes = [WriteRateThrottle]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.audits_visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return Response(_detail(selectors.audit_get_visible(user=request.user, pk=kwargs["pk"])))

    def create(self, request, *args, **kwargs):
        serializer = s.ClaimAuditCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        audit = services.audit_draw(
            user=request.user,
            data=services.AuditRequest(
                programme_id=data["programme"],
                financial_year=data["financial_year"],
                quarter=data["quarter"],
                method=data["method"],
                risk=data["risk"],
                size=data["size"],
                percent=data["percent"],
                seed=data["seed"],
            ),
        )
        return Response(_detail(audit), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark a sampled claim valid or invalid (commissioners)",
        request=s.AuditMarkSerializer,
        responses={200: s.AuditedClaimSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        serializer = s.AuditMarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        audit = selectors.audit_get_visible(user=request.user, pk=pk)
        item = services.audit_claim_mark(
            user=request.user, audit=audit, item_id=data["item"], valid=data["valid"], reason=data["reason"]
        )
        item = selectors.audit_items(audit).get(pk=item.pk)
        return Response(s.AuditedClaimSerializer(item).data)

    @extend_schema(
        summary="Conclude an audit: its figures, and the invalid claims rejected (commissioners)",
        request=None,
        responses={200: s.ClaimAuditDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        audit = services.audit_conclude(
            user=request.user, audit=selectors.audit_get_visible(user=request.user, pk=pk)
        )
        return Response(_detail(selectors.audit_get_visible(user=request.user, pk=audit.pk)))

    @extend_schema(
        summary="Post a concluded audit's clawback through the payments (finance officers)",
        request=None,
        responses={201: PaymentSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def clawback(self, request, pk=None):
        payment = services.audit_post_clawback(
            user=request.user, audit=selectors.audit_get_visible(user=request.user, pk=pk)
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


def _detail(audit) -> dict:
    audit.sampled = list(selectors.audit_items(audit))
    return s.ClaimAuditDetailSerializer(audit).data


class IndigoExport(APIView):
    """The partnership's outcomes contracts (payment-by-results programmes paying per participant)
    as INDIGO projects; docs/claims.md maps each field."""

    @extend_schema(
        summary="Outcomes contracts in the INDIGO project shape (commissioners, finance officers)",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="INDIGO projects (schema 4.1.0)."),
            401: R401,
            403: R403,
        },
    )
    def get(self, request):
        require(request.user, Action.INDIGO_EXPORT)
        on = clock.today()
        response = JsonResponse(
            indigo.export(indigo_contracts(on=on), generated=on),
            json_dumps_params={"indent": 1},
            encoder=IndigoEncoder,
        )
        response["Content-Disposition"] = 'inline; filename="yardstick-indigo.json"'
        return response


class IndigoEncoder(DjangoJSONEncoder):
    """Money as JSON numbers (INDIGO's amounts are numbers), not strings."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)
