"""The service navigation: each role sees the sections it may use (and only those), the current
one is marked, and the base layout's pieces (favicon, accessibility statement) are there."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from config.navigation import SECTIONS, current_section, nav_items

pytestmark = pytest.mark.django_db

EVERYONE = ["Home", "Programmes", "Returns", "Indicators", "Payments"]
STAFF_ONLY = ["Reviews", "Funding reviews", "Budgets", "Plan", "Audit log"]


def labels(user, path="/"):
    return [item.label for item in nav_items(user, path)]


def test_provider_is_offered_no_section_that_would_refuse_them(provider):
    shown = labels(provider)
    assert [label for label in shown if label in EVERYONE] == EVERYONE
    for label in [*STAFF_ONLY, "Verify returns"]:
        assert label not in shown


def test_commissioner_sees_reviews_funding_reviews_budgets_and_verification(commissioner):
    shown = labels(commissioner)
    for label in [*EVERYONE, *STAFF_ONLY, "Verify returns"]:
        assert label in shown


def test_finance_officer_sees_funding_reviews_and_budgets_but_does_not_verify(finance):
    shown = labels(finance)
    for label in [*EVERYONE, *STAFF_ONLY]:
        assert label in shown
    assert "Verify returns" not in shown


def test_signed_out_visitor_gets_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert nav_items(AnonymousUser(), "/") == []


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "Home"),
        ("/priorities/3/", "Home"),
        ("/programmes/12/", "Programmes"),
        ("/returns/new/", "Returns"),
        ("/returns/queue/", "Verify returns"),
        ("/review/4/programmes/2/", "Reviews"),
        ("/funding-reviews/streams/1/", "Funding reviews"),
        ("/finance/budgets/2/", "Budgets"),
        ("/finance/programmes/5/payments/", "Payments"),
        ("/finance/budgets/streams/new/", "Budgets"),
        ("/plan/wards/3/edit/", "Plan"),
        ("/audit/", "Audit log"),
        ("/accessibility/", None),
    ],
)
def test_the_current_section_is_the_longest_matching_path(path, section):
    found = current_section(path)
    assert (found.label if found else None) == section


def test_every_section_links_to_a_page_that_the_roles_shown_it_can_open(commissioner, finance, provider):
    for user in (commissioner, finance, provider):
        client = Client()
        client.force_login(user)
        for item in nav_items(user, "/"):
            response = client.get(item.href)
            assert response.status_code == 200, f"{user.username}: {item.label} {item.href}"


def test_pages_mark_the_current_section_with_aria_current(client, commissioner):
    client.force_login(commissioner)
    html = client.get(reverse("programme-list")).content.decode()
    current = re.findall(
        r'<a class="govuk-service-navigation__link" href="([^"]+)" aria-current="page">', html
    )
    assert current == [reverse("programme-list")]
    assert 'class="govuk-skip-link"' in html and 'id="main-content"' in html
    assert "pico" not in html


def test_each_section_names_a_distinct_page():
    names = [s.url_name for s in SECTIONS]
    assert len(names) == len(set(names))


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico") and "/static/" in response["Location"]


def test_accessibility_statement_is_public_and_linked_from_every_page(client, commissioner):
    from config.accessibility import AXE_TAGS, VIEWPORTS

    html = client.get(reverse("accessibility")).content.decode()
    assert "Accessibility statement" in html
    for tag in AXE_TAGS:
        assert f"<code>{tag}</code>" in html
    for viewport in VIEWPORTS:
        assert f"{viewport.width} CSS pixels" in html
    client.force_login(commissioner)
    assert f'href="{reverse("accessibility")}"' in client.get(reverse("home")).content.decode()
