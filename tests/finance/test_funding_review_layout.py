"""The PDF funding review's layout (issue 12): no name cut off, a DRAFT mark while the round is
open or returns are missing, "Financial year" singular for one year, complete totals rows, no
reference to developer files, every font embedded; and its HTML version."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning import services
from commissioning.models import ReviewRound
from grants.models import OutcomeReturn
from tests.conftest import login
from tests.factories import OrganisationFactory, OutcomeMeasureFactory, OutcomeReturnFactory, ProgrammeFactory
from tests.finance.test_funding_review import pdf_text

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Multi-agency early intervention and diversion programme for young people at risk of "
    "serious youth violence, knife crime and criminal exploitation in the north of the borough"
)
LONG_PROVIDER = "The Southwark and Lambeth Community Partnership for Safer Neighbourhoods and Estates Trust"
LONG_MEASURE = (
    "Young people completing twelve weeks of structured mentoring with a sustained reduction in offending"
)


@pytest.fixture
def long_names(commissioner):
    """One programme with long names; all four quarters' returns in, so only the round's status
    can make its review a draft."""
    provider = OrganisationFactory(name=LONG_PROVIDER, org_id="GB-CHC-1234567")
    measure = OutcomeMeasureFactory(name=LONG_MEASURE)
    programme = ProgrammeFactory(title=LONG_TITLE, provider=provider, start_date=date(2009, 4, 1),
                                 end_date=date(2010, 3, 31))  # fmt: skip
    for q in (1, 2, 3, 4):
        from tests.factories import ProgrammeTargetFactory

        ProgrammeTargetFactory(programme=programme, measure=measure, quarter=q, target_value=Decimal("5"))
        OutcomeReturnFactory(programme=programme, measure=measure, quarter=q, value=Decimal("4"),
                             spend=Decimal("10000"), status=OutcomeReturn.Status.VERIFIED)  # fmt: skip
    rnd = services.round_create(user=commissioner, name="2009/10 review", first_year="2009/10",
                                last_year="2009/10")  # fmt: skip
    rnd = services.round_transition(user=commissioner, review_round=rnd, to="open")
    return {"programme": programme, "round": rnd}


def words(pages: list[str]) -> str:
    """The text with line breaks and column gaps as single spaces."""
    return " ".join(" ".join(page.split()) for page in pages)


def test_names_wrap_and_nothing_is_cut_off(api, finance, long_names):
    pdf = api(finance).get(f"/api/review-rounds/{long_names['round'].pk}/funding-review.pdf").content
    pages = pdf_text(pdf)
    assert "…" not in "".join(pages)
    ranked = next(p for p in pages if "3. Value for money: programmes ranked" in p and "Ranked by" in p)
    section = next(p for p in pages if "Spend returned by quarter" in p)
    # Every word of each long name is there, in order, wherever it is shown (cells wrap).
    for text in (ranked, section):
        for name in (LONG_TITLE, LONG_PROVIDER):
            found = re.findall(r"\w[\w,-]*", text)
            expected = re.findall(r"\w[\w,-]*", name)
            assert all(word in found for word in expected), name
    assert LONG_MEASURE.split()[-1] in section and "structured" in section


def test_an_open_round_is_a_draft_on_every_page_until_it_closes(api, finance, commissioner, long_names):
    url = f"/api/review-rounds/{long_names['round'].pk}/funding-review.pdf"
    pages = pdf_text(api(finance).get(url).content)
    assert "DRAFT" in pages[0] and "the review round is open for scoring, not closed" in words(pages[:1])
    assert "Not for sign-off while it is a draft" in pages[0]
    assert all(page.lstrip().startswith("DRAFT ·") for page in pages[1:])
    services.round_transition(user=commissioner, review_round=long_names["round"], to=ReviewRound.Status.CLOSED,
                              confirmed=True)  # fmt: skip
    final = pdf_text(api(finance).get(url).content)
    assert "DRAFT" not in "".join(final)
    assert "Checked against the ledger and approved for the partnership board" in final[0]


def test_missing_returns_make_a_stream_review_a_draft(api, finance, portfolio):
    # portfolio's programmes have targets for ended quarters and no returns at all
    stream = portfolio["a"].funding_stream
    pages = pdf_text(api(finance).get(f"/api/funding-streams/{stream.pk}/funding-review.pdf").content)
    assert "1 programme has returns missing for quarters that have ended" in words(pages[:1])


def test_one_year_is_singular_and_totals_rows_are_complete(api, finance, long_names):
    pages = pdf_text(api(finance).get("/api/financial-years/2009-10/funding-review.pdf").content)
    text = "".join(pages)
    assert "Financial year 2009/10" in pages[0] and "Financial years" not in text
    budget = next(p for p in pages if "2. Spend against budget" in p and "By funding stream" in p)
    streams_total = next(line for line in budget.splitlines() if "All funding streams" in line).split()
    # name, programmes, budget, awarded, available, spent, spent %: every column filled
    assert len(streams_total) == 3 + 6 and streams_total[-1].endswith("%")
    priorities_total = next(line for line in budget.splitlines() if "All priorities" in line).split()
    assert len(priorities_total) == 2 + 4 and priorities_total[-1].endswith("%")


def test_no_developer_files_and_every_font_embedded(api, finance, long_names, tmp_path):
    pdf = api(finance).get(f"/api/review-rounds/{long_names['round'].pk}/funding-review.pdf").content
    text = "".join(pdf_text(pdf))
    assert not re.search(r"docs/|\.py\b|\.md\b", text)
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "review.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603
    fonts = listing.splitlines()[2:]
    assert fonts, listing
    for line in fonts:  # columns: name type encoding emb sub uni object ID
        assert line.split()[-5] == "yes", f"not embedded: {line}"


def test_the_html_version_has_the_same_figures_and_is_linked(client, api, finance, long_names):
    rnd = long_names["round"]
    login(client, finance)
    overview = client.get(reverse("commissioning:round", args=[rnd.pk])).content.decode()
    url = reverse("funding-reviews:round-review", args=[rnd.pk])
    assert url in overview
    page = client.get(url)
    html = page.content.decode()
    figures = api(finance).get(f"/api/review-rounds/{rnd.pk}/funding-review/").json()
    assert figures["draft"] and "DRAFT: the review round is open for scoring, not closed." in html
    assert "£40,000" in html and figures["totals"]["spend_returned"] == "40000.00"
    assert LONG_TITLE in html and LONG_PROVIDER in html and LONG_MEASURE in html
    assert (
        "Read the funding review as a web page"
        in client.get(reverse("funding-reviews:year", args=["2009-10"])).content.decode()
    )
    assert client.get(reverse("funding-reviews:year-review", args=["2009-10"])).status_code == 200
    assert client.get(reverse("funding-reviews:year-review", args=["0001-02"])).status_code == 404
    assert (
        client.get(
            reverse("funding-reviews:stream-review", args=[long_names["programme"].funding_stream_id])
        ).status_code
        == 200
    )


def test_providers_cannot_read_the_review_in_any_channel(api, client, provider, long_names):
    rnd = long_names["round"]
    assert api(provider).get(f"/api/review-rounds/{rnd.pk}/funding-review/").status_code == 403
    assert api(provider).get(f"/api/review-rounds/{rnd.pk}/funding-review/?format=csv").status_code == 403
    login(client, provider)
    assert client.get(reverse("funding-reviews:round-review", args=[rnd.pk])).status_code == 403
