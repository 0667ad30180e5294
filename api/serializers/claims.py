"""Serializers for outcome claims. Serializers validate shape; services decide."""

from rest_framework import serializers

from api.fields import StrictFieldsMixin
from api.filters import MAX_ID
from claims.models import Claim, EvidenceFile, EvidenceType


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    participant = serializers.CharField(source="participant.reference", read_only=True)
    programme = serializers.IntegerField(source="programme_id", read_only=True)
    measure = serializers.IntegerField(source="measure_id", read_only=True)
    achieved_on = serializers.DateField(read_only=True)
    evidence_type = serializers.ChoiceField(choices=EvidenceType.choices, read_only=True)
    notes = serializers.CharField(read_only=True)
    price = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    status = serializers.ChoiceField(choices=Claim.Status.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ClaimCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    participant = serializers.RegexField(
        r"^P-[2-9A-HJ-NP-Z]{8}$",
        max_length=10,
        help_text="The participant's reference, e.g. P-7K3M9Q2A.",
        error_messages={
            "invalid": (
                "Give the participant's reference as enrolment returned it: P- and eight letters or digits."
            )
        },
    )
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    measure = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    achieved_on = serializers.DateField()
    evidence_type = serializers.ChoiceField(choices=EvidenceType.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ClaimRejectSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why: the provider sees it.")


class EvidenceFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    kind = serializers.ChoiceField(choices=EvidenceFile.Kind.choices, read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    sha256 = serializers.CharField(read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField(help_text="Where the file is downloaded (the API).")

    def get_download(self, obj) -> str:
        return f"/api/claims/{obj.claim_id}/evidence/{obj.pk}/"


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A PDF, PNG, JPEG or Word (.docx) file; its type is read from its content, not its name."
    )
