"""Rotate the participant key: re-key every stored pseudonym in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from claims import pseudonyms
from claims.keys import chain_in_force
from claims.models import Participant, ParticipantKey
from core.errors import ValidationFailed

BATCH = 2000


def participant_key_rotate(*, new_key: bytes, progress: Callable[[int, int], None] | None = None) -> int:
    """Carry every pseudonym under `new_key` (HMAC of the stored one), all or nothing, holding the
    key row's lock so that no enrolment runs half under the old chain. Returns how many changed.
    Afterwards the server must run with PARTICIPANT_KEY = the old chain + ',' + the new key."""
    if len(new_key) < 32:
        raise ValidationFailed("The new participant key must be at least 32 characters.")
    with transaction.atomic():
        keys = chain_in_force()
        if new_key in keys:
            raise ValidationFailed("The new participant key is already in the chain; choose a new one.")
        total = Participant.objects.count()
        done = 0
        for start in range(0, total, BATCH):
            batch = list(Participant.objects.order_by("pk")[start : start + BATCH].only("pk", "pseudonym"))
            for participant in batch:
                participant.pseudonym = pseudonyms.rekey(participant.pseudonym, new_key)
            Participant.objects.bulk_update(batch, ["pseudonym"])
            done += len(batch)
            if progress:
                progress(done, total)
        chain = [*keys, new_key]
        ParticipantKey.objects.create(
            fingerprint=pseudonyms.fingerprint(chain), keys_in_chain=len(chain), note="Rotated"
        )
    return done
