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
