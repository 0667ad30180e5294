"""The claims pages of this part of the ledger through axe-core (WCAG 2.2 AA), reflow at 320px and
linked errors, as a provider and a commissioner, on the demo data with a payment-by-results
programme paying per claim, one participant, a claim and its evidence (the demo has no claims
of its own yet); and their forms shown with their errors."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.browser.test_accessibility import check_page, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(demo_committed, settings, tmp_path):
    from claims import services
    from claims.models import EvidenceType, PayableOutcome
    from grants.models import Programme
    from grants.permissions import provider_organisation_ids
    from tests.claims.test_evidence import PDF

    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "k" * 40, "TODAY": date(2010, 10, 20)}
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    users = get_user_model().objects
    provider, commissioner = users.get(username="provider"), users.get(username="commissioner")
    programme = (
        Programme.objects.filter(
            provider_id__in=provider_organisation_ids(provider), start_date__lte=date(2010, 4, 1)
        )
        .order_by("reference")
        .first()
    )
    Programme.objects.filter(pk=programme.pk).update(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS)
    measure = programme.targets.order_by("pk").first().measure
    PayableOutcome.objects.create(
        programme=programme, measure=measure, tariff=Decimal("750"), evidence_types=[EvidenceType.PAYSLIP]
    )
    reference = services.participant_enrol(
        user=provider, data=services.EnrolmentInput(programme.pk, date(2010, 4, 6), ni_number="AB123456C")
    ).participant.reference
    claim = services.claim_submit(
        user=provider,
        data=services.ClaimInput(
            reference, programme.pk, measure.pk, date(2010, 5, 3), "payslip", "Started work"
        ),
    )
    services.evidence_add(user=provider, claim=claim, upload=SimpleUploadedFile("payslip.pdf", PDF))
    return {"programme": programme, "claim": claim, "commissioner": commissioner}


def test_claims_pages_pass_axe(ledger, browser, live_server):
    programme, claim = ledger["programme"], ledger["claim"]
    pages = {
        "provider": [
            reverse("claims-ledger"), reverse("claim-detail", args=[claim.pk]), reverse("claims-enrol"),
            reverse("programme-detail", args=[programme.pk]),
        ],
        "commissioner": [
            reverse("claims-ledger"), reverse("claim-detail", args=[claim.pk]),
            reverse("claims-programme-outcomes", args=[programme.pk]),
            reverse("programme-detail", args=[programme.pk]), reverse("returns-queue"),
        ],
    }  # fmt: skip
    problems = []
    for username, paths in pages.items():
        page = open_page(browser, live_server, username)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{username} {path}: {response.status}"
            problems += check_page(page, f"{username} {path}")
        page.context.close()
    assert not problems, "\n".join(problems)


def test_claims_forms_with_errors_pass_axe(ledger, browser, live_server):
    problems = []
    forms = [
        ("provider", reverse("claims-enrol"), "Enrol"),
        ("provider", reverse("claims-enrol"), "Check and enrol"),
        ("commissioner", reverse("claims-programme-outcomes", args=[ledger["programme"].pk]), "Save outcome"),
    ]
    for username, path, button in forms:
        page = open_page(browser, live_server, username)
        page.goto(live_server.url + path)
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state()
        where = f"{username} {path} ({button}, submitted empty)"
        if not page.locator(".govuk-error-summary").count():
            problems.append(f"{where}: no error summary shown")
        problems += check_page(page, where)
        page.context.close()
    assert not problems, "\n".join(problems)
