"""Spreadsheet exports of the programmes and returns pages: readable back, filtered like the page,
limited to what the user may see; the shared writer keeps text from running as a formula."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.files import spreadsheets
from grants.models import OutcomeReturn, Programme
from tests.conftest import login
from tests.factories import OutcomeReturnFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _xlsx(response) -> list[dict]:
    assert response["Content-Type"] == spreadsheets.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_programmes_export_honours_filters(client, commissioner, portfolio):
    portfolio["b"].status = Programme.Status.SUSPENDED
    portfolio["b"].save()
    login(client, commissioner)
    everything = _csv(client.get(reverse("programmes-export", args=["csv"])))
    assert [r["Reference"] for r in everything] == sorted(p.reference for p in Programme.objects.all())
    active = _xlsx(client.get(reverse("programmes-export", args=["xlsx"]), {"status": "active"}))
    assert [r["Reference"] for r in active] == [portfolio["a"].reference]
    assert active[0]["Award (£)"] == 100000 and active[0]["Provider"] == "St Giles Trust"
    assert active[0]["Start date"].date() == date(2009, 4, 1)
    searched = _csv(client.get(reverse("programmes-export", args=["csv"]), {"q": "Mediation"}))
    assert [r["Title"] for r in searched] == ["Mediation"]
    assert searched[0]["Award (£)"] == "100000.00"


def test_providers_export_only_their_own(client, provider, portfolio):
    rows = _csv(login(client, provider).get(reverse("programmes-export", args=["csv"])))
    assert [r["Reference"] for r in rows] == [portfolio["a"].reference]


def test_returns_export_honours_state_and_visibility(client, provider, commissioner, portfolio):
    a, b, measure = portfolio["a"], portfolio["b"], portfolio["measure"]
    OutcomeReturnFactory(programme=a, measure=measure, quarter=1, value=Decimal("7"),
                         status=OutcomeReturn.Status.VERIFIED, notes="=HYPERLINK(\"x\")")  # fmt: skip
    OutcomeReturnFactory(programme=a, measure=measure, quarter=2, value=Decimal("9"))
    OutcomeReturnFactory(programme=b, measure=measure, quarter=1, value=Decimal("3"))
    login(client, provider)
    rows = _csv(client.get(reverse("returns-export", args=["csv"])))
    assert {r["Programme reference"] for r in rows} == {a.reference}
    verified = _xlsx(client.get(reverse("returns-export", args=["xlsx"]), {"state": "verified"}))
    assert len(verified) == 1
    row = verified[0]
    assert (row["Financial year"], row["Quarter"], row["Value"], row["State"]) == (
        "2009/10",
        1,
        7,
        "verified",
    )
    assert row["Notes"] == '=HYPERLINK("x")'  # kept as text, not run as a formula
    client.logout()
    everything = _csv(login(client, commissioner).get(reverse("returns-export", args=["csv"])))
    assert {r["Programme reference"] for r in everything} == {a.reference, b.reference}
    assert next(r for r in everything if r["State"] == "verified")["Notes"].startswith("'=")


def test_export_links_on_the_list_pages(client, commissioner, portfolio):
    login(client, commissioner)
    page = client.get(reverse("programme-list"), {"status": "active"}).content.decode()
    assert reverse("programmes-export", args=["xlsx"]) + "?status=active" in page
    OutcomeReturnFactory(programme=portfolio["a"], measure=portfolio["measure"], quarter=1)
    page = client.get(reverse("returns"), {"state": "submitted"}).content.decode()
    assert reverse("returns-export", args=["csv"]) + "?state=submitted" in page


def test_unknown_format_is_not_found(client, commissioner):
    assert login(client, commissioner).get("/programmes/export.pdf").status_code == 404


def test_exports_take_a_fixed_number_of_queries(
    client, commissioner, portfolio, django_assert_max_num_queries
):
    for _ in range(10):
        ProgrammeFactory()
    login(client, commissioner)
    with django_assert_max_num_queries(6):
        client.get(reverse("programmes-export", args=["xlsx"]))
    with django_assert_max_num_queries(6):
        client.get(reverse("returns-export", args=["xlsx"]))


def test_writer_formats_money_and_guards_formulas():
    book = load_workbook(
        io.BytesIO(
            spreadsheets.xlsx_bytes(
                ["Name", "Award (£)"], [["=1+1", Decimal("1234.50")], ["@cmd", None]], money=["Award (£)"]
            )
        )
    )
    sheet = book.active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1234.5 and sheet["B2"].number_format == spreadsheets.MONEY_FORMAT
    text = spreadsheets.csv_bytes(["Name"], [["+44"], ["-1"], ["ok"]]).decode()
    assert text.splitlines() == ["Name", "'+44", "'-1", "ok"]


def test_round_page_links_to_the_vfm_downloads(client, api, commissioner, finance, portfolio):
    """The round's VfM table page links to the API's CSV and Excel downloads, written by the same
    spreadsheet module as the list exports."""
    round_id = (
        api(commissioner)
        .post(
            "/api/review-rounds/",
            {"name": "Review", "first_year": "2009/10", "last_year": "2009/10"},
            format="json",
        )
        .json()["id"]
    )
    page = login(client, finance).get(reverse("commissioning:round", args=[round_id])).content.decode()
    for fmt in ("csv", "xlsx"):
        link = f"{reverse('review-round-vfm', args=[round_id])}?format={fmt}"
        assert link in page
        response = client.get(link)
        rows = _csv(response) if fmt == "csv" else _xlsx(response)
        assert {r["reference"] for r in rows} == {portfolio["a"].reference, portfolio["b"].reference}
    sheet = load_workbook(io.BytesIO(client.get(link).content)).active
    assert sheet.title == "Value for money"
    assert sheet.cell(
        row=2, column=list(next(sheet.iter_rows(values_only=True))).index("award") + 1
    ).number_format == (spreadsheets.MONEY_FORMAT)
