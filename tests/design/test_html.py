"""Every page, for every role, is well-formed where a browser would silently guess: no attribute
given twice on one element, no id used twice, every label's `for`, every aria-describedby and
aria-labelledby, and every in-page link names an element that exists. Rendered with the test
client (no browser), so it runs on each change; the pages are the CSP sweep's (every named URL
pattern, its arguments from the demo data)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from config.accessibility import AXE_EXCLUDED, ROLES
from tests.browser.test_csp import pages_for

pytestmark = pytest.mark.django_db


class Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str]] = []  # (what, id)

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        for name, count in Counter(names).items():
            if count > 1:
                self.problems.append(f"<{tag}> has the attribute {name} {count} times")
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"]] += 1
        if tag == "label" and values.get("for"):
            self.references.append((f"<label for={values['for']}>", values["for"]))
        for aria in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (values.get(aria) or "").split():
                self.references.append((f"<{tag} {aria}={ref}>", ref))
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.references.append((f"<a href={href}>", href[1:]))

    handle_startendtag = handle_starttag

    def check(self) -> list[str]:
        problems = list(self.problems)
        problems += [f'id="{i}" is used {n} times' for i, n in self.ids.items() if n > 1]
        problems += [f"{what} names no element" for what, ref in self.references if ref not in self.ids]
        return problems


def html_problems(html: str) -> list[str]:
    checker = Checker()
    checker.feed(html)
    checker.close()
    return checker.check()


def test_the_checker_finds_what_it_looks_for():
    bad = (
        '<label for="a">A</label><input id="b" class="x" class="y">'
        '<p id="b" aria-describedby="c"></p><a href="#d">d</a>'
    )
    assert sorted(html_problems(bad)) == sorted(
        [
            "<input> has the attribute class 2 times",
            'id="b" is used 2 times',
            "<label for=a> names no element",
            "<p aria-describedby=c> names no element",
            "<a href=#d> names no element",
        ]
    )


@pytest.mark.parametrize("username", [username for username, _ in ROLES])
def test_every_page_is_well_formed(demo, username):
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    targets, _, _ = pages_for(user)
    problems, checked = [], 0
    for name, path in targets:
        if any(path.startswith(prefix) for prefix in AXE_EXCLUDED):
            continue
        response = client.get(path, HTTP_ACCEPT="text/html")
        if response.status_code not in (200, 403, 404) or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        checked += 1
        problems += [f"{name} {path}: {p}" for p in html_problems(response.content.decode())]
    assert checked >= 10, f"only {checked} pages checked as {username}"
    assert not problems, "\n".join(problems)
