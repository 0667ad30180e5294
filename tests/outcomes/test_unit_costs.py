"""The unit cost database import, deflator series and price-year arithmetic."""

from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from outcomes.models import DeflatorSeries, UnitCostLine
from outcomes.prices import (
    HMT_MARCH_2015_CHANGES,
    HMT_MARCH_2015_NAME,
    PriceYearError,
    index_from_changes,
    present_value_factor,
    uprating_factor,
)
from outcomes.unit_cost_workbook import THEME_SHEETS, read_workbook

REAL = Path("/work/shared/data/gmca/unit-cost-database-v1.4.xlsx")
HEADER = [
    "Outcome category",
    "Outcome detail",
    "Cost code",
    "Cost / saving detail",
    "Unit",
    "Agency",
    None,
    "Fiscal value",
    None,
    None,
    "Economic value",
    None,
    None,
    "Social value",
    None,
    None,
    "Original source",
    "RAG assessment",
    "Comment",
]


def _line(
    code,
    description,
    agency,
    fiscal=None,
    year=None,
    economic=None,
    economic_year=None,
    detail="BENEFITS",
    rag="G",
    agency2=None,
):
    row = [
        "EMPLOYMENT & ECONOMY",
        detail,
        code,
        description,
        "Per claimant per year",
        agency,
        agency2,
        fiscal,
        year,
        None,
        economic,
        economic_year,
        None,
        None,
        None,
        None,
        "DWP (2013)",
        rag,
        "A comment",
    ]
    return row


