"""Delivery against the bid: a programme created from a winning bid shows the bid's promised
outcomes and price beside what returns achieved, with the same figures on the programme page, in
the VfM table and in the funding review (HTML, and the PDF read back)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from commissioning import services as round_services
from commissioning.calls import selectors, services
from commissioning.reports.pdf.document import render as render_pdf
from commissioning.reports.selectors import funding_review, resolve_scope
from tests.conftest import login
from tests.factories import OutcomeReturnFactory, ProgrammeFactory
from tests.finance.test_funding_review import pdf_text

from .test_assessment import assessing, bids, full_assessment  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(assessing, bids, commissioner, commissioner2, org_a, org_b, today, provider):  # noqa: F811
    """Bid a (£100,000 for 4 × 10 outcomes) won; two verified returns: 8 + 8 outcomes for
    £20,000 + £30,000 spend."""
    a, _ = bids
    full_assessment(assessing.call, bids, commissioner, commissioner2, org_a, org_b)
    need = assessing.call.criteria.get(order=0)
    services.moderation_record(user=commissioner, bid=a, criterion=need, score=3, rationale="Agreed")
    today.set(date(2010, 12, 17))
    award = services.award_recommend(user=commissioner, lot=assessing.lot1, bid=a, rationale="Highest")
    today.set(date(2011, 1, 4))
    programme = services.award_conclude(user=commissioner, award=award)
    for quarter, spend in ((1, Decimal("20000")), (2, Decimal("30000"))):
        OutcomeReturnFactory(
            programme=programme, measure=assessing.measure_a, financial_year="2010/11", quarter=quarter,
            value=Decimal("8"), spend=spend, status="verified", submitted_by=provider,
        )  # fmt: skip
    return programme


EXPECTED = [
    ("Price and cost", "£100,000", "£50,000"),
    ("Outcomes", "40.00", "16.00"),
    ("Cost per outcome", "£2,500.00", "£3,125.00"),  # 100,000 ÷ 40; 50,000 ÷ 16
]


def test_the_figures_are_the_bids_promise_and_the_returns_achievement(delivered):
    d = selectors.delivery_against_bids([delivered.pk])[delivered.pk]
    assert (d.promised_price, d.promised_outcomes, d.projected_cost_per_outcome) == (
        Decimal("100000.00"), Decimal("40.00"), Decimal("2500.00"),
    )  # fmt: skip
    assert (d.actual_cost, d.achieved_outcomes, d.actual_cost_per_outcome) == (
        Decimal("50000.00"), Decimal("16.00"), Decimal("3125.00"),
    )  # fmt: skip
    assert not d.cost_estimated and d.period == "2010/11 to 2010/11"
    assert d.lines()[:3] == EXPECTED
    assert d.measure_lines() == [("Young people completing treatment", "40.00", "16.00")]
    assert d.projected_bcr is not None and d.actual_bcr is not None
    other = ProgrammeFactory()
    assert other.pk not in selectors.delivery_against_bids([delivered.pk, other.pk])


def test_every_channel_shows_the_same_figures(client, delivered, published, commissioner, provider):
    d = selectors.delivery_against_bids([delivered.pk])[delivered.pk]
    bcr_line = ("Benefit-cost ratio", f"{d.projected_bcr:.2f}", f"{d.actual_bcr:.2f}")
    expected = [*EXPECTED, bcr_line]
    assert d.lines() == expected

    for user in (provider, commissioner):  # the programme page
        page = login(client, user).get(f"/programmes/{delivered.pk}/").content.decode()
        section = page[page.index('id="delivery-against-bid"') :]
        for label, promised, achieved in expected:
            row = section[section.index(f">{label}</th>") :].split("</tr>")[0]
            assert promised in row and achieved in row, (label, row)

    review_round = round_services.round_create(
        user=commissioner, name="2010/11 review", first_year="2010/11", last_year="2010/11"
    )
    table = login(client, commissioner).get(f"/review/{review_round.pk}/").content.decode()
    cell = table[table.index('data-testid="against-bid"') :].split("</td>")[0]
    assert "£2,500.00 / £3,125.00" in cell
    api = client.get(f"/api/review-rounds/{review_round.pk}/vfm/").json()
    row = next(r for r in api if r["programme"] == delivered.pk)
    assert (row["bid_projected_cost_per_outcome"], row["bid_actual_cost_per_outcome"]) == (
        "2500.00",
        "3125.00",
    )
    assert all(r["bid_projected_cost_per_outcome"] is None for r in api if r["programme"] != delivered.pk)
    exported = client.get(f"/api/review-rounds/{review_round.pk}/vfm/?format=csv").content.decode()
    line = next(csv.DictReader(io.StringIO(exported)))
    assert (line["bid_projected_cost_per_outcome"], line["bid_actual_cost_per_outcome"]) == (
        "2500.00",
        "3125.00",
    )

    stream = published.call.funding_stream
    html = client.get(f"/funding-reviews/streams/{stream.pk}/review/").content.decode()
    part = html[html.index(f'id="against-bid-{delivered.pk}"') :].split("</table>")[0]
    for label, promised, achieved in [*expected, *d.measure_lines()]:
        row = part[part.index(f">{label}</th>") :].split("</tr>")[0]
        assert promised in row and achieved in row, (label, row)

    review = funding_review(resolve_scope("stream", stream.pk), user=commissioner)
    text = "\n".join(pdf_text(render_pdf(review)))
    for label, promised, achieved in expected:
        line = next(line for line in text.splitlines() if line.strip().startswith(label) and promised in line)
        assert achieved in line, line
