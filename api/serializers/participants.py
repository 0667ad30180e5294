"""Serializers for enrolments. The identifier fields are write-only and never stored or echoed."""

from rest_framework import serializers

from api.fields import StrictFieldsMixin


class EnrolmentSerializer(serializers.Serializer):
    reference = serializers.CharField(source="participant.reference", read_only=True)
    programme = serializers.IntegerField(source="programme_id", read_only=True)
    start_date = serializers.DateField(read_only=True)
    eligibility = serializers.JSONField(read_only=True)
    synthetic = serializers.BooleanField(source="participant.synthetic", read_only=True)
    enrolled_at = serializers.DateTimeField(read_only=True)


_NAME = {"required": False, "allow_blank": True, "max_length": 100, "default": "", "write_only": True}


class EnrolmentCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    start_date = serializers.DateField()
    ni_number = serializers.CharField(
        required=False, allow_blank=True, max_length=20, default="", write_only=True,
        help_text="National Insurance number; or give date_of_birth, surname and forename instead.",
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None, write_only=True)
    surname = serializers.CharField(**_NAME)
    forename = serializers.CharField(**_NAME)
    eligibility = serializers.DictField(
        required=False, default=dict, help_text="The programme's eligibility questions and the answers."
    )
