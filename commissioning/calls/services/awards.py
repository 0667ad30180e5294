"""Writes for awards: the recommended bid per lot (which starts the standstill), and concluding it
into a programme through grants.services, in one transaction, with nothing re-keyed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.clock import today
from core.errors import Conflict, ValidationFailed
from core.formatting import short_date
from grants import services as grants_services
from grants.models import Programme

from ..models import Award, Bid, Call, Lot
from ..permissions import Action, require
from ..standstill import may_conclude, standstill_ends
from ._common import lock_call, now, save

NOT_CLOSED = "The call has not closed yet; bids are assessed and awarded after it closes."
ALREADY_AWARDED = "Lot {number} already has a recommended bid; its award is {state}."
AWAITING_MODERATION = "Some scores in this lot still need moderation: {what}."
BID_NOT_RANKED = (
    "Only a submitted, assessed bid that is not excluded and meets the quality threshold can be awarded."
)
IN_STANDSTILL = "The standstill runs until the end of {ends}; the award can be concluded from the next day."
ALREADY_CONCLUDED = "This award has already been concluded."


def award_recommend(*, user, lot: Lot, bid: Bid, rationale: str) -> Award:
    """Record the recommended bid for a lot with its rationale; the standstill starts today and
    runs eight working days (England and Wales bank holidays excluded)."""
    from ..selectors import call_ranking

    require(user, Action.CALL_MANAGE)
    with transaction.atomic():
        call = lock_call(lot.call_id)
        if now() < call.closes_at:
            raise Conflict(NOT_CLOSED)
        if existing := Award.objects.filter(lot=lot).first():
            state = "concluded" if existing.is_concluded else "in standstill"
            raise Conflict(ALREADY_AWARDED.format(number=lot.number, state=state))
        errors = {}
        if not (rationale or "").strip():
            errors["rationale"] = ["Give the rationale for the recommendation."]
        if bid.lot_id != lot.pk:
            errors["bid"] = ["That bid is for another lot."]
        if errors:
            raise ValidationFailed(errors)
        rows = [r for r in call_ranking(call) if r.lot_id == lot.pk]
        if pending := [r for r in rows if r.awaiting_moderation and not r.excluded_reason]:
            what = ", ".join(r.bid.organisation.name for r in pending)  # type: ignore[attr-defined]
            raise Conflict(AWAITING_MODERATION.format(what=what))
        row = next((r for r in rows if r.bid_id == bid.pk), None)
        if row is None or row.total is None:
            raise Conflict(BID_NOT_RANKED)
        day = today()
        award = Award(
            lot=lot, bid=bid, rationale=rationale.strip(), recommended_by=user, recommended_on=day,
            standstill_ends=standstill_ends(day),
        )  # fmt: skip
        save(award, user)
        return award


def award_conclude(*, user, award: Award) -> Programme:
    """After the standstill, create the programme from the winning bid: provider, stream, award,
    dates, priorities, themes, wards, model, service fee, quarterly targets from the proposed
    outcomes and tariffs from the rate card; budget checks apply (grants.services)."""
    require(user, Action.CALL_MANAGE)
    with transaction.atomic():
        call = lock_call(award.lot.call_id)
        locked = Award.objects.select_for_update().select_related("bid", "lot").get(pk=award.pk)
        if locked.is_concluded:
            raise Conflict(ALREADY_CONCLUDED)
        if not may_conclude(locked.standstill_ends, today()):
            raise Conflict(IN_STANDSTILL.format(ends=short_date(locked.standstill_ends)), code="standstill")
        bid = Bid.objects.select_for_update().get(pk=locked.bid_id)
        programme = _create_programme(user, call, locked.lot, bid)
        bid.programme = programme
        save(bid, user)
        locked.concluded_at, locked.concluded_by = timezone.now(), user
        save(locked, user)
        if not Lot.objects.filter(call=call).exclude(award__concluded_at__isnull=False).exists():
            call.status = Call.Status.CONCLUDED
            save(call, user)
        return programme


def _create_programme(user, call: Call, lot: Lot, bid: Bid) -> Programme:
    priority_ids = list(call.priorities.values_list("pk", flat=True))
    primary = call.primary_priority_id or (priority_ids[0] if priority_ids else None)
    programme = grants_services.programme_create(
        user=user,
        fields={
            "reference": f"{call.reference}-L{lot.number}",
            "title": bid.title,
            "description": bid.summary,
            "provider": bid.organisation,
            "funding_stream": call.funding_stream,
            "award_amount": bid.price,
            "start_date": call.service_start,
            "end_date": call.service_end,
            "commissioning_model": call.commissioning_model,
            "service_fee": bid.service_fee,
            "status": Programme.Status.ACTIVE,
        },
        priority_ids=priority_ids,
        primary_priority_id=primary,
        theme_ids=list(call.themes.values_list("pk", flat=True)),
        ward_ids=list(call.wards.values_list("pk", flat=True)),
    )
    tariffs = dict(bid.rate_card.values_list("measure_id", "tariff"))
    for outcome in bid.proposed_outcomes.select_related("measure"):
        grants_services.target_save(
            user=user,
            programme=programme,
            measure=outcome.measure,
            financial_year=outcome.financial_year,
            quarter=outcome.quarter,
            target_value=outcome.volume,
            tariff=tariffs.get(outcome.measure_id),
        )
    return programme
