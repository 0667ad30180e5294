"""axe-core (vendored, injected into Chromium) on every page for every role, at each width in
config.accessibility, failing on any violation of the WCAG 2.2 AA rule tags; forms shown with
their errors; no sideways scrolling at 320 CSS pixels; a visible focus indicator.

The pages are the CSP sweep's (tests/browser/test_csp.py): every named pattern of the URLconf,
its arguments filled in from the demo data, so a page added later is checked without changing
this file. What is checked is written once in config/accessibility.py, which the accessibility
statement (/accessibility/) reads too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from config.accessibility import AXE_EXCLUDED, AXE_TAGS, REFLOW_KNOWN, REFLOW_WIDTH, ROLES, VIEWPORTS
from tests.browser.test_csp import ACCEPT_HTML, HTML, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"

RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}
"""

SCROLL_WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"

# The page's main heading, scrolled into view, is what is drawn at its first word: no overlay (a
# fixed panel, a menu left open) covers the page at a narrow width.
HEADING_COVERED = """
() => {
  const heading = document.querySelector("main h1");
  if (!heading) return [];
  heading.scrollIntoView({block: "center"});
  const box = heading.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + Math.min(box.width, 40) / 2, box.top + box.height / 2);
  if (hit && (hit === heading || heading.contains(hit))) return [];
  const by = hit ? hit.tagName.toLowerCase() + (hit.className ? "." + String(hit.className).split(" ")[0] : "") : "nothing";
  return ["the main heading is covered at " + window.innerWidth + "px by " + by];
}
"""

# Every error message and hint is referenced by the control's (or fieldset's) aria-describedby;
# every error-summary link points at an element that exists.
LINKED_ERRORS = """
() => {
  const problems = [];
  const described = new Set();
  document.querySelectorAll("[aria-describedby]").forEach((el) =>
    el.getAttribute("aria-describedby").split(/\\s+/).forEach((id) => described.add(id)));
  document.querySelectorAll(".govuk-error-message, .govuk-hint").forEach((el) => {
    if (el.closest(".govuk-error-summary")) return;
    if (!el.id || !described.has(el.id)) problems.push("not linked to its field: " + el.textContent.trim().slice(0, 80));
  });
  document.querySelectorAll(".govuk-error-summary__list a").forEach((a) => {
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    if (!document.getElementById(id)) problems.push("error summary link to missing #" + id);
  });
  return problems;
}
"""

# Every chart is labelled and its figure links to a table holding its figures.
CHARTS_HAVE_TABLES = """
() => Array.from(document.querySelectorAll("canvas")).flatMap((canvas) => {
  const problems = [];
  if (!canvas.getAttribute("aria-label")) problems.push("chart #" + canvas.id + " has no aria-label");
  const figure = canvas.closest("figure");
  const link = figure && figure.querySelector("figcaption a[href^='#']");
  const target = link && document.getElementById(link.getAttribute("href").slice(1));
  if (!target || !(target.tagName === "TABLE" || target.querySelector("table")))
    problems.push("chart #" + canvas.id + " does not link to a table of its figures");
  return problems;
})
"""

