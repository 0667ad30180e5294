"""Serializers for the audit log: its query (which refuses blank values) and its entries."""

from rest_framework import serializers

from audit.selectors import OBJECT_TYPES


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
