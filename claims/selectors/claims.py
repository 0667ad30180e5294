"""Claims a user may see: a provider its own organisations' programmes', staff every one."""

from django.db.models import QuerySet

from claims.models import Claim
from claims.permissions import CLAIM_NOT_VISIBLE, Action, get_visible
from grants.selectors.programmes import scoped_to_provider


def claims_visible_to(user) -> QuerySet[Claim]:
    return scoped_to_provider(Claim.objects.all(), user, "programme__provider")


def claim_get_visible(*, user, pk) -> Claim:
    queryset = Claim.objects.select_related("programme", "participant")
    return get_visible(queryset, user=user, pk=pk, action=Action.CLAIM_VIEW, missing=CLAIM_NOT_VISIBLE)


def claim_history(claim: Claim) -> list[dict]:
    """What happened to a claim, oldest first: submitted, verified, rejected (with the reason),
    paid, and each evidence file added; who and when."""
    entries: list[dict] = []
    previous = None
    for record in claim.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None or record.status != previous.status:
            what = "Submitted" if previous is None else Claim.Status(record.status).label
            if record.status == Claim.Status.REJECTED and record.reason:
                what += f": {record.reason}"
            entries.append({"at": record.history_date, "by": record.history_user, "what": what})
        previous = record
    for row in claim.evidence_files.select_related("uploaded_by"):
        what = f"Evidence added: {row.original_name}"
        entries.append({"at": row.uploaded_at, "by": row.uploaded_by, "what": what})
    return sorted(entries, key=lambda e: e["at"])
