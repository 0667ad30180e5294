"""Writes for assessment: assessors, the conflicts register, blind scores, moderation, exclusion.

Every check is made under the call's row lock: declaring a conflict, recording a score and
submitting an assessment all take it, so a conflict cannot slip in between a check and a save.
"""

from __future__ import annotations

from django.db import transaction

from accounts.roles import is_commissioner
from core.errors import Conflict, NotFound, NotPermitted, ValidationFailed

from ..models import (
    AssessmentSubmission,
    Assessor,
    AssessorScore,
    Bid,
    Call,
    Criterion,
    InterestDeclaration,
    Moderation,
)
from ..permissions import BID_NOT_VISIBLE, Action, require
from ..ranking import MODERATION_SPREAD
from ._common import delete, lock_call, now, save

NOT_ASSESSOR = "You are not an assessor on this call; the commissioner managing it assigns assessors."
NOT_LEAD = "Only the lead assessor moderates scores."
ASSESSORS_ARE_COMMISSIONERS = "Assessors are commissioners; {name} is not one."
CONFLICTED_ASSIGN = "{name} declared a conflict with every organisation bidding, so cannot assess this call."
DECLARE_FIRST = (
    "Declare your interests in {organisation} in the conflicts register before you see or score its bid."
)
CONFLICTED = "You declared a conflict of interest with {organisation}, so you cannot see or score its bid."
ASSESSMENT_NOT_STARTED = "Assessment starts when the call closes; bids can still be withdrawn until then."
ALREADY_SUBMITTED = "You have submitted your scores for this bid; they can no longer change."
SCORE_INCOMPLETE = "Score every criterion before submitting: {missing}."
BID_NOT_ASSESSABLE = "Only submitted bids are assessed; this one is {status}."
NOT_MODERATION_CASE = (
    "Assessors' scores on this criterion differ by less than {points}; moderate only where they differ "
    "by {points} or more, or record that the lead asked for it."
)
MODERATE_AFTER_ALL_SUBMIT = "Every assessor must submit their scores for this bid before it is moderated."
CALL_CONCLUDED = "The call has concluded; its assessment is closed."


def assessor_assign(*, user, call: Call, assessor, is_lead: bool = False) -> Assessor:
    require(user, Action.CALL_MANAGE)
    with transaction.atomic():
        locked = lock_call(call)
        if locked.status == Call.Status.CONCLUDED:
            raise Conflict(CALL_CONCLUDED)
        if not is_commissioner(assessor):
            raise ValidationFailed(
                {"assessor": [ASSESSORS_ARE_COMMISSIONERS.format(name=assessor.get_username())]}
            )
        row = Assessor.objects.filter(call=locked, user=assessor).first() or Assessor(
            call=locked, user=assessor
        )
        if is_lead:
            for other in Assessor.objects.filter(call=locked, is_lead=True).exclude(user=assessor):
                other.is_lead = False
                save(other, user)
        row.is_lead = is_lead or row.is_lead
        save(row, user)
        return row


def interest_declare(
    *, user, call: Call, organisation, conflicted: bool, description: str = ""
) -> InterestDeclaration:
    """Record the assessor's interest (or none) in a bidding organisation. A conflict withdraws
    any scores they gave that organisation's bids."""
    require(user, Action.ASSESS)
    with transaction.atomic():
        locked = lock_call(call)
        _require_assessor(locked, user)
        description = (description or "").strip()
        if conflicted and not description:
            raise ValidationFailed(
                {"description": ["Say what the conflict is (e.g. a trustee of the bidder)."]}
            )
        row = InterestDeclaration.objects.filter(
            call=locked, assessor=user, organisation=organisation
        ).first()
        row = row or InterestDeclaration(call=locked, assessor=user, organisation=organisation)
        row.conflicted, row.description = bool(conflicted), description
        save(row, user)
        if conflicted:
            for score in AssessorScore.objects.filter(
                bid__call=locked, bid__organisation=organisation, assessor=user
            ):
                delete(score, user)
            for submission in AssessmentSubmission.objects.filter(
                bid__call=locked, bid__organisation=organisation, assessor=user
            ):
                delete(submission, user)
        return row


def check_may_see(call: Call, bid: Bid, user) -> None:
    """An assessor sees a bid only once they have declared no conflict with its organisation; a
    conflicted commissioner does not see it at all (404, as for anyone it is not for)."""
    declaration = InterestDeclaration.objects.filter(
        call=call, assessor=user, organisation_id=bid.organisation_id
    ).first()
    if declaration is not None and declaration.conflicted:
        raise NotFound(BID_NOT_VISIBLE)
    if declaration is None and Assessor.objects.filter(call=call, user=user).exists():
        raise NotPermitted(DECLARE_FIRST.format(organisation=bid.organisation.name), code="declare_first")


def score_record(*, user, bid: Bid, criterion: Criterion, score: int, justification: str) -> AssessorScore:
    """An assessor's score of a bid on a criterion, 0-5 with its justification; changeable until
    they submit their assessment of the bid."""
    require(user, Action.ASSESS)
    with transaction.atomic():
        call = lock_call(bid.call_id)
        locked = _assessable(call, bid, user)
        errors = {}
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
            errors["score"] = ["A score is a whole number from 0 to 5."]
        if not (justification or "").strip():
            errors["justification"] = ["Justify the score against the criterion's descriptors."]
        if criterion.call_id != call.pk:
            errors["criterion"] = ["That criterion belongs to another call."]
        if errors:
            raise ValidationFailed(errors)
        if AssessmentSubmission.objects.filter(bid=locked, assessor=user).exists():
            raise Conflict(ALREADY_SUBMITTED)
        row = AssessorScore.objects.filter(bid=locked, criterion=criterion, assessor=user).first()
        row = row or AssessorScore(bid=locked, criterion=criterion, assessor=user)
        row.score, row.justification = score, justification.strip()
        save(row, user)
        return row


