"""What the accessibility tests check, written once: tests/browser/test_accessibility.py runs
axe-core with these rule tags, at these widths, for these roles, on every page of the URLconf
(the same enumeration as the CSP sweep), and the accessibility statement at /accessibility/ is
drawn from the same lists, so the statement cannot claim more than the tests check."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.navigation import SECTIONS

STANDARD = "Web Content Accessibility Guidelines (WCAG) 2.2, level AA"

# axe-core rule tags run on every page; a violation of any of them fails the test.
AXE_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
AXE_TAG_NAMES = {
    "wcag2a": "WCAG 2.0 level A",
    "wcag2aa": "WCAG 2.0 level AA",
    "wcag21a": "WCAG 2.1 level A",
    "wcag21aa": "WCAG 2.1 level AA",
    "wcag22aa": "WCAG 2.2 level AA",
}


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int


VIEWPORTS: tuple[Viewport, ...] = (
    Viewport("desktop", 1280, 900),
    Viewport("mobile", 390, 844),
)
# The narrowest width at which no page may scroll sideways (WCAG 1.4.10 Reflow: 320 CSS pixels).
REFLOW_WIDTH = 320

# Demo accounts the tests sign in as, with the role each stands for.
ROLES: tuple[tuple[str, str], ...] = (
    ("admin", "Admin"),
    ("commissioner", "Commissioner"),
    ("finance", "Finance officer"),
    ("provider", "Provider"),
)

# Paths the axe test does not hold to these rules (by prefix), with the reason; the statement
# lists them as known limitations.
AXE_EXCLUDED: dict[str, str] = {
    "/admin/": "The administration screens under /admin/ are Django's own, not built on this design system.",
    "/api/": (
        "The browsable REST API and its documentation under /api/ are Django REST framework's and"
        " Swagger UI's own pages, for developers."
    ),
}

# Further checks the browser tests make beyond axe-core's rules.
OTHER_CHECKS: tuple[str, ...] = (
    (
        "Forms are also checked after they are submitted with errors: an error summary is shown, its"
        " links lead to the fields, and each error message and hint is linked to its field with"
        " aria-describedby."
    ),
    (
        f"No page scrolls sideways at {REFLOW_WIDTH} CSS pixels wide; wide tables scroll inside their"
        " own labelled region, which can be reached with the keyboard; at that width nothing covers a"
        " page's main heading."
    ),
    "The keyboard focus is visible on every element reached with the Tab key on the main pages.",
    "Every chart is labelled and linked to a table holding its figures.",
    (
        "Every page's HTML is checked for repeated attributes and ids, and for labels, ARIA references"
        " and in-page links that name no element."
    ),
    "The signed-out pages (sign in, this statement, page not found) are checked too.",
)

# Pages known to scroll sideways at 320 CSS pixels (WCAG 1.4.10, reflow), with what is wrong. The
# browser test skips its reflow check for exactly these paths (axe still runs on them) and the
# statement lists them, so a page leaves this list only when it is fixed.
REFLOW_KNOWN: dict[str, str] = {}

KNOWN_LIMITATIONS: tuple[str, ...] = (
    "The PDF funding reviews are not tagged PDFs, so a screen reader cannot follow their tables.",
    (
        "Automated tests find only some accessibility problems; the pages have not yet been audited"
        " by a person using assistive technology."
    ),
)


def statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, open to everyone (signed in or not)."""
    return render(
        request,
        "accessibility.html",
        {
            "standard": STANDARD,
            "tags": [(tag, AXE_TAG_NAMES[tag]) for tag in AXE_TAGS],
            "viewports": VIEWPORTS,
            "reflow_width": REFLOW_WIDTH,
            "roles": ROLES,
            "sections": [s.label for s in SECTIONS],
            "other_checks": OTHER_CHECKS,
            "limitations": [
                *KNOWN_LIMITATIONS,
                *dict.fromkeys(REFLOW_KNOWN.values()),
                *AXE_EXCLUDED.values(),
            ],
        },
    )
