"""Evidence files a user may see: only through a claim they may see."""

from claims.models import EvidenceFile
from claims.selectors.claims import claim_get_visible
from core.errors import NotFound

EVIDENCE_NOT_VISIBLE = "No evidence file with that id is visible to you."


def evidence_get_visible(*, user, claim_pk: int, pk: int) -> EvidenceFile:
    """One evidence file of a claim the user may see (provider of the programme's organisation,
    commissioners, finance officers, admins); NotFound for everyone else."""
    claim = claim_get_visible(user=user, pk=claim_pk)
    row = EvidenceFile.objects.filter(claim=claim, pk=pk).first()
    if row is None:
        raise NotFound(EVIDENCE_NOT_VISIBLE)
    row.claim = claim
    return row
