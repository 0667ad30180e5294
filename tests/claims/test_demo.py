"""The claims ledger's demo data: two payment-by-results programmes paying per participant, a few
hundred synthetic participants, claims across quarters, the duplicate and the cap caught, an
audit with invalid claims and its clawback; running the demo again changes nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from claims.models import Claim, ClaimAudit, Enrolment, Participant, PayableOutcome
from grants.models import Payment, Programme
from grants.selectors.payments import payment_schedule
from tests.conftest import FAST_HASHERS

pytestmark = pytest.mark.django_db
KEY = "a-test-participant-key-of-at-least-32-characters"


def load() -> str:
    from django.conf import settings

    out = StringIO()
    yardstick = {**settings.YARDSTICK, "ALLOW_DEMO_DATA": True, "PARTICIPANT_KEY": KEY, "TODAY": date(2010, 10, 20)}
    with override_settings(YARDSTICK=yardstick, PASSWORD_HASHERS=FAST_HASHERS):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_claims_demo_shows_every_rule_and_an_audit_and_is_safe_to_repeat():
    text = load()
    assert PayableOutcome.objects.filter(programme__reference__in=["SSP-0918", "SSP-0924"]).count() == 4
    # The impact reports' demo enrols more synthetic people on the same two programmes.
    both = Participant.objects.filter(enrolments__programme__reference="SSP-0918").filter(
        enrolments__programme__reference="SSP-0924"
    )
    assert both.count() == 12  # enrolled by both providers
    assert Participant.objects.filter(synthetic=False).count() == 0
    assert Enrolment.objects.filter(programme__reference__in=["SSP-0918", "SSP-0924"]).count() >= 320
    claims = Claim.objects.all()
    quarters = {(c.achieved_on.year, (c.achieved_on.month - 1) // 3) for c in claims}
    assert claims.count() > 250 and len(quarters) >= 5
    assert {"verified", "submitted", "rejected"} <= set(claims.values_list("status", flat=True))
    assert "duplicate across providers caught" in text and "already been claimed for this participant" in text
    assert "cap reached" in text and "past the programme's cap of £1,800.00" in text
    audit = ClaimAudit.objects.get()
    assert audit.status == "concluded" and audit.items.filter(result="invalid").count() == 3
    assert audit.clawback is not None and audit.clawback.kind == Payment.Kind.CLAWBACK
    assert Claim.objects.filter(reason__startswith=f"Found invalid by audit {audit.pk}").count() == 3
    for reference in ("SSP-0918", "SSP-0924"):  # paid what the ledger earned, never more
        schedule = payment_schedule(Programme.objects.get(reference=reference), today=date(2010, 10, 20))
        assert all(row.outstanding >= 0 for row in schedule.quarters), reference
    assert Claim.objects.filter(status="paid").exists()  # the payments marked their claims paid
    before = {m.__name__: m.objects.count() for m in (Participant, Enrolment, Claim, ClaimAudit, Payment)}
    Claim.objects.filter(status="submitted").first().delete()  # what people did is left alone
    again = load()
    after = {m.__name__: m.objects.count() for m in (Participant, Enrolment, Claim, ClaimAudit, Payment)}
    assert after == {**before, "Claim": before["Claim"] - 1}
    assert "caught" not in again
