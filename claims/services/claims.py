"""Claims: submit (one or up to 10,000, all or nothing), verify, reject. Every rule of a payable
outcome is checked here, under a row lock on each participant claimed for, so that concurrent
claims cannot together pass a limit that each alone would meet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

from django.db import IntegrityError, router, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import Claim, ClaimTerms, Enrolment, EvidenceType, Participant, PayableOutcome
from claims.permissions import CLAIM_NOT_VISIBLE, Action, get_visible, require
from core.clock import today
from core.db.bulk import copy_insert_with_history
from core.db.lookups import AnyOf
from core.errors import Conflict, DomainError, NotFound, NotPermitted, ValidationFailed
from grants.models import Programme
from grants.permissions import PROGRAMME_NOT_VISIBLE
from grants.selectors import programmes_visible_to

MAX_BULK_CLAIMS = 10_000
LIVE = (Claim.Status.SUBMITTED, Claim.Status.VERIFIED, Claim.Status.PAID)
ALREADY_CLAIMED_ELSEWHERE = (
    "This outcome has already been claimed for this participant by another programme in the "
    "partnership; it is paid once."
)


@dataclass(frozen=True)
class ClaimInput:
    """One claim as submitted, parsed into types by a serializer or form."""

    participant: str  # the participant's reference, P-...
    programme_id: int
    measure_id: int
    achieved_on: date
    evidence_type: str
    notes: str = ""


def claim_submit(*, user, data: ClaimInput) -> Claim:
    """Submit one claim; its error is raised as it is (404, 403, 409 or 400)."""
    [claim] = claims_bulk_submit(user=user, items=[data], single=True)
    return claim


def claims_bulk_submit(
    *,
    user,
    items: list[ClaimInput | None],
    input_errors: dict[int, dict[str, list[str]]] | None = None,
    single: bool = False,
) -> list[Claim]:
    """Submit many claims, all or nothing: every item's errors by its index, or every claim saved."""
    if len(items) > MAX_BULK_CLAIMS:
        raise ValidationFailed(f"Send at most {MAX_BULK_CLAIMS:,} claims at once; this had {len(items):,}.")
    if not items:
        raise ValidationFailed("Send at least one claim.")
    errors: dict[int, dict[str, list[str]] | DomainError] = dict(input_errors or {})
    with transaction.atomic():
        ledger = _Ledger.load(user, [item for item in items if item is not None])
        rows: list[tuple] = []
        for index, item in enumerate(items):
            if item is None:
                continue
            try:
                rows.append(ledger.admit(item))
            except (ValidationFailed, Conflict, NotFound, NotPermitted) as exc:
                if single:
                    raise
                errors[index] = exc
        if errors:
            raise ValidationFailed(
                {
                    "non_field_errors": [
                        f"{len(errors)} of {len(items)} claims have errors; nothing was saved."
                    ]
                },
                errors={str(i): e for i, e in sorted(errors.items())},
            )
        try:
            with transaction.atomic():
                ids = copy_insert_with_history(Claim, _COLUMNS, rows, user=user)
        except IntegrityError:
            # The unique constraint caught what the lock should have: report it as a duplicate.
            raise Conflict(
                "This outcome has already been claimed for this participant on this date."
            ) from None
    return ledger.claims(ids, rows)


# Every field of a claim but its id, in the model's order: what admit() makes, COPY writes and
# Claim.from_db reads back.
_COLUMNS = tuple(f.attname for f in Claim._meta.concrete_fields if not f.primary_key)
_ROW = itemgetter(*_COLUMNS)


