"""The impact pages with the demo's synthetic reports in place (the shared demo has no participant
key, so the general sweep finds no report to open): axe at every width, reflow and linked errors,
for each role that can see them."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from tests.browser.test_accessibility import open_page, sweep
from tests.browser.test_csp import pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def impact_demo(demo_committed, settings):
    from commissioning.impact import demo

    settings.YARDSTICK = {**settings.YARDSTICK, "PARTICIPANT_KEY": "d" * 40, "TODAY": date(2010, 10, 20)}
    assert demo.load(log=lambda *_: None)["impact reports"] == 2


def test_impact_pages_pass_axe_for_each_role(impact_demo, browser, live_server):
    problems = []
    for username in ("commissioner", "finance", "provider"):
        user = get_user_model().objects.get(username=username)
        targets = [(name, url) for name, url in pages_for(user)[0] if name.startswith("impact")]
        page = open_page(browser, live_server, username)
        visited, found = sweep(page, live_server.url, targets)
        page.context.close()
        problems += [f"{username}: {p}" for p in found]
        assert {"impact:reports", "impact:report"} <= set(visited), (username, visited)
    assert not problems, "\n".join(problems)
