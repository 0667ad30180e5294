"""Audit API: who changed what and when (partnership staff only)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer

from api.pagination import StandardPagination
from api.schema import LIST_ERRORS, R403
from api.serializers.audit import AuditEntrySerializer, AuditQuerySerializer
from audit.permissions import Action, require
from audit.selectors import AuditFilter, audit_log


class AuditLogView(GenericAPIView):
    """Every recorded change to programmes, targets, returns, payments, funding streams, review
    rounds, criteria, scores, conflicts, decisions, measures and indicator years, newest first."""

    serializer_class = AuditEntrySerializer
    pagination_class = StandardPagination
    filter_backends: list = []
    # JSON only: the log is not a queryset, which DRF's browsable page needs for its filter form;
    # people read the same log with filters in the admin (/admin/audit/).
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="The audit log: who changed what and when (staff roles)",
        parameters=[
            AuditQuerySerializer,
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Entries per page, 1-500 (50)."),
        ],
        responses={200: AuditEntrySerializer(many=True), **LIST_ERRORS, 403: R403},  # 404: no such page
    )
    def get(self, request):
        require(request.user, Action.AUDIT_VIEW)
        query = AuditQuerySerializer(data=request.query_params.dict())  # "" is a value, not absent
        query.is_valid(raise_exception=True)
        data = query.validated_data
        log = audit_log(
            AuditFilter(
                user_id=data.get("user"),
                object_type=data.get("object_type"),
                object_id=data.get("object_id"),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        )
        page = self.paginate_queryset(log)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
