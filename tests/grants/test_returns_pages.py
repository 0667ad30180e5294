"""The returns pages: the providers' list and forms, the Excel upload, the verification queue."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grants.models import OutcomeReturn
from grants.returns_excel import HEADERS, TEMPLATE_HEADERS
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("returns.xlsx", out.getvalue())


def test_provider_sees_what_is_owed_and_nothing_of_others(client, provider, portfolio):
    client.force_login(provider)
    page = client.get(reverse("returns")).content.decode()
    assert "Through-the-gate" in page and "Mediation" not in page
    assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in page and "was due" in page  # long past
    assert ">Submit<span class=\"govuk-visually-hidden\">" in page


def test_submit_form_creates_a_return_and_shows_rule_errors(client, provider, portfolio):
    client.force_login(provider)
    data = {"programme": portfolio["a"].pk, "measure": portfolio["measure"].pk, "financial_year": "2009/10",
            "quarter": 1, "value": "9", "spend": "1200.50", "notes": ""}  # fmt: skip
    response = client.post(reverse("return-new"), data)
    assert response.status_code == 302
    created = OutcomeReturn.objects.get()
    assert created.value == Decimal("9") and created.submitted_by == provider and created.is_late
    again = client.post(reverse("return-new"), data).content.decode()
    assert "already exists" in again
    outside = client.post(reverse("return-new"), {**data, "financial_year": "2012/13"}).content.decode()
    assert "outside the programme&#x27;s dates" in outside or "outside the programme's dates" in outside
    assert OutcomeReturn.objects.count() == 1


def test_provider2_cannot_pick_another_organisations_programme(client, provider2, portfolio):
    client.force_login(provider2)
    data = {"programme": portfolio["a"].pk, "measure": portfolio["measure"].pk, "financial_year": "2009/10",
            "quarter": 1, "value": "9"}  # fmt: skip
    page = client.post(reverse("return-new"), data).content.decode()
    assert "Select a valid choice" in page
    assert not OutcomeReturn.objects.exists()


def test_amend_form_bumps_revision_and_refuses_verified(client, provider, commissioner, portfolio):
    ret = OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider)
    client.force_login(provider)
    url = reverse("return-edit", args=[ret.pk])
    assert client.post(url, {"value": "11", "spend": "", "notes": "fixed"}).status_code == 302
    ret.refresh_from_db()
    assert ret.revision == 2 and ret.value == Decimal("11") and ret.spend is None
    ret.status, ret.reviewed_by = "verified", commissioner
    from django.utils import timezone

    ret.reviewed_at = timezone.now()
    ret.save()
    # A verified return is shown read-only (issue 12): the amendment is not saved.
    page = client.post(url, {"value": "12", "spend": "", "notes": ""}, follow=True).content.decode()
    assert "locked" in page
    ret.refresh_from_db()
    assert ret.value == Decimal("11") and ret.revision == 2


def test_upload_saves_a_valid_workbook(client, provider, portfolio):
    client.force_login(provider)
    a, code = portfolio["a"], portfolio["measure"].code
    rows = [[a.reference, a.title, code, "", "2009/10", q, 10 + q, 5000, ""] for q in (1, 2)]
    response = client.post(reverse("returns-upload"), {"file": workbook(rows)})
    assert response.status_code == 302
    assert OutcomeReturn.objects.count() == 2


def test_upload_with_any_bad_row_saves_nothing_and_lists_rows(client, provider, portfolio):
    client.force_login(provider)
    a, b, code = portfolio["a"], portfolio["b"], portfolio["measure"].code
    rows = [
        [a.reference, "", code, "", "2009/10", 1, 10, None, ""],
        [a.reference, "", code, "", "2009/10", 2, "ten", None, ""],
        [b.reference, "", code, "", "2009/10", 3, 4, None, ""],  # another organisation's
        [a.reference, "", code, "", "2009/10", 9, 4, None, ""],
    ]
    page = client.post(reverse("returns-upload"), {"file": workbook(rows)}).content.decode()
    assert "Nothing was saved: 3 rows need fixing" in page
    assert "&quot;ten&quot; is not a number" in page or '"ten" is not a number' in page
    assert "No programme of yours" in page
    assert not OutcomeReturn.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a spreadsheet at all", "not an Excel workbook"),
        (b"", "empty"),
    ],
)
def test_upload_rejects_files_that_are_not_workbooks(client, provider, portfolio, content, message):
    client.force_login(provider)
    upload = SimpleUploadedFile("x.xlsx", content)
    page = client.post(reverse("returns-upload"), {"file": upload}).content.decode()
    assert message in page
    assert not OutcomeReturn.objects.exists()


def test_upload_size_limit(client, provider, portfolio, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "MAX_UPLOAD_BYTES": 1000}
    client.force_login(provider)
    page = client.post(
        reverse("returns-upload"), {"file": SimpleUploadedFile("big.xlsx", b"x" * 5000)}
    ).content.decode()
    assert "the largest accepted is" in page


def test_template_lists_the_quarters_outstanding_rows(client, provider, portfolio):
    client.force_login(provider)
    response = client.get(reverse("returns-template"), {"financial_year": "2009/10", "quarter": 2})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == TEMPLATE_HEADERS
    assert [r[0] for r in rows[1:]] == [portfolio["a"].reference]
    assert client.get(reverse("returns-template"), {"financial_year": "x", "quarter": 2}).status_code == 404


def test_queue_verify_and_query(client, commissioner, provider, portfolio):
    first = OutcomeReturnFactory(
        programme=portfolio["a"], measure=portfolio["measure"], submitted_by=provider
    )
    second = OutcomeReturnFactory(
        programme=portfolio["b"], measure=portfolio["measure"], submitted_by=provider
    )
    client.force_login(commissioner)
    page = client.get(reverse("returns-queue")).content.decode()
    assert "2 submitted returns waiting" in page
    client.post(reverse("return-verify", args=[first.pk]))
    client.post(reverse("return-query", args=[second.pk]), {"reason": ""})
    second.refresh_from_db()
    assert second.status == "submitted"  # a reason is required
    client.post(reverse("return-query", args=[second.pk]), {"reason": "Which quarter is this spend for?"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("verified", "queried")
    assert "Nothing waiting" in client.get(reverse("returns-queue")).content.decode()


def test_queue_is_for_commissioners(client, provider, finance, portfolio):
    for user in (provider, finance):
        client.force_login(user)
        assert client.get(reverse("returns-queue")).status_code == 403
    ret = OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"])
    client.force_login(provider)
    assert client.post(reverse("return-verify", args=[ret.pk])).status_code == 403