# Does the focused element look different from the unfocused one (outline, shadow or colours)?
FOCUS_VISIBLE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== "rgba(0, 0, 0, 0)";
  const shadow = s.boxShadow && s.boxShadow !== "none";
  const yellow = s.backgroundColor === "rgb(255, 221, 0)";
  return { tag: el.tagName + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 40), visible: outline || shadow || yellow };
}
"""


def _excluded(path: str) -> str | None:
    return next((reason for prefix, reason in AXE_EXCLUDED.items() if path.startswith(prefix)), None)


def _axe(page, where: str) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = []
    for v in page.evaluate(RUN_AXE, list(AXE_TAGS)):
        found.append(f"{where}: {v['id']} ({v['impact']}) {v['help']} at {'; '.join(v['nodes'])}")
    return found


def check_page(page, where: str) -> list[str]:
    """axe at every width, and no sideways scrolling at the reflow width."""
    problems = []
    for viewport in VIEWPORTS:
        page.set_viewport_size({"width": viewport.width, "height": viewport.height})
        problems += _axe(page, f"{where} at {viewport.width}px")
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    width = page.evaluate(SCROLL_WIDTH)
    if width > REFLOW_WIDTH and not any(where.endswith(f" {path}") for path in REFLOW_KNOWN):
        problems.append(f"{where}: scrolls sideways at {REFLOW_WIDTH}px (content {width}px wide)")
    problems += [f"{where}: {p}" for p in page.evaluate(HEADING_COVERED)]
    problems += [f"{where}: {p}" for p in page.evaluate(LINKED_ERRORS)]
    problems += [f"{where}: {p}" for p in page.evaluate(CHARTS_HAVE_TABLES)]
    return problems


def sweep(page, base: str, targets: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    visited, problems = [], []
    for name, path in targets:
        if _excluded(path):
            continue
        url = base + path
        probe = page.request.get(
            url, headers={"Accept": ACCEPT_HTML}, max_redirects=0, fail_on_status_code=False
        )
        if probe.status not in (200, 403, 404) or not HTML.match(probe.headers.get("content-type", "")):
            continue  # downloads, JSON, redirects, POST-only actions: not pages
        page.goto(url)
        visited.append(name)
        problems += check_page(page, f"{name} {path}")
    return visited, problems


def open_page(browser, live_server, username: str | None = None):
    """A new browser page, signed in as `username` (None: signed out). The Content-Security-Policy
    is bypassed so that axe can be injected; tests/browser/test_csp.py checks the policy itself."""
    from grants.demo import DEMO_PASSWORD

    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    if username:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    return page


def test_every_page_for_every_role_passes_axe(demo_committed, browser, live_server):
    report, all_visited = [], {}
    for username, _role in ROLES:
        page = open_page(browser, live_server, username)
        targets, _, _ = pages_for(get_user_model().objects.get(username=username))
        visited, problems = sweep(page, live_server.url, targets)
        all_visited[username] = visited
        report += [f"{username}: {p}" for p in problems]
        page.context.close()
    print({u: len(v) for u, v in all_visited.items()})
    assert not report, f"{len(report)} accessibility problems:\n" + "\n".join(report)
    for username, visited in all_visited.items():
        for must in ("home", "programme-list", "returns", "indicator-list", "accessibility"):
            assert must in visited, f"{must} was not checked as {username}"
    assert "commissioning:round" in all_visited["commissioner"]
    assert "finance-budgets" in all_visited["finance"]


def test_signed_out_pages_pass_axe(demo_committed, browser, live_server):
    page = open_page(browser, live_server)
    problems = []
    for where in [reverse("login"), reverse("accessibility"), "/no-such-page/"]:
        page.goto(live_server.url + where)
        problems += check_page(page, where)
    assert not problems, "\n".join(problems)
    # and the checks can fail: a field without its label, a page too wide, a hint not linked
    page.goto(live_server.url + reverse("login"))
    page.evaluate("""() => {
      document.querySelector("main form label[for]").remove();
      document.querySelector("main").insertAdjacentHTML("beforeend",
        '<div style="width:900px">wide</div><div class="govuk-hint" id="loose-hint">loose</div>');
    }""")
    found = " ".join(check_page(page, "broken sign-in page"))
    assert (
        "label" in found
        and "scrolls sideways at 320px" in found
        and "not linked to its field: loose" in found
    )


# Forms submitted empty (or wrong), so that their error states are checked too:
# (account, a function from the demo data to the page's path, the form's submit button).
def _pbr_payments_path():
    from grants.models import Programme

    programme = Programme.objects.filter(commissioning_model="pbr").order_by("reference").first()
    return reverse("finance-programme-payments", args=[programme.pk])


FORMS = [
    ("anonymous", lambda: reverse("login"), "Sign in"),
    ("commissioner", lambda: reverse("commissioning:rounds"), "Create draft round"),
    ("provider", lambda: reverse("return-new"), None),
    ("finance", lambda: reverse("finance-payments"), "Record payment"),
    ("finance", _pbr_payments_path, "Record payment"),
    ("commissioner", lambda: reverse("programme-new"), "Create programme"),
    ("commissioner", lambda: reverse("priority-new"), "Save priority"),
    ("finance", lambda: reverse("stream-new"), "Create funding stream"),
]


def test_forms_shown_with_errors_pass_axe_and_link_their_errors(demo_committed, browser, live_server):
    problems = []
    for username, path_of, button in FORMS:
        page = open_page(browser, live_server, None if username == "anonymous" else username)
        path = path_of()
        page.goto(live_server.url + path)
        form = page.locator("main form[method=post]").filter(has=page.locator("button[type=submit]")).last
        submit = (
            form.get_by_role("button", name=button) if button else form.locator("button[type=submit]").last
        )
        for field in form.locator("input[type=text], input[type=number], input[type=date], textarea").all():
            if field.is_visible() and field.is_editable():
                field.fill("")
        submit.click()
        page.wait_for_load_state()
        where = f"{username} {path} (submitted empty)"
        if not page.locator(".govuk-error-summary").count():
            problems.append(f"{where}: no error summary shown")
        problems += check_page(page, where)
        page.context.close()
    assert not problems, "\n".join(problems)


RESULTS_SHOWN = """
() => {
  const first = document.querySelector(".moj-filter-layout__content h2, .moj-filter-layout__content p");
  first.scrollIntoView({block: "center"});
  const box = first.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
  return hit !== null && first.contains(hit);
}
"""


def test_filter_panels_leave_the_results_visible_on_a_phone(demo_committed, browser, live_server):
    """MOJ's filter layout turns the filter into a full-height overlay on small screens; it covered
    the programme list at 390px. Checked here on the pages with a filter, as in every sweep."""
    page = open_page(browser, live_server, "commissioner")
    try:
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        problems = []
        for path in [reverse("programme-list"), reverse("audit-log")]:
            page.goto(live_server.url + path)
            problems += [f"{path}: {p}" for p in page.evaluate(HEADING_COVERED)]
            shown = page.evaluate(RESULTS_SHOWN)
            if not shown:
                problems.append(f"{path}: the results are covered at {REFLOW_WIDTH}px")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


def test_focus_is_visible_on_every_focusable_element_of_the_main_pages(demo_committed, sign_in, live_server):
    page = sign_in("commissioner")  # no axe here: the page keeps its Content-Security-Policy
    invisible = []
    for path in [reverse("home"), reverse("programme-list"), reverse("returns-queue")]:
        page.goto(live_server.url + path)
        for _ in range(25):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_VISIBLE)
            if focused and not focused["visible"]:
                invisible.append(f"{path}: {focused['tag']}")
    assert not invisible, "Focus not visible on:\n" + "\n".join(invisible)