def assessment_submit(*, user, bid: Bid) -> AssessmentSubmission:
    """Fix this assessor's scores of the bid; from now on they see the other assessors'."""
    require(user, Action.ASSESS)
    with transaction.atomic():
        call = lock_call(bid.call_id)
        locked = _assessable(call, bid, user)
        if AssessmentSubmission.objects.filter(bid=locked, assessor=user).exists():
            raise Conflict(ALREADY_SUBMITTED)
        scored = set(
            AssessorScore.objects.filter(bid=locked, assessor=user).values_list("criterion_id", flat=True)
        )
        if missing := [c.name for c in call.criteria.all() if c.pk not in scored]:
            raise ValidationFailed({"scores": [SCORE_INCOMPLETE.format(missing=", ".join(missing))]})
        submission = AssessmentSubmission(bid=locked, assessor=user)
        save(submission, user)
        return submission


def moderation_record(
    *, user, bid: Bid, criterion: Criterion, score: int, rationale: str, requested: bool = False
) -> Moderation:
    """The lead's moderated score where assessors differ by 2 or more (or on the lead's request,
    `requested`), once every assessor able to score the bid has submitted. Originals are kept."""
    require(user, Action.ASSESS)
    with transaction.atomic():
        call = lock_call(bid.call_id)
        if not Assessor.objects.filter(call=call, user=user, is_lead=True).exists():
            raise NotPermitted(NOT_LEAD)
        locked = _assessable(call, bid, user, lead=True)
        errors = {}
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
            errors["score"] = ["A score is a whole number from 0 to 5."]
        if not (rationale or "").strip():
            errors["rationale"] = ["Give the rationale for the moderated score."]
        if criterion.call_id != call.pk:
            errors["criterion"] = ["That criterion belongs to another call."]
        if errors:
            raise ValidationFailed(errors)
        if pending := expected_assessors(call, locked) - submitted_assessors(locked):
            raise Conflict(MODERATE_AFTER_ALL_SUBMIT, pending=len(pending))
        values = list(
            AssessorScore.objects.filter(bid=locked, criterion=criterion).values_list("score", flat=True)
        )
        if not requested and (not values or max(values) - min(values) < MODERATION_SPREAD):
            raise Conflict(NOT_MODERATION_CASE.format(points=MODERATION_SPREAD))
        row = Moderation.objects.filter(bid=locked, criterion=criterion).first()
        row = row or Moderation(bid=locked, criterion=criterion)
        row.score, row.rationale, row.moderated_by = score, rationale.strip(), user
        save(row, user)
        return row


def bid_exclude(*, user, bid: Bid, reason: str) -> Bid:
    """Exclude a submitted bid (an eligibility failure, say) with the reason; it is not ranked."""
    require(user, Action.CALL_MANAGE)
    with transaction.atomic():
        call = lock_call(bid.call_id)
        if call.status == Call.Status.CONCLUDED:
            raise Conflict(CALL_CONCLUDED)
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        if locked.status != Bid.Status.SUBMITTED:
            raise Conflict(BID_NOT_ASSESSABLE.format(status=locked.get_status_display().lower()))
        if hasattr(locked, "award"):
            raise Conflict("This bid is recommended for award; it cannot be excluded.")
        if not (reason or "").strip():
            raise ValidationFailed(
                {"reason": ["Give the reason the bid is excluded, e.g. the eligibility gate it fails."]}
            )
        locked.excluded_reason, locked.excluded_by = reason.strip(), user
        save(locked, user)
        return locked


def expected_assessors(call: Call, bid: Bid) -> set[int]:
    """The assessors who can score this bid: assigned and not conflicted with its organisation."""
    conflicted = InterestDeclaration.objects.filter(
        call=call, organisation_id=bid.organisation_id, conflicted=True
    ).values_list("assessor_id", flat=True)
    return set(
        Assessor.objects.filter(call=call).exclude(user_id__in=conflicted).values_list("user_id", flat=True)
    )


def submitted_assessors(bid: Bid) -> set[int]:
    return set(AssessmentSubmission.objects.filter(bid=bid).values_list("assessor_id", flat=True))


def _require_assessor(call: Call, user) -> Assessor:
    row = Assessor.objects.filter(call=call, user=user).first()
    if row is None:
        raise NotPermitted(NOT_ASSESSOR)
    return row


def _assessable(call: Call, bid: Bid, user, lead: bool = False) -> Bid:
    if call.status == Call.Status.CONCLUDED:
        raise Conflict(CALL_CONCLUDED)
    _require_assessor(call, user)
    locked = Bid.objects.select_for_update().select_related("organisation").get(pk=bid.pk)
    if locked.status == Bid.Status.DRAFT:
        raise NotFound(BID_NOT_VISIBLE)
    check_may_see(call, locked, user)
    if now() < call.closes_at:
        raise Conflict(ASSESSMENT_NOT_STARTED)
    if locked.status != Bid.Status.SUBMITTED:
        raise Conflict(BID_NOT_ASSESSABLE.format(status=locked.get_status_display().lower()))
    return locked
