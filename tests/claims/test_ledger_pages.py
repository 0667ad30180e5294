"""The claims ledger page: who sees what, and commissioners verify and reject from it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, EvidenceType, PayableOutcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(settings, portfolio, provider, provider2):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "k" * 40, "TODAY": date(2010, 10, 20)}
    made = {}
    for key, programme, user, ni in (("a", portfolio["a"], provider, "AB123456C"), ("b", portfolio["b"], provider2, "CE654321A")):
        PayableOutcome.objects.create(
            programme=programme, measure=portfolio["measure"], tariff=Decimal("1000"),
            evidence_types=[EvidenceType.PAYSLIP],
        )
        enrolment = services.participant_enrol(
            user=user, data=services.EnrolmentInput(programme.pk, date(2010, 1, 4), ni_number=ni)
        )
        made[key] = services.claim_submit(
            user=user,
            data=services.ClaimInput(
                enrolment.participant.reference, programme.pk, portfolio["measure"].pk, date(2010, 5, 3), "payslip"
            ),
        )
    return made


def test_providers_see_only_their_own_claims(client, provider, claims):
    client.force_login(provider)
    page = client.get(reverse("claims-ledger")).content.decode()
    assert claims["a"].participant.reference in page
    assert claims["b"].participant.reference not in page
    assert "Verify" not in page  # providers do not review


def test_commissioner_verifies_and_rejects_from_the_page(client, commissioner, claims):
    client.force_login(commissioner)
    page = client.get(reverse("claims-ledger")).content.decode()
    assert claims["a"].participant.reference in page and claims["b"].participant.reference in page
    response = client.post(reverse("claim-verify", args=[claims["a"].pk]), {"next": "/claims/?status=submitted"})
    assert response.status_code == 302 and response["Location"] == "/claims/?status=submitted"
    assert Claim.objects.get(pk=claims["a"].pk).status == "verified"
    empty = client.post(reverse("claim-reject", args=[claims["b"].pk]), {"reason": ""}, follow=True)
    assert "Say why the claim is rejected" in empty.content.decode()
    client.post(reverse("claim-reject", args=[claims["b"].pk]), {"reason": "Payslip is for another person"})
    assert Claim.objects.get(pk=claims["b"].pk).reason == "Payslip is for another person"
    filtered = client.get(reverse("claims-ledger"), {"status": "rejected"}).content.decode()
    assert "Payslip is for another person" in filtered and claims["a"].participant.reference not in filtered


def test_a_provider_cannot_verify_and_another_organisations_claim_is_not_found(client, provider, claims):
    client.force_login(provider)
    assert client.post(reverse("claim-verify", args=[claims["a"].pk])).status_code == 403
    assert client.post(reverse("claim-verify", args=[claims["b"].pk])).status_code == 404
    assert Claim.objects.filter(status="verified").count() == 0


def test_empty_ledger_says_how_claims_arrive(client, finance, db):
    client.force_login(finance)
    assert "No outcome claims yet" in client.get(reverse("claims-ledger")).content.decode()
