"""Serializers for the audit log: its query (which refuses blank values) and its entries."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from audit.selectors import OBJECT_TYPES

UNKNOWN_USER = 'There is no user with the username "{username}".'
BAD_USER_ID = "A user id is a whole number from 1."


class AuditQuerySerializer(serializers.Serializer):
    user = serializers.CharField(
        required=False,
        max_length=150,
        help_text='Who made the change: a username (e.g. "commissioner") or a user id.',
    )
    object_type = serializers.ChoiceField(choices=OBJECT_TYPES, required=False)
    object_id = serializers.IntegerField(min_value=1, required=False)
    date_from = serializers.DateField(required=False, help_text="On or after this day (YYYY-MM-DD).")
    date_to = serializers.DateField(required=False, help_text="On or before this day (YYYY-MM-DD).")

    def validate_user(self, value: str) -> int:
        """A username, or a user's id (digits): the user's id either way."""
        value = value.strip()
        if value.isdigit():
            if int(value) < 1:
                raise serializers.ValidationError(BAD_USER_ID)
            return int(value)
        if value.startswith("-") and value[1:].isdigit():
            raise serializers.ValidationError(BAD_USER_ID)
        pk = get_user_model().objects.filter(username=value).values_list("pk", flat=True).first()
        if pk is None:
            raise serializers.ValidationError(UNKNOWN_USER.format(username=value))
        return pk

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
