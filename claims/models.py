"""Participants (only as a keyed hash of their identifier) and their enrolments on programmes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

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
