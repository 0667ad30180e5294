"""The claims ledger on other apps' pages: a programme's claims on its page, and claims waiting
for a decision in the verification queue. Read through claims.selectors, so each person sees
only what they may."""

from __future__ import annotations

from django import template
from django.db.models import Count, Sum

from claims.models import Claim, PayableOutcome
from claims.permissions import Action, has_permission
from claims.selectors import claims_visible_to

register = template.Library()
SHOWN = 10


@register.inclusion_tag("claims/_programme_ledger.html", takes_context=True)
def programme_claims(context, programme) -> dict:
    """The programme's claims by status (number and value), its latest claims, and links."""
    user = context["request"].user
    claims = claims_visible_to(user).filter(programme=programme)
    by_status = {
        row["status"]: row
        for row in claims.order_by().values("status").annotate(n=Count("id"), value=Sum("price"))
    }
    statuses = [
        {"status": value, "label": label, "n": by_status.get(value, {}).get("n", 0),
         "value": by_status.get(value, {}).get("value")}
        for value, label in Claim.Status.choices
    ]  # fmt: skip
    return {
        "programme": programme,
        "pays_per_claim": PayableOutcome.objects.filter(programme=programme).exists(),
        "statuses": statuses,
        "total": sum(s["n"] for s in statuses),
        "latest": claims.select_related("participant", "measure").order_by("-submitted_at", "-id")[:SHOWN],
        "can_manage": has_permission(Action.OUTCOMES_MANAGE, user, programme).allowed
        and programme.commissioning_model == "pbr",
        "can_enrol": has_permission(Action.PARTICIPANT_ENROL, user, programme).allowed,
    }


@register.inclusion_tag("claims/_claims_to_verify.html", takes_context=True)
def claims_to_verify(context) -> dict:
    """Submitted claims awaiting a commissioner's decision, oldest first."""
    user = context["request"].user
    waiting = claims_visible_to(user).filter(status=Claim.Status.SUBMITTED)
    oldest = waiting.select_related("participant", "programme", "measure").order_by("submitted_at", "id")
    return {
        "count": waiting.count(),
        "oldest": oldest[:SHOWN],
        "can_review": has_permission(Action.CLAIM_REVIEW, user).allowed,
    }