class _Ledger:
    """What the checks need, loaded in a few queries, with each participant's row locked; claims
    admitted in this batch are added as they pass, so later items see them."""

    def __init__(self, user) -> None:
        self.user, self.user_id = user, user.pk
        self.today = today()
        self.now = timezone.now()  # one submission time for the batch
        self.programmes: dict[int, Programme] = {}
        self.outcomes: dict[tuple[int, int], PayableOutcome] = {}
        self.caps: dict[int, Decimal | None] = {}
        self.participants: dict[str, int] = {}  # reference: id, each row locked
        self.starts: dict[tuple[int, int], date] = {}  # (participant, programme): enrolment start
        self.submit_refusals: dict[int, DomainError | None] = {}  # per programme, checked once
        self.live: dict[int, list[tuple[int, int, date, Decimal, str]]] = defaultdict(list)

    @classmethod
    def load(cls, user, items: list[ClaimInput]) -> _Ledger:
        """A fixed number of queries whatever the number of items; long lists go as one array each."""
        ledger = cls(user)
        programme_ids = {item.programme_id for item in items}
        ledger.programmes = {p.pk: p for p in programmes_visible_to(user).filter(pk__in=programme_ids)}
        for outcome in PayableOutcome.objects.filter(programme_id__in=ledger.programmes):
            ledger.outcomes[(outcome.programme_id, outcome.measure_id)] = outcome
        ledger.caps = dict(
            ClaimTerms.objects.filter(programme_id__in=ledger.programmes).values_list(
                "programme_id", "cap_per_participant"
            )
        )
        references = {item.participant for item in items}
        # Lock in id order so that two batches touching the same people cannot deadlock.
        locked = (
            Participant.objects.filter(AnyOf(F("reference"), references))
            .order_by("pk")
            .select_for_update()
            .values_list("reference", "pk")
        )
        ledger.participants = dict(locked)
        ids = list(ledger.participants.values())
        for participant_id, programme_id, start in Enrolment.objects.filter(
            AnyOf(F("participant_id"), ids), programme_id__in=ledger.programmes
        ).values_list("participant_id", "programme_id", "start_date"):
            ledger.starts[(participant_id, programme_id)] = start
        for row in Claim.objects.filter(AnyOf(F("participant_id"), ids), status__in=LIVE).values_list(
            "participant_id", "programme_id", "measure_id", "achieved_on", "price",
            "payable_outcome__exclusivity_group",
        ):  # fmt: skip
            participant_id, programme_id, measure_id, achieved_on, price, group = row
            ledger.live[participant_id].append((programme_id, measure_id, achieved_on, price, group))
        return ledger

    def admit(self, item: ClaimInput) -> tuple:
        """Check one item against every rule and what is claimed so far; its row, to be written."""
        programme = self.programmes.get(item.programme_id)
        if programme is None:
            raise NotFound(PROGRAMME_NOT_VISIBLE, field="programme")
        self._require_submit(programme)
        programme_id = item.programme_id  # the programme's id, read once (.pk is a property)
        outcome = self.outcomes.get((programme_id, item.measure_id))
        if outcome is None:
            raise ValidationFailed(
                {"measure": ["This programme does not pay per participant for this outcome."]}
            )
        participant = self.participants.get(item.participant)
        start = self.starts.get((participant, programme_id))  # None if not found, or not enrolled
        if start is None:
            raise ValidationFailed(
                {"participant": ["No participant with this reference is enrolled on this programme."]}
            )
        self._check_evidence(item, outcome)
        self._check_dates(item, outcome, start, programme)
        self._check_limits(item, outcome, participant, programme)
        self.live[participant].append(
            (programme_id, item.measure_id, item.achieved_on, outcome.tariff, outcome.exclusivity_group)
        )
        return _ROW(
            {
                "participant_id": participant,
                "programme_id": programme_id,
                "payable_outcome_id": outcome.id,
                "measure_id": item.measure_id,
                "achieved_on": item.achieved_on,
                "evidence_type": item.evidence_type,
                "notes": item.notes,
                "price": outcome.tariff,
                "status": Claim.Status.SUBMITTED.value,
                "reason": "",
                "submitted_by_id": self.user_id,
                "submitted_at": self.now,
                "reviewed_by_id": None,
                "reviewed_at": None,
                "payment_id": None,
            }
        )

    def claims(self, ids: list[int], rows: list[tuple]) -> list[Claim]:
        """The claims written, as model instances with what the API shows of them attached."""
        using = router.db_for_write(Claim)
        names = ["id", *_COLUMNS]
        references = {pk: reference for reference, pk in self.participants.items()}
        people: dict[int, Participant] = {}
        outcomes = {outcome.pk: outcome for outcome in self.outcomes.values()}
        claims = []
        for new_id, row in zip(ids, rows, strict=True):
            claim = Claim.from_db(using, names, (new_id, *row))
            participant_id = claim.participant_id
            if participant_id not in people:
                people[participant_id] = Participant.from_db(
                    using, ["id", "reference"], (participant_id, references[participant_id])
                )
            cache = claim._state.fields_cache
            cache["participant"] = people[participant_id]
            cache["programme"] = self.programmes[claim.programme_id]
            cache["payable_outcome"] = outcomes[claim.payable_outcome_id]
            cache["submitted_by"] = self.user
            claims.append(claim)
        return claims

    def _require_submit(self, programme: Programme) -> None:
        """May the user claim for this programme? Asked once per programme in a batch."""
        if programme.pk not in self.submit_refusals:
            try:
                require(self.user, Action.CLAIM_SUBMIT, programme, field="programme")
                self.submit_refusals[programme.pk] = None
            except DomainError as exc:
                self.submit_refusals[programme.pk] = exc
        refusal = self.submit_refusals[programme.pk]
        if refusal is not None:
            raise refusal

    @staticmethod
    def _check_evidence(item: ClaimInput, outcome: PayableOutcome) -> None:
        if item.evidence_type not in outcome.evidence_types:
            accepted = ", ".join(EvidenceType(t).label for t in outcome.evidence_types) or "none set"
            raise ValidationFailed({"evidence_type": [f"This outcome accepts: {accepted}."]})

    def _check_dates(self, item: ClaimInput, outcome: PayableOutcome, start: date, programme) -> None:
        if item.achieved_on > self.today:
            raise ValidationFailed({"achieved_on": ["The outcome cannot be achieved in the future."]})
        earliest = start + timedelta(days=outcome.earliest_claim_days)
        if item.achieved_on < earliest:
            raise ValidationFailed(
                {
                    "achieved_on": [
                        f"This outcome counts from {earliest:%d %B %Y} for this participant "
                        f"({outcome.earliest_claim_days} days after their start)."
                    ]
                }
            )
        if item.achieved_on > programme.end_date:
            raise ValidationFailed(
                {"achieved_on": [f"The programme ended on {programme.end_date:%d %B %Y}."]}
            )
        sustained = item.achieved_on + timedelta(weeks=outcome.sustainment_weeks)
        if sustained > self.today:
            raise ValidationFailed(
                {
                    "achieved_on": [
                        f"The outcome must be sustained for {outcome.sustainment_weeks} weeks: "
                        f"it can be claimed from {sustained:%d %B %Y}."
                    ]
                }
            )

    def _check_limits(self, item: ClaimInput, outcome: PayableOutcome, participant: int, programme) -> None:
        live, programme_id = self.live[participant], programme.pk
        same = [c for c in live if c[1] == item.measure_id]
        if any(c[0] != programme_id for c in same):
            raise Conflict(ALREADY_CLAIMED_ELSEWHERE, field="participant")
        if any(c[2] == item.achieved_on for c in same):
            raise Conflict("This outcome has already been claimed for this participant on this date.")
        if len(same) >= outcome.max_claims_per_participant:
            times = (
                "once"
                if outcome.max_claims_per_participant == 1
                else f"{outcome.max_claims_per_participant} times"
            )
            raise Conflict(f"This outcome is paid {times} per participant, and has been claimed.")
        group = outcome.exclusivity_group
        if group and any(c[0] == programme_id and c[4] == group and c[1] != item.measure_id for c in live):
            raise Conflict(
                f"This participant already has a claim in the \u201c{group}\u201d group; only one is paid."
            )
        cap = self.caps.get(programme_id)
        if cap is not None:
            claimed = sum((c[3] for c in live if c[0] == programme_id), Decimal("0"))
            if claimed + outcome.tariff > cap:
                raise Conflict(
                    f"This claim would take the participant past the programme's cap of £{cap:,.2f} "
                    f"(£{claimed:,.2f} already claimed)."
                )


