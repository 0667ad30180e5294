"""In a real browser: the demo commissioner scores a programme, sees the round table update,
and records a decision."""

import pytest

from commissioning.models import ReviewRound

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_scores_and_decides(sign_in, live_server, demo_committed):
    review_round = ReviewRound.objects.get(name="2009/10 review of partnership-funded activity")
    page = sign_in("commissioner")
    page.goto(f"{live_server.url}/review/{review_round.pk}/")
    row = page.locator("tr", has_text="Targeted youth support and diversion")
    assert row.locator("[data-testid=composite]").inner_text() == "not scored"
    row.get_by_role("link", name="Targeted youth support and diversion").click()
    page.get_by_role("heading", name="Targeted youth support and diversion").wait_for()
    for form in page.locator("form.criterion").all():
        form.get_by_label("4").check()
        form.get_by_label("Rationale").fill("Good evidence of diversion outcomes in verified returns.")
        form.get_by_role("button").click()
        form_id = form.get_attribute("id")
        page.locator(f"#{form_id} [role=status]").wait_for()  # saved in place by htmx, no page reload
    page.get_by_role("radio", name="Continue with conditions").check()
    page.get_by_label("Rationale", exact=True).last.fill(
        "Strong diversion figures; cost per outcome to watch."
    )
    page.get_by_label("Conditions (for “continue with conditions”)").fill(
        "Quarterly cost-per-outcome report."
    )
    page.get_by_role("button", name="Record decision").click()
    assert "Decision recorded: Continue with conditions" in page.locator(".govuk-notification-banner--success").inner_text()
    page.goto(f"{live_server.url}/review/{review_round.pk}/")
    row = page.locator("tr", has_text="Targeted youth support and diversion")
    assert row.locator("[data-testid=composite]").inner_text() == "80.0"
    assert "Continue with conditions" in row.inner_text()
