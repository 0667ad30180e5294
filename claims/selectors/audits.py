"""Reads for sampling audits: the audits a user may see, one audit with its sample, and the
population an audit draws from."""

from __future__ import annotations

from django.db.models import QuerySet

from claims.models import AuditedClaim, Claim, ClaimAudit
from claims.permissions import AUDIT_NOT_VISIBLE, Action, get_visible
from grants.selectors.programmes import scoped_to_provider
from outcomes.periods import Quarter

AUDITABLE = (Claim.Status.VERIFIED, Claim.Status.PAID)


def audits_visible_to(user) -> QuerySet[ClaimAudit]:
    return scoped_to_provider(ClaimAudit.objects.all(), user, "programme__provider").select_related(
        "programme", "drawn_by", "concluded_by", "clawback"
    )


def audit_get_visible(*, user, pk) -> ClaimAudit:
    queryset = ClaimAudit.objects.select_related("programme", "drawn_by", "concluded_by", "clawback")
    return get_visible(queryset, user=user, pk=pk, action=Action.AUDIT_VIEW, missing=AUDIT_NOT_VISIBLE)


def audit_items(audit: ClaimAudit) -> QuerySet[AuditedClaim]:
    return audit.items.select_related("claim", "claim__participant", "claim__measure", "checked_by").order_by(
        "id"
    )


def audit_population(*, programme_id: int, period: Quarter) -> QuerySet[Claim]:
    """The claims an audit of this programme and quarter samples from: verified or paid, with
    the outcome achieved in the quarter."""
    return Claim.objects.filter(
        programme_id=programme_id,
        status__in=AUDITABLE,
        achieved_on__gte=period.start,
        achieved_on__lte=period.end,
    )