def claim_verify(*, user, claim: Claim) -> Claim:
    """A commissioner accepts a submitted claim; its price then counts towards what is due."""
    with transaction.atomic():
        locked = _lock(user, claim)
        require(user, Action.CLAIM_REVIEW)
        if locked.status != Claim.Status.SUBMITTED:
            raise Conflict(
                f"Only a submitted claim can be verified; this one is {locked.status}.", id=locked.pk
            )
        locked.status, locked.reviewed_by, locked.reviewed_at = Claim.Status.VERIFIED, user, timezone.now()
        _save(locked, user)
        return locked


def claim_reject(*, user, claim: Claim, reason: str) -> Claim:
    """A commissioner rejects a submitted or verified (unpaid) claim, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say why the claim is rejected; the provider sees it."]})
    with transaction.atomic():
        locked = _lock(user, claim)
        require(user, Action.CLAIM_REVIEW)
        if locked.status not in (Claim.Status.SUBMITTED, Claim.Status.VERIFIED):
            raise Conflict(f"A {locked.status} claim cannot be rejected.", id=locked.pk)
        locked.status, locked.reason = Claim.Status.REJECTED, reason
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        _save(locked, user)
        return locked


def _lock(user, claim: Claim) -> Claim:
    queryset = Claim.objects.select_related("programme").select_for_update(of=("self",))
    return get_visible(queryset, user=user, pk=claim.pk, action=Action.CLAIM_VIEW, missing=CLAIM_NOT_VISIBLE)


def _save(claim: Claim, user) -> None:
    claim._history_user = user
    claim.save()
