"""In a real browser, the main path of commissioning, with axe on every page visited: a commissioner
opens a call from a review round's "recommission" decision (pre-filled from the programme) and
publishes it; a provider bids and submits; after the closing time two commissioners declare their
interests and score blind; the lead moderates; the commissioner recommends the award, the
standstill runs, and concluding it creates the programme with the bid's targets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning import services as round_services
from commissioning.calls.models import Bid, Call, Criterion
from commissioning.models import ReviewRound
from grants.models import Programme, ProgrammeTarget
from tests.browser.test_accessibility import _axe, open_page
from tests.factories import FundingStreamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUND = "2009/10 review of partnership-funded activity"
RECOMMISSIONED = "SSP-0916"
VOLUME = "5"  # per measure and quarter


class Problems(list):
    """axe's findings on every page visited, reported together at the end."""

    def check(self, page, where: str) -> None:
        page.wait_for_load_state()
        self.extend(_axe(page, where))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _success(page) -> str:
    return page.locator(".govuk-notification-banner--success").inner_text()


def test_a_call_from_recommission_to_programme(demo_committed, browser, live_server, monkeypatch, settings):
    commissioner = demo_committed_user("commissioner")
    review_round = ReviewRound.objects.get(name=ROUND)
    source = Programme.objects.get(reference=RECOMMISSIONED)
    round_services.decision_record(
        user=commissioner, review_round=review_round, programme=source, outcome="recommission",
        rationale="The service is needed; the model must change to outcomes paid by results.",
    )  # fmt: skip
    stream = FundingStreamFactory(
        name="Young people's recovery", financial_year="2011/12", budget=Decimal("500000")
    )
    real_now = timezone.now
    started = real_now()
    problems = Problems()
    base = live_server.url

    # The commissioner opens the call from the round's VfM table: pre-filled from the programme.
    page = open_page(browser, live_server, "commissioner")
    page.goto(f"{base}/review/{review_round.pk}/")
    page.get_by_role("link", name=f"Open a call to recommission {RECOMMISSIONED}").click()
    page.get_by_role("heading", name="Open a call").wait_for()
    problems.check(page, "calls:new (pre-filled)")
    assert page.get_by_label("Title", exact=True).input_value() == f"Recommissioning: {source.title}"
    assert page.get_by_label("Budget envelope (£)").input_value() == f"{source.award_amount}"
    page.get_by_label("Budget envelope (£)").fill("200000")
    prefilled = [m for m in page.locator("input[name=measures]").all() if m.is_checked()]
    assert prefilled, "the programme's measures are ticked"
    page.get_by_label("Reference", exact=True).fill("SSP-C-2011-07")
    if not page.get_by_label("Outcome specification").input_value().strip():
        page.get_by_label("Outcome specification").fill("Young people's recovery, outcomes paid by results.")
    page.get_by_label("Funding stream").select_option(label=f"{stream.name} 2011/12")
    page.get_by_label("Opens (date and time)").fill(_local(started - timedelta(hours=1)))
    page.get_by_label("Questions until").fill(_local(started + timedelta(days=1)))
    page.get_by_label("Closes").fill(_local(started + timedelta(days=2)))
    page.get_by_label("Service starts").fill("2011-04-01")
    page.get_by_label("Service ends").fill("2012-03-31")
    page.get_by_label("Eligibility questions (one a line; pass or fail)").fill("Registered charity or CIC")
    page.get_by_role("button", name="Create draft call").click()
    assert "Draft call created" in _success(page)
    call = Call.objects.get(reference="SSP-C-2011-07")
    assert call.source_programme == source and call.status == Call.Status.DRAFT
    assert set(call.priorities.all()) == set(source.priorities.all())
    problems.check(page, "calls:call (draft)")
    page.get_by_role("button", name="Publish call").click()
    assert "Published" in _success(page)
    page.goto(f"{base}/calls/{call.pk}/assessment/")
    for username, lead in (("commissioner", True), ("commissioner2", False)):
        page.get_by_label("Assign a commissioner").select_option(label=username)
        page.get_by_label("Lead assessor (moderates)").set_checked(lead)
        page.get_by_role("button", name="Assign").click()
        assert f"{username} assigned." in _success(page)
    problems.check(page, "calls:assessment (before closing)")

    # The provider bids for St Giles Trust and submits before the closing time.
    bidder = open_page(browser, live_server, "provider")
    bidder.goto(f"{base}/calls/")
    bidder.get_by_role("link", name=call.title).click()
    problems.check(bidder, "calls:call (provider)")
    bidder.get_by_role("button", name="Start a bid").click()
    assert "Draft bid started" in _success(bidder)
    problems.check(bidder, "calls:bid (draft)")
    for criterion in call.criteria.all():
        bidder.locator(f"#answer-{criterion.pk}").fill(f"How we meet “{criterion.name}”.")
    bidder.get_by_role("radio", name="Yes").check()
    volumes = bidder.locator("input[name^=volume-]")
    cells = volumes.count()
    assert cells >= 4  # a quarter of each measure over the service year
    for i in range(cells):
        volumes.nth(i).fill(VOLUME)
    tariffs = bidder.locator("input[name^=tariff-]")
    for i in range(tariffs.count()):
        tariffs.nth(i).fill("1500")
    bidder.get_by_label("Total price (£)").fill("90000")
    bidder.get_by_label("Service fee (£, payment by results)").fill("18000")
    bidder.get_by_label("Staff (£)").fill("60000")
    bidder.get_by_label("Delivery (£)").fill("30000")
    bidder.get_by_label("What you commit to").fill("Local young people trained as peer mentors")
    bidder.get_by_label("How many").fill("6")
    bidder.get_by_label("By (YYYY-MM-DD)").fill("2012-03-31")
    for declaration in bidder.locator("input[name^=declaration_]").all():
        declaration.check()
    bidder.get_by_role("button", name="Save and submit").click()
    assert "Bid submitted" in _success(bidder)
    bid = Bid.objects.get(call=call)
    assert bid.status == Bid.Status.SUBMITTED and bid.organisation.name == "St Giles Trust"
    problems.check(bidder, "calls:bid (submitted)")

    # The call closes (server time moves on); two commissioners declare interests and score blind.
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=3))
    criteria = list(Criterion.objects.filter(call=call).order_by("kind", "order"))
    scores = {
        "commissioner": [4] + [3] * (len(criteria) - 1),
        "commissioner2": [2] + [3] * (len(criteria) - 1),
    }
    page = open_page(browser, live_server, "commissioner")  # sessions made before the move have expired
    second = open_page(browser, live_server, "commissioner2")
    for who, assessor in (("commissioner", page), ("commissioner2", second)):
        assessor.goto(f"{base}/calls/{call.pk}/assessment/")
        row = assessor.locator("tr", has_text="St Giles Trust")
        row.get_by_label("No conflict").check()
        row.get_by_role("button", name="Declare").click()
        assert "Declared no conflict with St Giles Trust" in _success(assessor)
        problems.check(assessor, f"calls:assessment ({who}, declared)")
        assessor.goto(f"{base}/calls/bids/{bid.pk}/")
        for criterion, value in zip(criteria, scores[who], strict=True):
            assessor.locator(f"#score-{criterion.pk}-{value}").check()
            assessor.locator(f"#justification-{criterion.pk}").fill(f"{who} scores {value} on the evidence.")
        problems.check(assessor, f"calls:bid ({who} scoring)")
        if who == "commissioner2":  # blind: the lead's scores are hidden until these are submitted
            assert "commissioner scores 4" not in assessor.content()
        assessor.get_by_role("button", name="Submit my scores").click()
        assert "Scores submitted" in _success(assessor)
    assert "commissioner scores 4 on the evidence." in second.content()  # now visible
    assert "Needs moderation" in second.content()

    # The lead moderates the criterion where the scores differ by 2.
    page.goto(f"{base}/calls/bids/{bid.pk}/")
    page.get_by_label("Criterion", exact=True).select_option(label=criteria[0].name)
    page.get_by_label("Moderated score (0 to 5)").fill("3")
    page.get_by_label("Rationale").fill("Agreed at the moderation meeting: adequate evidence of need.")
    page.get_by_role("button", name="Record moderated score").click()
    assert f"Moderated score recorded for {criteria[0].name}" in _success(page)
    problems.check(page, "calls:bid (moderated)")

    # The award: recommended, the standstill runs eight working days, then it concludes.
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2011, 2, 1)}
    page.goto(f"{base}/calls/{call.pk}/assessment/")
    page.get_by_label("Rationale").fill("The only bid; above the quality threshold and within budget.")
    page.get_by_role("button", name="Recommend and start the standstill").click()
    assert "the standstill has started" in _success(page)
    assert "The standstill ends at the end of Friday 11 February 2011" in page.content()
    problems.check(page, "calls:assessment (standstill)")
    page.get_by_role("button", name="Conclude award and create the programme").click()
    refused = page.locator(".govuk-notification-banner").first.inner_text()
    assert "The standstill runs until the end of 11 Feb 2011" in refused
    assert not Programme.objects.filter(reference="SSP-C-2011-07-L1").exists()
    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2011, 2, 14)}
    page.get_by_role("button", name="Conclude award and create the programme").click()
    assert "the programme has been created from the winning bid" in _success(page)
    bid.refresh_from_db()
    programme = bid.programme
    assert programme is not None and programme.award_amount == Decimal("90000")
    page.get_by_role("link", name=programme.reference).click()
    page.get_by_role("heading", name="Targets", exact=True).wait_for()
    problems.check(page, "programme-detail (from the bid)")
    targets = ProgrammeTarget.objects.filter(programme=programme)
    assert targets.count() == cells and {t.target_value for t in targets} == {Decimal(VOLUME)}
    assert page.locator("#delivery-against-bid").is_visible()
    assert problems == [], "\n".join(problems)


def demo_committed_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
