"""Outcome claims: submit (one or up to 10,000), verify, reject. claims.services decides."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.security import RecentlyAuthenticated
from api.bulk import parse_bulk, validated
from api.filters import MAX_ID, ClaimFilter
from api.schema import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from api.serializers import claims as s
from api.serializers.returns import ReturnBulkErrorSerializer
from api.throttles import WriteRateThrottle
from claims import selectors, services
from claims.downloads import evidence_download
from claims.evidence import KINDS as EVIDENCE_KINDS
from claims.permissions import CLAIM_NOT_VISIBLE
from core.errors import NotFound, ValidationFailed


@extend_schema_view(
    list=extend_schema(
        summary="List outcome claims", responses={200: s.ClaimSerializer(many=True), **LIST_ERRORS}
    ),
    retrieve=extend_schema(summary="One outcome claim", responses={200: s.ClaimSerializer, **READ_ERRORS}),
    create=extend_schema(
        summary="Claim an outcome for an enrolled participant",
        request=s.ClaimCreateSerializer,
        responses={201: s.ClaimSerializer, **WRITE_ERRORS},
    ),
)
class ClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["submitted_at", "achieved_on", "price", "status"]
    ordering = ["-submitted_at", "-id"]
    throttle_classes = [WriteRateThrottle]
    http_method_names = ["get", "post", "head", "options"]  # never DELETE: a claim is rejected instead

    def get_permissions(self):
        """The list is participant-level data: a browser session re-confirms its password."""
        if self.action == "list":
            return [*super().get_permissions(), RecentlyAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).select_related(
            "participant", "submitted_by", "reviewed_by"
        )

    def create(self, request, *args, **kwargs):
        claim = services.claim_submit(user=request.user, data=_claim_input(request.data))
        return Response(s.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit up to 10,000 claims, all or nothing (errors by index)",
        request=s.ClaimCreateSerializer(many=True),
        responses={
            201: s.ClaimSerializer(many=True),
            400: OpenApiResponse(ReturnBulkErrorSerializer),
            **{k: v for k, v in WRITE_ERRORS.items() if k != 400},
        },
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        items, errors = parse_bulk(request.data, _claim_input, noun="claims", limit=services.MAX_BULK_CLAIMS)
        created = services.claims_bulk_submit(user=request.user, items=items, input_errors=errors)
        return Response(s.ClaimSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Verify a claim (commissioners)",
        request=None,
        responses={200: s.ClaimSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        claim = services.claim_verify(user=request.user, claim=self.get_object())
        return Response(s.ClaimSerializer(claim).data)

    @extend_schema(
        summary="Reject a claim with a reason (commissioners)",
        request=s.ClaimRejectSerializer,
        responses={200: s.ClaimSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = s.ClaimRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_reject(
            user=request.user, claim=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(s.ClaimSerializer(claim).data)

    @extend_schema(
        methods=["GET"],
        summary="A claim's evidence files",
        request=None,
        responses={200: s.EvidenceFileSerializer(many=True), **READ_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Attach an evidence file to a submitted claim (PDF, PNG, JPEG or DOCX, by content)",
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={201: s.EvidenceFileSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def evidence(self, request, pk=None):
        claim = selectors.claim_get_visible(user=request.user, pk=_id(pk))
        if request.method == "GET":
            rows = claim.evidence_files.select_related("uploaded_by").order_by("uploaded_at", "id")
            return Response(s.EvidenceFileSerializer(rows, many=True).data)
        unexpected = sorted(set(request.data) - {"file"})
        if unexpected:
            raise ValidationFailed({name: ["Unexpected field."] for name in unexpected})
        row = services.evidence_add(user=request.user, claim=claim, upload=request.FILES.get("file"))
        return Response(s.EvidenceFileSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download one evidence file (people who may see the claim)",
        request=None,
        responses={
            **{(200, kind.content_type): OpenApiTypes.BINARY for kind in EVIDENCE_KINDS.values()},
            **READ_ERRORS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_id>[0-9]+)",
        pagination_class=None,
        filter_backends=[],
    )
    def evidence_file(self, request, pk=None, evidence_id=None):
        row = selectors.evidence_get_visible(user=request.user, claim_pk=_id(pk), pk=_id(evidence_id))
        return evidence_download(row)


def _id(raw) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise NotFound(CLAIM_NOT_VISIBLE) from None
    if not 0 < value <= MAX_ID:
        raise NotFound(CLAIM_NOT_VISIBLE)
    return value


def _claim_input(raw) -> services.ClaimInput:
    data = validated(s.ClaimCreateSerializer, raw, noun="claim")
    return services.ClaimInput(
        participant=data["participant"],
        programme_id=data["programme"],
        measure_id=data["measure"],
        achieved_on=data["achieved_on"],
        evidence_type=data["evidence_type"],
        notes=data["notes"],
    )
