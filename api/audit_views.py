"""Audit API: who changed what and when (partnership staff only)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer

from api.pagination import StandardPagination
from api.schema import LIST_ERRORS, R403
from audit.selectors import OBJECT_TYPES, AuditFilter, audit_log
from grants.roles import is_staff_role
from outcomes.errors import NotPermitted


class AuditQuerySerializer(serializers.Serializer):
    user = serializers.IntegerField(
        min_value=1, required=False, help_text="The id of the user who made the change."
    )
    object_type = serializers.ChoiceField(choices=OBJECT_TYPES, required=False)
    object_id = serializers.IntegerField(min_value=1, required=False)
    date_from = serializers.DateField(required=False, help_text="On or after this day (YYYY-MM-DD).")
    date_to = serializers.DateField(required=False, help_text="On or before this day (YYYY-MM-DD).")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["date_to must not be before date_from."]})
        return attrs


class AuditChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.CharField(source="key", help_text='"<object_type>:<history id>", unique in the log.')
    at = serializers.DateTimeField()
    user = serializers.IntegerField(source="user_id", allow_null=True)
    username = serializers.CharField(allow_null=True)
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    object_type = serializers.ChoiceField(choices=OBJECT_TYPES)
    object_type_name = serializers.CharField()
    object_id = serializers.IntegerField()
    object_label = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    changes = AuditChangeSerializer(many=True)


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
        if not is_staff_role(request.user):
            raise NotPermitted("The audit log is for commissioners, finance officers and admins.")
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
