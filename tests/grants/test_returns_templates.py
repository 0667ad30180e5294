"""Excel templates are offered for the quarters a provider owes returns for (due or late), from
one selector (grants.selectors.owed_quarters) shared by the returns pages and the download; each
template carries the unit, the target, the due date and data validation (issue 12, defect 3:
they were the six calendar quarters before today, including the unfinished current one)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from grants import selectors
from grants.models import OutcomeReturn
from grants.returns_excel import TEMPLATE_HEADERS
from outcomes.periods import Quarter
from tests.factories import OutcomeReturnFactory

pytestmark = pytest.mark.django_db

TODAY = date(2010, 1, 20)  # 2009/10 Q3 ended 31 December: due by 30 January; Q4 is under way


@pytest.fixture
def owing(settings, portfolio):
    """Programme A (provider's) has returned Q2 2009/10 only: Q1 is late, Q3 due, Q4 under way."""
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": TODAY, "RETURN_WINDOW_DAYS": 30}
    OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], quarter=2,
                         status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    return portfolio


def template(client, financial_year: str, quarter: int):
    return client.get(reverse("returns-template"), {"financial_year": financial_year, "quarter": quarter})


def test_owed_quarters_are_the_ended_quarters_still_owing_oldest_first(provider, owing):
    owed = selectors.owed_quarters(provider, today=TODAY, window_days=30)
    assert [(str(o.quarter), o.state, o.deadline, o.count) for o in owed] == [
        ("2009/10 Q1", "late", date(2009, 7, 30), 2),  # the sustained jobs and the net change targets
        ("2009/10 Q3", "due", date(2010, 1, 30), 1),
    ]
    assert all(s["target"].programme == owing["a"] for o in owed for s in o.slots)


def test_pages_offer_exactly_the_owed_quarters(client, provider, owing):
    client.force_login(provider)
    for name in ("returns-upload", "returns"):
        response = client.get(reverse(name))
        assert [str(o.quarter) for o in response.context["owed"]] == ["2009/10 Q1", "2009/10 Q3"], name
        page = response.content.decode()
        assert "quarter=1" in page and "quarter=3" in page
        assert "template for 2009/10 Q1" in page and "template for 2009/10 Q3" in page
        assert "template for 2009/10 Q4" not in page and "template for 2009/10 Q2" not in page


def test_only_an_owed_quarter_has_a_template(client, provider, owing):
    client.force_login(provider)
    assert template(client, "2009/10", 1).status_code == 200
    assert template(client, "2009/10", 3).status_code == 200
    assert template(client, "2009/10", 2).status_code == 404  # returned already
    assert template(client, "2009/10", 4).status_code == 404  # under way
    assert template(client, "2010/11", 1).status_code == 404  # not started
    assert template(client, "2009-10", 1).status_code == 404


def test_a_template_has_unit_target_due_date_and_data_validation(client, provider, owing):
    client.force_login(provider)
    response = template(client, "2009/10", 1)
    assert response["Content-Disposition"] == 'attachment; filename="returns-2009-10-q1.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Returns"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == TEMPLATE_HEADERS
    column = {name: i for i, name in enumerate(TEMPLATE_HEADERS)}
    by_measure = {r[column["Measure name"]]: r for r in rows[1:]}
    assert set(by_measure) == {"Sustained job entries", "Net change in caseload"}
    jobs = by_measure["Sustained job entries"]
    assert jobs[column["Programme reference"]] == owing["a"].reference
    assert jobs[column["Unit"]] == owing["measure"].unit
    assert Decimal(str(jobs[column["Target"]])) == Decimal("10")
    assert jobs[column["Due by"]].date() == date(2009, 7, 30)
    assert (jobs[column["Financial year"]], jobs[column["Quarter"]]) == ("2009/10", 1)
    assert jobs[column["Value"]] is None

    rules = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            for row in sheet[cell_range.coord] if ":" in cell_range.coord else [[sheet[cell_range.coord]]]:
                for cell in row:
                    rules[(cell.row, cell.column_letter)] = rule
    letters = {name: sheet.cell(row=1, column=i + 1).column_letter for i, name in enumerate(TEMPLATE_HEADERS)}
    for measure, row in ((m, i) for i, m in enumerate(by_measure, start=2)):
        value_rule = rules[(row, letters["Value"])]
        assert value_rule.type == "decimal" and value_rule.showErrorMessage
        negative_allowed = measure == "Net change in caseload"
        assert (Decimal(value_rule.formula1) < 0) is negative_allowed, measure
        assert rules[(row, letters["Spend (GBP)"])].formula1 == "0"
        assert rules[(row, letters["Notes"])].type == "textLength"
    assert "due by 30 July 2009" in book["How to fill this in"]["A1"].value.replace("late: it was ", "")


def test_a_filled_in_template_uploads(client, provider, owing):
    client.force_login(provider)
    book = load_workbook(io.BytesIO(template(client, "2009/10", 3).content))
    sheet = book["Returns"]
    value_column = TEMPLATE_HEADERS.index("Value") + 1
    sheet.cell(row=2, column=value_column, value=7)
    out = io.BytesIO()
    book.save(out)
    response = client.post(reverse("returns-upload"), {"file": SimpleUploadedFile("q3.xlsx", out.getvalue())})
    assert response.status_code == 302
    made = OutcomeReturn.objects.get(quarter=3)
    assert (made.programme, made.value, made.is_late) == (owing["a"], Decimal("7"), False)
    # Q3 is no longer owed, so no longer offered
    assert [str(o.quarter) for o in selectors.owed_quarters(provider, today=TODAY, window_days=30)] == [
        "2009/10 Q1"
    ]
    assert template(client, "2009/10", 3).status_code == 404


def test_each_provider_gets_only_their_own_rows(client, provider2, owing):
    client.force_login(provider2)
    book = load_workbook(io.BytesIO(template(client, "2009/10", 2).content))
    references = {r[0] for r in list(book["Returns"].iter_rows(values_only=True))[1:]}
    assert references == {owing["b"].reference}
    owed = selectors.owed_quarters(provider2, today=TODAY, window_days=30)
    assert [o.quarter for o in owed] == [Quarter.of("2009/10", q) for q in (1, 2, 3)]


def test_nothing_owed_says_so(client, provider, owing, settings):
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2009, 5, 1)}  # Q1 under way
    client.force_login(provider)
    response = client.get(reverse("returns-upload"))
    assert response.context["owed"] == []
    assert "No returns are owed" in response.content.decode()


def test_the_api_lists_the_same_owed_quarters(api, provider, provider2, commissioner, owing):
    body = api(provider).get("/api/returns/owed/").json()
    assert [(q["financial_year"], q["quarter"], q["state"], q["deadline"]) for q in body] == [
        ("2009/10", 1, "late", "2009-07-30"),
        ("2009/10", 3, "due", "2010-01-30"),
    ]
    jobs = next(r for r in body[1]["returns"] if r["measure"] == owing["measure"].pk)
    assert jobs == {
        "programme": owing["a"].pk, "programme_reference": owing["a"].reference,
        "measure": owing["measure"].pk, "measure_code": owing["measure"].code,
        "measure_name": "Sustained job entries", "unit": owing["measure"].unit, "target": "10.00",
    }  # fmt: skip
    theirs = api(provider2).get("/api/returns/owed/").json()
    assert {r["programme"] for q in theirs for r in q["returns"]} == {owing["b"].pk}
    everyone = api(commissioner).get("/api/returns/owed/").json()
    assert {r["programme"] for q in everyone for r in q["returns"]} == {owing["a"].pk, owing["b"].pk}
    assert api().get("/api/returns/owed/").status_code == 401
