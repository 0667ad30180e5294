"""In a real browser: sign in, the home page's portfolio of six priorities, a programme, role isolation."""

import pytest

from grants.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_signs_in_and_browses_the_portfolio(sign_in, live_server, demo_committed):
    page = sign_in("commissioner")
    assert page.get_by_role("heading", name="What needs doing").is_visible()
    assert page.get_by_role("heading", name="Portfolio by priority").is_visible()
    portfolio = page.get_by_role("region", name="Portfolio by priority").inner_text()
    for priority in (
        "Serious violent crime",
        "Preventing youth crime",
        "Anti social behaviour",
        "Drugs and alcohol",
        "Reducing re-offending and protecting the community",
        "Communities and communications",
    ):
        assert priority in portfolio
    page.goto(f"{live_server.url}/programmes/")
    page.get_by_role("link", name="Through-the-gate resettlement").first.click()
    assert page.get_by_role("heading", name="Through-the-gate resettlement").is_visible()
    assert page.get_by_role("heading", name="Targets").is_visible()


def test_provider_sees_only_its_own_programmes(sign_in, live_server, demo_committed):
    page = sign_in("provider2")
    page.goto(f"{live_server.url}/programmes/")
    rows = page.locator("tbody tr").all_inner_texts()
    own = set(
        Programme.objects.filter(provider__members__username="provider2").values_list("title", flat=True)
    )
    assert rows and all(any(title in row for title in own) for row in rows)
    other = Programme.objects.exclude(provider__members__username="provider2").first()
    response = page.goto(f"{live_server.url}/programmes/{other.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
