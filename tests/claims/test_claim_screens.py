"""The claims screens: enrolment by form and spreadsheet (all or nothing, errors by row, no
identifier ever sent back), the commissioners' payable outcomes and cap screen and the admin on
the same services, the ledger on the programme page and in the verification queue, filters."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from claims import services
from claims.models import ClaimTerms, Enrolment, EvidenceType, PayableOutcome
from grants.models import Programme

pytestmark = pytest.mark.django_db
NI = "AB123456C"


@pytest.fixture(autouse=True)
def key(settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "k" * 40, "TODAY": date(2010, 10, 20)}


@pytest.fixture
def pbr(portfolio):
    Programme.objects.filter(pk=portfolio["a"].pk).update(commissioning_model=Programme.Model.PAYMENT_BY_RESULTS)
    portfolio["a"].refresh_from_db()
    return portfolio


def csv_upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_provider_enrols_one_participant(client, provider, portfolio):
    client.force_login(provider)
    page = client.get(reverse("claims-enrol")).content.decode()
    assert portfolio["a"].reference in page and portfolio["b"].reference not in page
    response = client.post(reverse("claims-enrol"), {
        "programme": portfolio["a"].pk, "start_date": "2010-04-06", "ni_number": "ab 12 34 56 c",
    })  # fmt: skip
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.programme == portfolio["a"] and enrolment.enrolled_by == provider


def test_a_refused_enrolment_never_sends_the_identifier_back(client, provider, portfolio):
    client.force_login(provider)
    response = client.post(reverse("claims-enrol"), {
        "programme": portfolio["a"].pk, "start_date": "2012-01-01", "ni_number": NI,
        "surname": "Zebedee-Quorn",
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert NI not in page and "Zebedee-Quorn" not in page
    assert not Enrolment.objects.exists()


def test_another_providers_programme_cannot_be_chosen(client, provider, portfolio):
    client.force_login(provider)
    response = client.post(reverse("claims-enrol"), {
        "programme": portfolio["b"].pk, "start_date": "2010-04-06", "ni_number": NI,
    })  # fmt: skip
    assert response.status_code == 400 and not Enrolment.objects.exists()


def test_a_csv_enrols_everyone(client, provider, portfolio):
    client.force_login(provider)
    text = "start_date,ni_number,date_of_birth,surname,forename\n2010-04-06,AB123456C,,,\n06/05/2010,,1980-02-03,Smith,Jo\n\n"
    response = client.post(reverse("claims-enrol-upload"), {
        "upload-programme": portfolio["a"].pk, "upload-file": csv_upload(text),
    })  # fmt: skip
    assert response.status_code == 302
    assert Enrolment.objects.filter(programme=portfolio["a"]).count() == 2


def test_an_xlsx_enrols_everyone(client, provider, portfolio):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Start date", "ni_number"])
    sheet.append([date(2010, 4, 6), "AB123456C"])
    sheet.append([date(2010, 4, 7), "CE654321A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(provider)
    response = client.post(reverse("claims-enrol-upload"), {
        "upload-programme": portfolio["a"].pk,
        "upload-file": SimpleUploadedFile("people.xlsx", buffer.getvalue()),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enrolment.objects.count() == 2


def test_one_bad_row_enrols_nobody_and_each_problem_is_listed(client, provider, portfolio):
    client.force_login(provider)
    text = (
        "start_date,ni_number\n"
        "2010-04-06,AB123456C\n"   # row 2: fine
        "not a date,CE654321A\n"   # row 3: bad date
        "2010-04-07,XX999999Z\n"   # row 4: not an NI number
        "2010-04-08,AB123456C\n"   # row 5: the same person again
    )  # fmt: skip
    response = client.post(reverse("claims-enrol-upload"), {
        "upload-programme": portfolio["a"].pk, "upload-file": csv_upload(text),
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nobody was enrolled: 3 rows need fixing" in page
    for row in ("<td class=\"govuk-table__cell\">3</td>", "<td class=\"govuk-table__cell\">4</td>",
                "<td class=\"govuk-table__cell\">5</td>"):  # fmt: skip
        assert row in page
    assert "already enrolled" in page
    for identifier in ("AB123456C", "CE654321A", "XX999999Z"):
        assert identifier not in page
    assert not Enrolment.objects.exists()


def test_a_file_without_the_header_row_is_refused_without_echoing_it(client, provider, portfolio):
    client.force_login(provider)
    response = client.post(reverse("claims-enrol-upload"), {
        "upload-programme": portfolio["a"].pk, "upload-file": csv_upload("2010-04-06,AB123456C\n"),
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "The first row must name the columns" in page and "AB123456C" not in page


def test_commissioners_set_payable_outcomes_and_the_cap(client, commissioner, pbr):
    client.force_login(commissioner)
    url = reverse("claims-programme-outcomes", args=[pbr["a"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "form": "outcome", "measure": pbr["measure"].pk, "tariff": "1250.00",
        "evidence_types": ["payslip", "hmrc_record"], "sustainment_weeks": 13, "earliest_claim_days": 7,
        "max_claims_per_participant": 1, "exclusivity_group": "",
    })  # fmt: skip
    assert response.status_code == 302
    outcome = PayableOutcome.objects.get(programme=pbr["a"])
    assert outcome.tariff == Decimal("1250.00") and outcome.evidence_types == ["payslip", "hmrc_record"]
    assert outcome.history.latest().history_user == commissioner
    assert client.post(url, {"form": "terms", "cap_per_participant": "3000"}).status_code == 302
    assert ClaimTerms.objects.get(programme=pbr["a"]).cap_per_participant == Decimal("3000.00")
    page = client.get(url).content.decode()
    assert "£1,250.00" in page and "Payslip, HMRC employment record" in page


def test_the_outcomes_screen_refuses_with_reasons(client, commissioner, provider, pbr):
    client.force_login(provider)
    assert client.get(reverse("claims-programme-outcomes", args=[pbr["a"].pk])).status_code == 403
    client.force_login(commissioner)
    response = client.post(reverse("claims-programme-outcomes", args=[pbr["b"].pk]), {
        "form": "outcome", "measure": pbr["measure"].pk, "tariff": "10", "evidence_types": ["payslip"],
        "sustainment_weeks": 0, "earliest_claim_days": 0, "max_claims_per_participant": 1,
    })  # fmt: skip
    assert response.status_code == 400
    assert "is not payment by results, so it cannot pay per claim" in response.content.decode()
    response = client.post(reverse("claims-programme-outcomes", args=[pbr["a"].pk]), {
        "form": "outcome", "measure": pbr["measure"].pk, "tariff": "10", "sustainment_weeks": 0,
        "earliest_claim_days": 0, "max_claims_per_participant": 1,
    })  # fmt: skip
    assert response.status_code == 400 and not PayableOutcome.objects.exists()


def test_an_outcome_with_claims_is_kept(client, commissioner, provider, pbr):
    outcome = services.payable_outcome_set(
        user=commissioner, programme_id=pbr["a"].pk,
        data=services.PayableOutcomeInput(pbr["measure"].pk, Decimal("100"), [EvidenceType.PAYSLIP]),
    )  # fmt: skip
    reference = services.participant_enrol(
        user=provider, data=services.EnrolmentInput(pbr["a"].pk, date(2010, 4, 6), ni_number=NI)
    ).participant.reference
    services.claim_submit(user=provider, data=services.ClaimInput(
        reference, pbr["a"].pk, pbr["measure"].pk, date(2010, 5, 3), "payslip"))  # fmt: skip
    client.force_login(commissioner)
    client.post(reverse("claims-outcome-remove", args=[pbr["a"].pk, outcome.pk]))
    assert PayableOutcome.objects.filter(pk=outcome.pk).exists()


def test_the_admin_saves_through_the_services(client, admin_user, pbr):
    client.force_login(admin_user)
    response = client.post(reverse("admin:claims_payableoutcome_add"), {
        "programme": pbr["a"].pk, "measure": pbr["measure"].pk, "tariff": "500",
        "evidence_types": ["certificate"], "sustainment_weeks": 0, "earliest_claim_days": 0,
        "max_claims_per_participant": 1, "exclusivity_group": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert PayableOutcome.objects.get().history.latest().history_user == admin_user
    response = client.post(reverse("admin:claims_payableoutcome_add"), {
        "programme": pbr["b"].pk, "measure": pbr["measure"].pk, "tariff": "500",
        "evidence_types": ["certificate"], "sustainment_weeks": 0, "earliest_claim_days": 0,
        "max_claims_per_participant": 1, "exclusivity_group": "",
    }, follow=True)  # fmt: skip
    assert "is not payment by results" in response.content.decode()
    assert PayableOutcome.objects.count() == 1


@pytest.fixture
def claimed(pbr, commissioner, provider, provider2):
    for programme in (pbr["a"], pbr["b"]):
        PayableOutcome.objects.create(
            programme=programme, measure=pbr["measure"], tariff=Decimal("1000"), evidence_types=["payslip"]
        )
    made = {}
    for key, programme, user, ni in (("a", pbr["a"], provider, NI), ("b", pbr["b"], provider2, "CE654321A")):
        reference = services.participant_enrol(
            user=user, data=services.EnrolmentInput(programme.pk, date(2010, 4, 6), ni_number=ni)
        ).participant.reference
        made[key] = services.claim_submit(user=user, data=services.ClaimInput(
            reference, programme.pk, pbr["measure"].pk, date(2010, 5, 3), "payslip"))  # fmt: skip
    return made


def test_the_programme_page_shows_its_ledger(client, provider, commissioner, pbr, claimed):
    client.force_login(provider)
    page = client.get(reverse("programme-detail", args=[pbr["a"].pk])).content.decode()
    assert 'id="claims"' in page and claimed["a"].participant.reference in page
    assert reverse("claim-detail", args=[claimed["a"].pk]) in page
    assert "1 claim</a>, £1,000.00" in page
    client.force_login(commissioner)
    page = client.get(reverse("programme-detail", args=[pbr["a"].pk])).content.decode()
    assert reverse("claims-programme-outcomes", args=[pbr["a"].pk]) in page


def test_the_verification_queue_lists_claims_waiting(client, commissioner, claimed):
    client.force_login(commissioner)
    page = client.get(reverse("returns-queue")).content.decode()
    assert "Outcome claims to verify" in page and "2 submitted claims waiting" in page
    for claim in claimed.values():
        assert reverse("claim-detail", args=[claim.pk]) in page


def test_commissioners_verify_from_the_claim_page(client, commissioner, claimed):
    client.force_login(commissioner)
    url = reverse("claim-detail", args=[claimed["a"].pk])
    assert "Verify claim" in client.get(url).content.decode()
    response = client.post(reverse("claim-verify", args=[claimed["a"].pk]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "Verified" in page and "Verify claim" not in page


def test_the_ledger_filters_by_participant(client, commissioner, claimed):
    client.force_login(commissioner)
    reference = claimed["a"].participant.reference
    page = client.get(reverse("claims-ledger"), {"participant": reference.lower()}).content.decode()
    assert reference in page and claimed["b"].participant.reference not in page
