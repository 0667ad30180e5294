"""Issue 12: one figure, one value, in every channel. For a review round, a funding stream and a
financial year of the demo data, each figure shown on the page, in the API, in the CSV download,
in the PDF funding review (read back with pdftotext) and in its HTML version is the same.
Definitions: docs/figures.md."""

import csv
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from commissioning.models import ReviewRound
from core.formatting import gbp
from grants.models import FundingStream
from tests.conftest import login_demo
from tests.finance.test_funding_review import pdf_text

pytestmark = pytest.mark.django_db


class _Tables(HTMLParser):
    """Every table's rows as lists of cell texts, by the table's id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.texts: dict[str, str] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._ids: list[tuple[str, str, list[str]]] = []  # open elements with an id: (tag, id, text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        if attrs.get("id"):
            self._ids.append((tag, attrs["id"], []))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        if self._ids and self._ids[-1][0] == tag:
            _, element_id, text = self._ids.pop()
            self.texts[element_id] = " ".join("".join(text).split())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        for _, _, text in self._ids:
            text.append(data)


def parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def money(text: str) -> Decimal:
    """ "£1,234" (or "-£1,234") as pounds."""
    found = re.search(r"-?£[\d,]+(\.\d\d)?", text)
    assert found, text
    return Decimal(found.group().replace("£", "").replace(",", ""))


def pounds(value) -> str:
    return gbp(Decimal(str(value)))


@pytest.fixture
def demo_round(demo):
    return ReviewRound.objects.get(name="2009/10 review of partnership-funded activity")


@pytest.fixture
def wnf(demo):
    return FundingStream.objects.get(name="Working Neighbourhoods Fund", financial_year="2009/10")


def _csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_a_rounds_figures_agree_on_its_page_in_the_api_csv_pdf_and_html(client, api, demo_round):
    login_demo(client, "finance")
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="finance")
    rest = api(finance)
    rows = {r["reference"]: r for r in rest.get(f"/api/review-rounds/{demo_round.pk}/vfm/").json()}
    assert len(rows) == 25
    csv_rows = {
        r["reference"]: r
        for r in _csv(rest.get(f"/api/review-rounds/{demo_round.pk}/vfm/?format=csv").content)
    }
    page = parse(client.get(reverse("commissioning:round", args=[demo_round.pk])).content.decode())
    review_json = rest.get(f"/api/review-rounds/{demo_round.pk}/funding-review/").json()
    review_csv = {
        r["reference"]: r
        for r in _csv(rest.get(f"/api/review-rounds/{demo_round.pk}/funding-review/?format=csv").content)
    }
    html = parse(client.get(reverse("funding-reviews:round-review", args=[demo_round.pk])).content.decode())
    pdf = pdf_text(rest.get(f"/api/review-rounds/{demo_round.pk}/funding-review.pdf").content)
    pdf_lines = [line.split() for page in pdf for line in page.splitlines()]
    json_programmes = {r["reference"]: r for r in review_json["programmes"]}
    # the round's table: programme (title and reference), rank, provider, priority, cost, benefit,
    # BCR, achievement, worklessness, score, scorers, flags, decision
    page_rows = {row[0].split()[-1]: row for row in page.tables["vfm-table"][1:]}
    html_rows = {row[1].split()[-1]: row for row in html.tables["ranking"][1:]}

    for reference, row in rows.items():
        cost, benefit = Decimal(row["cost"]), Decimal(row["benefit"])
        # CSV and the review's JSON and CSV: to the penny
        assert (
            Decimal(csv_rows[reference]["cost"]) == cost
            and Decimal(csv_rows[reference]["benefit"]) == benefit
        )
        assert Decimal(json_programmes[reference]["cost"]) == cost
        assert Decimal(json_programmes[reference]["benefit"]) == benefit
        assert Decimal(review_csv[reference]["cost"]) == cost
        assert json_programmes[reference]["rank"] == row["rank"] == int(csv_rows[reference]["rank"])
        assert json_programmes[reference]["composite_score"] == row["composite_score"]
        # the page, the HTML review and the PDF: in whole pounds, BCR to 2 places
        page_row, html_row = page_rows[reference], html_rows[reference]
        assert page_row[1] == str(row["rank"]) == html_row[0]
        assert money(page_row[4]) == money(html_row[5]) == Decimal(pounds(cost)[1:].replace(",", ""))
        assert money(page_row[5]) == money(html_row[6]) == Decimal(pounds(benefit)[1:].replace(",", ""))
        bcr = "–" if row["bcr"] is None else f"{row['bcr']:.2f}"
        assert page_row[6].split()[0] == html_row[7].split()[0] == bcr
        line = next(" ".join(w) for w in pdf_lines if w[:2] == [str(row["rank"]), reference])
        assert pounds(cost) in line and pounds(benefit) in line and bcr in line.split()
        score = "–" if row["composite_score"] is None else f"{row['composite_score']:.1f}"
        on_pages = "not scored" if row["composite_score"] is None else score
        assert page_row[9].startswith(on_pages) and html_row[8].startswith(on_pages)
        assert score in line.split()

    # Totals: the API's rows add up to the review's totals in every channel.
    awarded = sum(Decimal(r["award"]) for r in rows.values())
    cost = sum(Decimal(r["cost"]) for r in rows.values())
    benefit = sum(Decimal(r["benefit"]) for r in rows.values())
    totals = review_json["totals"]
    assert (Decimal(totals["awarded"]), Decimal(totals["cost"]), Decimal(totals["benefit"])) == (
        awarded,
        cost,
        benefit,
    )
    assert money(html.texts["totals"].split("Total awarded")[1]) == Decimal(
        pounds(awarded)[1:].replace(",", "")
    )
    summary = next(p for p in pdf if "Executive summary" in p and "Total awarded" in p)
    for figure in (pounds(awarded), pounds(cost), pounds(benefit)):
        assert figure in summary and figure in html.texts["totals"]

    # The round's progress: its page, the review's JSON, its HTML and the PDF.
    progress = page.texts["round-progress"]
    numbers = re.match(r"(\d+) programmes: (\d+) unscored, (\d+) without a decision", progress).groups()
    [line] = review_json["review_rounds"]
    assert (str(line["programmes"]), str(line["unscored"]), str(line["undecided"])) == numbers
    assert html.tables["rounds"][1][2:] == list(numbers)
    pdf_all = " ".join(" ".join(p.split()) for p in pdf)
    assert (
        f"{numbers[1]} of {numbers[0]} programmes not yet scored, {numbers[2]} without a decision" in pdf_all
    )


def test_a_streams_figures_agree_on_the_budgets_page_in_the_api_and_the_pdf(client, api, demo_round, wnf):
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="finance")
    rest = api(finance)
    figures = rest.get(f"/api/funding-streams/{wnf.pk}/budget/").json()["figures"]
    listed = next(
        s for s in rest.get("/api/funding-streams/?page_size=500").json()["results"] if s["id"] == wnf.pk
    )
    assert listed["figures"] == figures
    login_demo(client, "finance")
    budgets = parse(client.get(reverse("finance-budgets"), {"year": "2009/10"}).content.decode())
    row = next(r for r in budgets.tables["table-0"] if r and r[0] == wnf.name)
    assert [money(c) for c in row[3:7]] == [
        Decimal(pounds(figures[k])[1:].replace(",", "")) for k in ("budget", "awarded", "available", "spent")
    ]
    assert row[7] == f"{figures['percent_spent']}%"
    review_json = rest.get(f"/api/funding-streams/{wnf.pk}/funding-review/").json()
    [stream] = [s for s in review_json["funding_streams"] if s["name"] == wnf.name]
    for key in ("budget", "awarded", "available", "spent", "percent_spent"):
        assert stream[key] == figures[key], key
    # the review's programmes: their award and spent add up to the stream's (none decommissioned)
    review_csv = _csv(rest.get(f"/api/funding-streams/{wnf.pk}/funding-review/?format=csv").content)
    assert sum(Decimal(r["award"]) for r in review_csv) == Decimal(figures["awarded"])
    assert sum(Decimal(r["spent"]) for r in review_csv) == Decimal(figures["spent"])
    html = parse(client.get(reverse("funding-reviews:stream-review", args=[wnf.pk])).content.decode())
    html_row = next(r for r in html.tables["streams"] if r[0] == wnf.name)
    assert [money(c) for c in html_row[3:7]] == [money(c) for c in row[3:7]]
    pdf = pdf_text(rest.get(f"/api/funding-streams/{wnf.pk}/funding-review.pdf").content)
    budget_page = next(p for p in pdf if "Spend against budget" in p and "By funding stream" in p)
    line = next(
        line for line in budget_page.splitlines() if line.strip().startswith("Working Neighbourhoods")
    )
    for key in ("budget", "awarded", "available", "spent"):
        assert pounds(figures[key]) in line, key
    assert f"{figures['percent_spent']}%" in line
    # "not yet scored" in the stream's review is the round's count, not every programme
    progress = parse(client.get(reverse("commissioning:round", args=[demo_round.pk])).content.decode())
    numbers = re.match(r"(\d+) programmes: (\d+) unscored, (\d+) without a decision",
                       progress.texts["round-progress"]).groups()  # fmt: skip
    pdf_all = " ".join(" ".join(p.split()) for p in pdf)
    assert f"{numbers[1]} of {numbers[0]} programmes not yet scored" in pdf_all
    assert "No scores" not in pdf_all


def test_a_years_figures_agree_on_its_page_in_the_api_csv_pdf_and_html(client, api, demo):
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="finance")
    rest = api(finance)
    review_json = rest.get("/api/financial-years/2009-10/funding-review/").json()
    review_csv = _csv(rest.get("/api/financial-years/2009-10/funding-review/?format=csv").content)
    totals = review_json["totals"]
    assert len(review_csv) == totals["programmes"] == len(review_json["programmes"])
    for key in ("award", "spent", "spend_returned", "cost", "benefit"):
        total_key = {"award": "awarded"}.get(key, key)
        assert sum(Decimal(r[key]) for r in review_csv) == Decimal(totals[total_key]), key
    login_demo(client, "finance")
    year_page = client.get(reverse("funding-reviews:year", args=["2009-10"]))
    year_html = year_page.content.decode()
    assert pounds(totals["awarded"]) in year_html and f"{totals['programmes']} programmes" in year_html
    html = parse(client.get(reverse("funding-reviews:year-review", args=["2009-10"])).content.decode())
    pdf = pdf_text(rest.get("/api/financial-years/2009-10/funding-review.pdf").content)
    cover = pdf[0]
    summary = next(p for p in pdf if "Executive summary" in p and "Total awarded" in p)
    for key in ("awarded", "spent", "spend_returned", "cost", "benefit"):
        figure = pounds(totals[key])
        assert figure in html.texts["totals"], key
        assert figure in summary, key
    for key in ("awarded", "spent", "spend_returned"):
        assert pounds(totals[key]) in cover, key
    assert "Financial year 2009/10" in cover and "Financial years" not in cover
