"""Participants (only as a keyed hash of their identifier) and their enrolments on programmes."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.storage import evidence_storage
from outcomes.fields import MoneyField

# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "P-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class ParticipantKey(models.Model):
    """Which key chain the stored pseudonyms were made with (its fingerprint, never the key), so
    an instance started with the wrong PARTICIPANT_KEY refuses to enrol rather than splitting one
    person into two. One row per rotation; the newest is in force."""

    fingerprint = models.CharField(max_length=16, unique=True)
    keys_in_chain = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Key chain {self.fingerprint} ({self.keys_in_chain} key(s))"


class Participant(models.Model):
    """A person the partnership's programmes work with, known only by a pseudonym: the same
    person enrolled by two providers is one participant."""

    pseudonym = models.CharField(max_length=64, unique=True, editable=False)
    reference = models.CharField(max_length=10, unique=True, default=new_reference, editable=False)
    synthetic = models.BooleanField(default=False, help_text="Generated for the demo, not a real person.")
    created_at = models.DateTimeField(auto_now_add=True)
    purged_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the retention period ended and the pseudonym was replaced by random digits.",
    )

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pseudonym__regex=r"^[0-9a-f]{64}$"),
                name="participant_pseudonym_is_a_hash",
                violation_error_message="A participant is held only as a 64-digit keyed hash.",
            )
        ]

    def __str__(self) -> str:
        return self.reference


class Enrolment(models.Model):
    """A participant taken on by a programme, from a start date, with the eligibility answers."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="enrolments")
    programme = models.ForeignKey("grants.Programme", on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    eligibility = models.JSONField(default=dict, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_id", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "programme"],
                name="one_enrolment_per_participant_and_programme",
                violation_error_message="This participant is already enrolled on this programme.",
            )
        ]
        indexes = [models.Index(fields=["programme", "start_date"])]

    def __str__(self) -> str:
        return f"{self.participant} on {self.programme_id} from {self.start_date}"


class EvidenceType(models.TextChoices):
    PAYSLIP = "payslip", "Payslip"
    EMPLOYER_LETTER = "employer_letter", "Employer's letter"
    HMRC_RECORD = "hmrc_record", "HMRC employment record"
    CERTIFICATE = "certificate", "Qualification certificate"
    PNC_CHECK = "pnc_check", "Police National Computer check"
    TENANCY = "tenancy", "Tenancy agreement"
    PROVIDER_RECORD = "provider_record", "Provider's case record"


class ClaimTerms(models.Model):
    """A programme's terms for claims across all its payable outcomes."""

    programme = models.OneToOneField("grants.Programme", on_delete=models.CASCADE, related_name="claim_terms")
    cap_per_participant = MoneyField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "The cap cannot be negative.")],
        help_text="Most the programme pays for one participant across all its outcomes, GBP; blank: no cap.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "claim terms"
        constraints = [
            models.CheckConstraint(
                condition=Q(cap_per_participant__isnull=True) | Q(cap_per_participant__gte=0),
                name="claim_terms_cap_gte_0",
            )
        ]

    def __str__(self) -> str:
        return f"Claim terms for {self.programme}"


class PayableOutcome(models.Model):
    """An outcome a programme pays for per participant, with the rules a claim for it must meet."""

    programme = models.ForeignKey(
        "grants.Programme", on_delete=models.PROTECT, related_name="payable_outcomes"
    )
    measure = models.ForeignKey("outcomes.OutcomeMeasure", on_delete=models.PROTECT, related_name="+")
    tariff = MoneyField(validators=[MinValueValidator(0, "A tariff cannot be negative.")])
    evidence_types = models.JSONField(
        default=list, help_text="The evidence accepted for a claim (EvidenceType values)."
    )
    sustainment_weeks = models.PositiveSmallIntegerField(
        default=0, help_text="Weeks the outcome must be sustained before it is claimed (e.g. 13 or 26)."
    )
    earliest_claim_days = models.PositiveSmallIntegerField(
        default=0, help_text="Days after the participant's start before an outcome can count."
    )
    max_claims_per_participant = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1, "At least one claim per participant must be allowed.")]
    )
    exclusivity_group = models.CharField(
        max_length=40,
        blank=True,
        help_text='Outcomes in one group are alternatives: a participant is paid for one of them ("Level").',
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_id", "measure_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure"],
                name="one_payable_outcome_per_programme_measure",
                violation_error_message="This programme already pays for this outcome.",
            ),
            models.CheckConstraint(condition=Q(tariff__gte=0), name="payable_outcome_tariff_gte_0"),
            models.CheckConstraint(
                condition=Q(max_claims_per_participant__gte=1), name="payable_outcome_max_claims_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} at £{self.tariff:,.2f}"


class Claim(models.Model):
    """One outcome claimed for one participant: submitted, then verified or rejected, then paid.
    Its price is fixed from the tariff when it is made."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"

    # No index of their own: the (participant, measure) and (programme, status) indexes lead with them.
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    programme = models.ForeignKey(
        "grants.Programme", on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    payable_outcome = models.ForeignKey(PayableOutcome, on_delete=models.PROTECT, related_name="claims")
    measure = models.ForeignKey("outcomes.OutcomeMeasure", on_delete=models.PROTECT, related_name="+")
    achieved_on = models.DateField()
    evidence_type = models.CharField(max_length=20, choices=EvidenceType.choices)
    notes = models.TextField(blank=True, max_length=5000)
    price = MoneyField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(blank=True, help_text="Why it was rejected.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    payment = models.ForeignKey(
        "grants.Payment",
        on_delete=models.PROTECT,
        related_name="claims",
        null=True,
        blank=True,
        help_text="The payment that paid it (for its quarter of achievement).",
    )
    # History is read by claim (id), user and date (the audit log) and by participant (retention);
    # indexes on its other references would only slow every bulk of claims.
    history = HistoricalRecords(
        no_db_index=["programme", "payable_outcome", "measure", "submitted_by", "reviewed_by", "payment"]
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["participant", "measure"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "measure", "achieved_on"],
                condition=~Q(status="rejected"),
                name="one_live_claim_per_participant_outcome_date",
                violation_error_message=(
                    "This outcome has already been claimed for this participant on this date."
                ),
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="claim_price_gte_0"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(payment__isnull=False),
                name="claim_paid_has_payment",
                violation_error_message="A paid claim names the payment that paid it.",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="claim_rejected_has_reason",
                violation_error_message="A rejected claim needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk}: {self.measure_id} for {self.participant_id}"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """A stored name made by the server (never the uploader's file name): claim id and a UUID."""
    return f"claims/{instance.claim_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class EvidenceFile(models.Model):
    """A file evidencing a claim (payslip, letter, certificate), its type checked by its content.
    Kept in the private "evidence" storage and handed out only to people who may see the claim."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"
        DOCX = "docx", "Word document (.docx)"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence_files")
    file = models.FileField(storage=evidence_storage, upload_to=evidence_path, max_length=200)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    original_name = models.CharField(
        max_length=200, help_text="The uploader's file name, shown, never used as a path."
    )
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim_id", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_file_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["pdf", "png", "jpeg", "docx"]), name="evidence_file_kind_accepted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display()}) for claim {self.claim_id}"


# Sampling audits live in their own module; importing them here registers them with the app.
from claims.audit_models import AuditedClaim, ClaimAudit  # noqa: E402, F401
