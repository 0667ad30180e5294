"""In a real browser: a commissioner creates a programme, fills its targets grid and sees both on
the programme's page; a refused cell is shown beside the cell and nothing of the grid is saved."""

import pytest

from grants.models import Programme, ProgrammeTarget
from tests.browser.test_accessibility import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    """A page that may inject axe-core (an inline script the Content-Security-Policy would refuse)."""
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_commissioner_creates_a_programme_and_its_targets(sign_in, live_server, demo_committed):
    page = sign_in("commissioner")
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Reference").fill("SSP-1101")
    page.get_by_label("Title").fill("Knife crime mentoring")
    page.get_by_label("Provider").select_option(label="St Giles Trust")
    page.get_by_label("Funding stream").select_option(index=1)
    page.get_by_label("Award (£)").fill("20000")
    page.get_by_label("Start date").fill("2010-04-01")
    page.get_by_label("End date").fill("2011-03-31")
    page.get_by_label("Primary priority").select_option(label="Serious violent crime")
    page.get_by_role("checkbox", name="Peckham", exact=True).check()
    page.get_by_role("button", name="Create programme").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Targets").is_visible()
    assert page.get_by_text("Programme SSP-1101 created").is_visible()
    page.get_by_label("Add an outcome measure").select_option(index=0)
    page.get_by_role("button", name="Add measure").click()
    page.wait_for_load_state()
    cells = page.locator("main table input.govuk-input")
    assert cells.count() == 4  # 2010/11, Q1 to Q4
    problems = check_page(page, "targets grid")
    assert not problems, "\n".join(problems)

    cells.nth(0).fill("5")
    cells.nth(1).fill("-2")
    page.get_by_role("button", name="Save targets").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").get_by_text("A target cannot be negative.").is_visible()
    programme = Programme.objects.get(reference="SSP-1101")
    assert not ProgrammeTarget.objects.filter(programme=programme).exists()

    page.locator("main table input.govuk-input").nth(1).fill("6")
    page.get_by_role("button", name="Save targets").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Knife crime mentoring").is_visible()
    assert page.get_by_text("Targets saved: 2 added").is_visible()
    values = sorted(ProgrammeTarget.objects.filter(programme=programme).values_list("quarter", "target_value"))
    assert [(q, int(v)) for q, v in values] == [(1, 5), (2, 6)]
