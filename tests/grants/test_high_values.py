"""Defect 8 of issue 12: returns accepted 99,999,999 against a target of 13, and 3.5 for a count.

A count measure takes whole numbers; a value more than the measure's high value factor times the
quarter's target needs the provider's confirmation (web form, API, spreadsheet upload alike, as
the rule is in the service) and is flagged in the verification queue."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from grants import selectors, services
from grants.models import OutcomeReturn
from grants.returns_excel import HEADERS
from outcomes.models import OutcomeMeasure
from tests.api.conftest import return_payload
from tests.conftest import assert_refused
from tests.factories import OutcomeMeasureFactory, ProgrammeTargetFactory

pytestmark = pytest.mark.django_db
URL = "/api/returns/"
FAR_ABOVE = (
    '99,999,999 is more than 10× this quarter\'s target of 10 for "Sustained job entries". '
    "Check the figure; if it is right, confirm the high value and send it again."
)


def test_a_count_takes_whole_numbers_only(api, provider, portfolio):
    response = api(provider).post(URL, return_payload(portfolio, value="3.5"), format="json")
    assert response.status_code == 400
    assert response.json()["value"] == [
        '"Sustained job entries" is a count of people: give a whole number, not 3.5.'
    ]
    assert api(provider).post(URL, return_payload(portfolio, value="3.00"), format="json").status_code == 201


def test_an_amount_takes_decimals(api, provider, portfolio):
    OutcomeMeasure.objects.filter(pk=portfolio["measure"].pk).update(kind=OutcomeMeasure.Kind.AMOUNT)
    response = api(provider).post(URL, return_payload(portfolio, value="3.5"), format="json")
    assert response.status_code == 201, response.json()


def test_far_above_target_needs_confirming_through_the_api(api, provider, portfolio):
    client = api(provider)
    refused = client.post(URL, return_payload(portfolio, value="99999999"), format="json")
    assert refused.status_code == 400
    assert refused.json()["value"] == [FAR_ABOVE]
    assert not OutcomeReturn.objects.exists()
    # 10 × 10 is the most accepted without confirming.
    assert client.post(URL, return_payload(portfolio, value="100"), format="json").status_code == 201
    confirmed = client.post(
        URL, return_payload(portfolio, quarter=2, value="99999999", confirm_high_value=True), format="json"
    )
    assert confirmed.status_code == 201, confirmed.json()
    body = confirmed.json()
    assert body["far_above_target"] is True and body["high_value_confirmed"] is True
    assert body["quarter_target"] == "10.00"


def test_the_factor_is_set_on_the_measure(api, provider, portfolio):
    OutcomeMeasure.objects.filter(pk=portfolio["measure"].pk).update(high_value_factor=Decimal("2"))
    response = api(provider).post(URL, return_payload(portfolio, value="21"), format="json")
    assert (
        response.status_code == 400
        and "more than 2× this quarter's target of 10" in response.json()["value"][0]
    )
    assert api(provider).post(URL, return_payload(portfolio, value="20"), format="json").status_code == 201


def test_a_zero_target_uses_the_factor_itself(api, provider, portfolio):
    ProgrammeTargetFactory(programme=portfolio["a"], measure=portfolio["measure"], financial_year="2010/11",
                           quarter=1, target_value=Decimal("0"))  # fmt: skip
    body = return_payload(portfolio, financial_year="2010/11", value="10")
    assert api(provider).post(URL, body, format="json").status_code == 201
    body = return_payload(portfolio, financial_year="2010/11", quarter=1, value="11")
    OutcomeReturn.objects.all().delete()
    assert api(provider).post(URL, body, format="json").status_code == 400


def test_the_factor_must_be_at_least_one():
    assert_refused(lambda: OutcomeMeasureFactory(high_value_factor=Decimal("0.5")))


def test_bulk_submissions_and_amendments_follow_the_same_rule(api, provider, portfolio):
    client = api(provider)
    bulk = client.post(
        URL + "bulk/",
        [return_payload(portfolio, quarter=1, value="12"), return_payload(portfolio, quarter=2, value="500")],
        format="json",
    )
    assert bulk.status_code == 400
    assert bulk.json()["errors"]["1"]["value"][0].startswith("500 is more than 10×")
    created = client.post(URL, return_payload(portfolio, value="12"), format="json").json()
    amend = client.patch(f"{URL}{created['id']}/", {"value": "1000"}, format="json")
    assert amend.status_code == 400 and amend.json()["value"][0].startswith("1,000 is more than 10×")
    assert client.patch(f"{URL}{created['id']}/", {"value": "2.5"}, format="json").status_code == 400
    ok = client.patch(f"{URL}{created['id']}/", {"value": "1000", "confirm_high_value": True}, format="json")
    assert ok.status_code == 200 and ok.json()["high_value_confirmed"] is True


def test_the_web_form_offers_the_confirmation_only_when_needed(client, provider, portfolio):
    client.force_login(provider)
    data = {"programme": portfolio["a"].pk, "measure": portfolio["measure"].pk, "financial_year": "2009/10",
            "quarter": 1, "value": "99999999", "spend": "", "notes": ""}  # fmt: skip
    blank = client.get(reverse("return-new")).content.decode()
    assert "Confirm high value" not in blank
    refused = client.post(reverse("return-new"), data)
    page = refused.content.decode()
    assert refused.status_code == 200 and "Confirm high value" in page
    assert "is more than 10× this quarter" in page
    assert not OutcomeReturn.objects.exists()
    fraction = client.post(reverse("return-new"), {**data, "value": "3.5"}).content.decode()
    assert "give a whole number, not 3.5" in fraction
    confirmed = client.post(reverse("return-new"), {**data, "confirm_high_value": "on"})
    assert confirmed.status_code == 302
    assert OutcomeReturn.objects.get().high_value_confirmed


def _workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("returns.xlsx", out.getvalue())


def test_the_upload_has_a_confirm_column(client, provider, portfolio):
    client.force_login(provider)
    ref, code = portfolio["a"].reference, portfolio["measure"].code
    rows = [[ref, "", code, "", "2009/10", 1, 99999999, None, None, None],
            [ref, "", code, "", "2009/10", 2, 3.5, None, None, None],
            [ref, "", code, "", "2009/10", 3, 12, None, None, "maybe"]]  # fmt: skip
    page = client.post(reverse("returns-upload"), {"file": _workbook(rows)}).content.decode()
    assert "is more than 10× this quarter" in page
    assert "give a whole number, not 3.5" in page
    assert "write yes to confirm a high value" in page
    assert not OutcomeReturn.objects.exists()
    rows = [[ref, "", code, "", "2009/10", 1, 99999999, None, None, "yes"]]
    response = client.post(reverse("returns-upload"), {"file": _workbook(rows)})
    assert response.status_code == 302
    assert OutcomeReturn.objects.get().high_value_confirmed


def test_the_queue_flags_far_above_target_in_a_fixed_number_of_queries(
    client, provider, commissioner, portfolio
):
    def queue_and_queries():
        with CaptureQueriesContext(connection) as queries:
            queue = list(selectors.returns_awaiting_review(commissioner))
            flags = {(r.quarter, r.quarter_target, r.far_above_target) for r in queue}
        return flags, len(queries)

    queue_and_queries()  # the commissioner's access is loaded once, then kept on the user
    counts = []
    for quarter, value in ((1, "12"), (2, "5000"), (3, "101")):
        item = services.ReturnInput(programme_id=portfolio["a"].pk, measure_id=portfolio["measure"].pk,
                                    financial_year="2009/10", quarter=quarter, value=Decimal(value),
                                    confirm_high_value=True)  # fmt: skip
        services.return_submit(user=provider, data=item)
        flags, count = queue_and_queries()
        counts.append(count)
    assert counts[0] == counts[-1] == 1
    assert flags == {(1, Decimal("10"), False), (2, Decimal("10"), True), (3, Decimal("10"), True)}
    client.force_login(commissioner)
    page = client.get(reverse("returns-queue")).content.decode()
    assert page.count("Far above target, confirmed by provider") == 2, page[page.find("<table") :]
