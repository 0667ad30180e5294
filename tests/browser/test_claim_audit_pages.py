"""The claim audit pages through axe-core (WCAG 2.2 AA), reflow at 320px and linked errors: the
list, the draw form (and its errors), an open audit as the commissioner marks it, and a concluded
one as finance sees it with the clawback to post."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser.test_accessibility import check_page, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def audits(demo_committed, settings):
    from claims import services
    from claims.services.audits import AuditRequest
    from grants.models import Programme
    from tests.claims.test_audits import make_claims

    settings.YARDSTICK = {**settings.YARDSTICK, "TODAY": date(2010, 10, 20)}
    users = get_user_model().objects
    provider, commissioner = users.get(username="provider"), users.get(username="commissioner")
    programme = Programme.objects.get(reference="SSP-0918")
    measure = programme.targets.order_by("pk").first().measure
    make_claims(programme, measure, provider, 12, price="1500")
    concluded = services.audit_draw(
        user=commissioner, data=AuditRequest(programme.pk, "2010/11", 1, "random", size=4, seed=1)
    )
    for index, item in enumerate(concluded.items.order_by("id")):
        services.audit_claim_mark(
            user=commissioner, audit=concluded, item_id=item.pk, valid=index > 0, reason="No payslip on file"
        )
    services.audit_conclude(user=commissioner, audit=concluded)
    opened = services.audit_draw(
        user=commissioner,
        data=AuditRequest(programme.pk, "2010/11", 1, "risk", size=3, risk="near_earliest", seed=2),
    )
    return {"open": opened, "concluded": concluded}


def test_claim_audit_pages_pass_axe(audits, browser, live_server):
    pages = {
        "commissioner": [
            reverse("claim-audits"), reverse("claim-audit-draw"),
            reverse("claim-audit-detail", args=[audits["open"].pk]),
            reverse("claim-audit-detail", args=[audits["concluded"].pk]),
        ],
        "finance": [reverse("claim-audits"), reverse("claim-audit-detail", args=[audits["concluded"].pk])],
        "provider": [reverse("claim-audit-detail", args=[audits["concluded"].pk])],
    }  # fmt: skip
    problems = []
    for username, paths in pages.items():
        page = open_page(browser, live_server, username)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{username} {path}: {response.status}"
            problems += check_page(page, f"{username} {path}")
        page.context.close()
    assert not problems, "\n".join(problems)


def test_the_draw_form_with_errors_passes_axe(audits, browser, live_server):
    page = open_page(browser, live_server, "commissioner")
    page.goto(live_server.url + reverse("claim-audit-draw"))
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count()
    problems = check_page(page, "commissioner draw form, submitted empty")
    page.context.close()
    assert not problems, "\n".join(problems)