def _workbook(lines=(), lookups=None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in THEME_SHEETS:
        ws = book.create_sheet(sheet)
        ws.append(HEADER)
        ws.append([None] * 5 + ["Level 1", "Level 2"])
        if sheet == "Employment & Economy":
            for line in lines:
                ws.append(line)
    ws = book.create_sheet("Lookups")
    for year, change, forecast in lookups or [
        ("2011/12", 1.79, False),
        ("2012/13", 1.614, False),
        ("2013/14", 2.123, False),
        ("2014/15", 1.7, True),
    ]:
        ws.append(
            [None] * 10 + ["2013/14" if year == "2011/12" else None, "f" if forecast else None, year, change]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


SMALL = [
    _line(
        "E&E1.0",
        "Job Seeker's Allowance\nFiscal and economic benefit",
        "Multiple",
        9800,
        "2012/13",
        14044,
        "2012/13",
        agency2="DWP",
    ),
    _line(
        "E&E1.0.1", "Job Seekers' Allowance\nFiscal benefit", "DWP", 9234, "2012/13", agency2="HM Treasury"
    ),
    _line("E&E1.0.2", "Job Seekers' Allowance\nNHS saving", "NHS", 566, "2012/13"),
    _line("E&E1.6", "Job Seeker's Allowance\nCost of processing each new claim", "DWP", 45.5, "2013/14"),
]


def _import(tmp_path, data: bytes) -> str:
    path = tmp_path / "ucd.xlsx"
    path.write_bytes(data)
    out = StringIO()
    call_command("import_unit_costs", str(path), stdout=out)
    return out.getvalue()


def test_prices_uprate_with_the_series_and_discount_at_the_green_book_rate():
    series = {"2012/13": 186.0, "2013/14": 190.0}
    assert uprating_factor(series, "2012/13", "2013/14") == pytest.approx(190 / 186)
    assert uprating_factor({}, "2012/13", "2012/13") == 1.0  # the same year needs no series
    with pytest.raises(PriceYearError, match="no index for 2020/21"):
        uprating_factor(series, "2012/13", "2020/21")
    assert present_value_factor(1, 0.5) == 1.0
    # 3 years, 10% drop-off: 1 + 0.9/1.035 + (0.9/1.035)^2
    assert present_value_factor(3, 0.1) == pytest.approx(1 + 0.9 / 1.035 + 0.81 / 1.035**2)
    index = dict((y, v) for y, v, _ in index_from_changes(HMT_MARCH_2015_CHANGES))
    assert index["1989/90"] == 100 and index["1990/91"] == pytest.approx(108.27)


@pytest.mark.django_db
def test_the_default_series_is_hm_treasurys_march_2015_one():
    series = DeflatorSeries.objects.get(name=HMT_MARCH_2015_NAME)
    years = {y.financial_year: y for y in series.years.all()}
    assert len(years) == 31 and years["2014/15"].forecast and not years["2013/14"].forecast
    assert float(years["2015/16"].index) == pytest.approx(195.96969857, abs=1e-8)


@pytest.mark.django_db
def test_import_creates_lines_then_changes_nothing_then_updates_what_differs(tmp_path):
    out = _import(tmp_path, _workbook(SMALL))
    assert "cost lines created: 4, updated: 0, unchanged: 0" in out and "CC BY 4.0" in out
    dwp = UnitCostLine.objects.get(code="E&E1.0.1")
    assert (dwp.fiscal_value, dwp.fiscal_price_year, dwp.agency, dwp.agency_detail) == (
        Decimal("9234.00"),
        "2012/13",
        "DWP",
        "HM Treasury",
    )
    assert dwp.is_transfer and dwp.rag == "G" and dwp.database == "Unit Cost Database v1.4"
    # The headline line's agency is "Multiple", the NHS saving and DWP's running costs are real resources.
    assert not UnitCostLine.objects.filter(
        code__in=["E&E1.0", "E&E1.0.2", "E&E1.6"], is_transfer=True
    ).exists()
    headline = UnitCostLine.objects.get(code="E&E1.0")
    assert (headline.economic_value, headline.economic_price_year, headline.social_value) == (
        Decimal("14044.00"),
        "2012/13",
        None,
    )
    assert "cost lines created: 0, updated: 0, unchanged: 4" in _import(tmp_path, _workbook(SMALL))
    changed = [
        *SMALL[:2],
        _line("E&E1.0.2", "Job Seekers' Allowance\nNHS saving", "NHS", 600, "2013/14"),
        SMALL[3],
    ]
    assert "created: 0, updated: 1, unchanged: 3" in _import(tmp_path, _workbook(changed))
    nhs = UnitCostLine.objects.get(code="E&E1.0.2")
    assert (nhs.fiscal_value, nhs.fiscal_price_year) == (Decimal("600.00"), "2013/14")
    assert nhs.history.count() == 2


@pytest.mark.django_db
def test_a_bad_workbook_is_refused_with_every_problem_and_saves_nothing(tmp_path):
    bad = [
        *SMALL,
        _line("E&E2.0", "ESA", "DWP", "lots", "2012/13"),
        _line("E&E2.1", "ESA", "DWP", 10, "2012"),
        _line("E&E1.0", "twice", "DWP", 1, "2012/13"),
    ]
    with pytest.raises(CommandError) as caught:
        _import(tmp_path, _workbook(bad))
    message = str(caught.value)
    assert "nothing was saved" in message
    assert "E&E2.0" in message and "'lots' is not a number" in message
    assert "E&E2.1" in message and "price year '2012'" in message
    assert "already used" in message
    assert not UnitCostLine.objects.exists()
    with pytest.raises(CommandError, match="not an Excel workbook"):
        _import(tmp_path, b"not a workbook")


@pytest.mark.django_db
def test_load_deflators_from_csv_and_reload_replaces_its_years(tmp_path):
    path = tmp_path / "deflators.csv"
    path.write_text("financial_year,index,forecast\n2022/23,95.1,\n2023/24,100,\n2024/25,102.2,y\n")
    out = StringIO()
    call_command("load_deflators", str(path), name="ONS 2025", source="ONS, December 2025", stdout=out)
    series = DeflatorSeries.objects.get(name="ONS 2025")
    assert "Created 'ONS 2025': 3 years (1 forecast)" in out.getvalue()
    assert [(y.financial_year, y.index, y.forecast) for y in series.years.all()] == [
        ("2022/23", Decimal("95.10000000"), False),
        ("2023/24", Decimal("100.00000000"), False),
        ("2024/25", Decimal("102.20000000"), True),
    ]
    assert DeflatorSeries.objects.first() == series  # the newest loaded comes first
    path.write_text("financial_year,index\n2023/24,100\n2024/25,103\n")
    call_command("load_deflators", str(path), name="ONS 2025", source="ONS, December 2025", stdout=StringIO())
    assert series.years.count() == 2
    path.write_text("financial_year,index\n2023,100\n2024/25,-1\n2024/25,2\n")
    with pytest.raises(CommandError) as caught:
        call_command("load_deflators", str(path), name="Other", source="x", stdout=StringIO())
    assert "'2023' is not a financial year" in str(caught.value) and "not a number above 0" in str(
        caught.value
    )
    assert not DeflatorSeries.objects.filter(name="Other").exists()


@pytest.mark.skipif(not REAL.exists(), reason="the Unit Cost Database workbook is not on this machine")
def test_the_real_database_reads_whole_and_its_uprating_is_reproduced():
    book = read_workbook(REAL.read_bytes())
    lines = {line.code: line for line in book.lines}
    assert len(lines) == 683 and sum(1 for line in book.lines if line.values["fiscal"][0] is not None) == 674
    assert (
        lines["E&E1.0.1"].values["fiscal"] == (Decimal("9234.00"), "2012/13")
        and lines["E&E1.0.1"].is_transfer
    )
    assert (
        lines["E&E1.0.2"].values["fiscal"] == (Decimal("566.00"), "2012/13")
        and lines["E&E1.0.2"].agency == "NHS"
    )
    assert lines["CR1.0"].rag == "R"
    series = {year: index for year, index, _ in book.deflators}
    assert book.current_year == "2015/16" and len(series) == 31
    checked = 0
    for line in book.lines:
        for kind, (value, year) in line.values.items():
            if value is not None and line.uprated[kind] is not None:
                assert float(value) * uprating_factor(series, year, "2015/16") == pytest.approx(
                    line.uprated[kind], abs=0.01
                )
                checked += 1
    assert checked > 700
    assert book.skipped == [
        "Crime row 58 (Crime - average fiscal cost per incident of crime, across al): no cost code"
    ]
