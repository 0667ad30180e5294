"""Every page renders under the Content-Security-Policy in Chromium without a console error, a
page error or a CSP violation, for each role.

The pages are enumerated from the URLconf's named patterns, so a page added later is visited
without changing this file: its URL arguments are filled in from the demo data by the model its
name or argument points at (MODEL_HINTS). A pattern whose arguments cannot be filled in fails
test_every_named_page_is_covered until it gets a hint here or an entry in EXCLUDED with a reason.

A GET is first made with the signed-in browser context's own request client; only HTML answers
(2xx, or a 403/404 error page) are opened in the browser. Downloads, JSON, 405s (POST-only
actions) and redirects elsewhere are reported as not pages and skipped.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["admin", "commissioner", "finance", "provider"]

# Named patterns never opened, with the reason. Everything else is visited or reported.
EXCLUDED = {
    "logout": "POST only: signs out (the sign-out button is on every page visited)",
    "admin:logout": "POST only: signs out",
    "admin:view_on_site": "redirects to an object's public page, visited in its own right",
    "admin:jsi18n": "JavaScript, loaded by the admin pages that use it",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets",
    "admin:password_change_done": "only shown after a password change (a POST)",
    "account-token-revoke": "POST only: revokes a token (the token page is visited)",
    "account_confirm_email": "needs a fresh e-mail confirmation key, sent by e-mail",
    "account_reset_password_from_key": "needs a password-reset key, sent by e-mail",
    "mfa_remove_webauthn": "needs a registered passkey, which the demo has none of",
    "mfa_edit_webauthn": "needs a registered passkey, which the demo has none of",
    "openid_connect_login": "needs a configured identity provider (none in the demo)",
    "openid_connect_callback": "an identity provider's redirect back, not a page",
    "staff-accept": "needs an invitation key, sent by e-mail",
}

# Console errors Chromium logs that are no fault of a page.
IGNORED_CONSOLE: list[re.Pattern] = []

HTML = re.compile(r"^text/html")
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # as Chromium asks


def _programmes(user):
    from grants.selectors import programmes_visible_to

    return programmes_visible_to(user).order_by("pk")


def _returns(user):
    from grants.selectors import returns_visible_to

    return returns_visible_to(user).order_by("pk")


def _audits(user):
    from claims.selectors import audits_visible_to

    return audits_visible_to(user).order_by("pk")


def _impact_reports(user):
    from commissioning.impact.selectors import reports_visible_to

    return reports_visible_to(user).order_by("pk")


def _model(label):
    return lambda user: apps.get_model(label)._default_manager.order_by("pk")


def _calls(user):
    from commissioning.calls.selectors import calls_visible

    return calls_visible(user).order_by("pk")


def _bids(user):
    """The bids this user reaches from the calls they see (a provider's own, a commissioner's
    submitted ones they are not conflicted with)."""
    from commissioning.calls.models import Bid
    from commissioning.calls.selectors import bids_visible

    ids = [bid.pk for call in _calls(user) for bid in bids_visible(user=user, call=call)]
    return Bid.objects.filter(pk__in=ids).order_by("pk")


def _claims(user):
    from claims.selectors.claims import claims_visible_to

    return claims_visible_to(user).order_by("pk")


def _organisations(user):
    from grants.selectors import organisations_visible_to

    return organisations_visible_to(user).order_by("pk")


# (substring of the pattern's name or argument name, queryset of candidates for this user).
# Checked in order: the more specific first.
MODEL_HINTS = [
    ("claim-audit", lambda user: _audits(user)),
    ("impact", _impact_reports),
    ("programme-target", lambda user: _model("grants.ProgrammeTarget")(user).filter(programme__in=_programmes(user))),
    ("target", lambda user: _model("grants.ProgrammeTarget")(user).filter(programme__in=_programmes(user))),
    ("return", _returns),
    ("payment", lambda user: _model("grants.Payment")(user).filter(programme__in=_programmes(user))),
    ("programme", _programmes),
    ("ward", _model("outcomes.Ward")),
    ("priority", _model("outcomes.Priority")),
    ("priorities", _model("outcomes.Priority")),
    ("indicator", _model("outcomes.Indicator")),
    ("measure", _model("outcomes.OutcomeMeasure")),
    ("theme", _model("outcomes.Theme")),
    ("organisation", lambda user: _model("grants.Organisation")(user)),
    ("stream", _model("grants.FundingStream")),
    ("round", _model("commissioning.ReviewRound")),
    ("review", _model("commissioning.ReviewRound")),
    ("commissioning:", _model("commissioning.ReviewRound")),
    ("decision", _model("commissioning.Decision")),
    ("score", _model("commissioning.Score")),
    ("calls:bid-start", _calls),  # a call's "start a bid" page
    ("calls:bid", _bids),
    ("calls:scheme", _calls),  # a call's scoring scheme and lots
    ("bid", _bids),
    ("call", _calls),
    ("question", _model("calls.Clarification")),  # of the call chosen (see resolve_args)
    ("claims-outcome", _programmes),  # a programme's payable outcome's removal (POST only)
    ("claim", _claims),
    ("evidence", lambda user: _model("claims.EvidenceFile")(user).filter(claim__in=_claims(user))),  # of the claim chosen
    ("staff", _organisations),
    ("member", _model("grants.Membership")),  # of the organisation chosen
    ("invitation", _model("grants.StaffInvitation")),  # of the organisation chosen
]  # fmt: skip


# Arguments that are not an object's id, with a value to use.
PLAIN_VALUES = {"fmt": "csv", "year": "2009-10"}  # a financial year as URLs spell it


@dataclass
class Pattern:
    name: str
    route: str
    kwargs: list[str]
    positional: int = 0  # unnamed groups (e.g. django-simple-history's admin views)


@dataclass
class Sweep:
    visited: list[str] = field(default_factory=list)
    not_pages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class NoData(Exception):
    """The model is known but the demo data has no object of it for this user."""


def named_patterns() -> list[Pattern]:
    """Every named URL pattern, with its full route and the arguments it needs (one entry per
    name and argument set; DRF's format-suffix duplicates are dropped)."""
    found: dict[tuple[str, tuple[str, ...]], Pattern] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and entry.name:
                regex = entry.pattern.regex
                kwargs = sorted(set(regex.groupindex) | set(getattr(entry.pattern, "converters", {})))
                if "format" in kwargs:
                    continue
                name = namespace + entry.name
                positional = regex.groups - len(regex.groupindex)
                found.setdefault(
                    (name, tuple(kwargs)), Pattern(name, prefix + str(entry.pattern), kwargs, positional)
                )

    walk(get_resolver(), "", "")
    return list(found.values())


def _admin_model(name: str, actions: str = "change|delete|history|password_change"):
    """admin:<app>_<model>_<action> -> the model class, else None."""
    match = re.match(rf"admin:([a-z0-9_]+?)_([a-z0-9]+)_({actions})$", name)
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def _hint(text: str):
    """The candidates of the MODEL_HINTS key found earliest in `text` (the longer key on a tie)."""
    matches = [(text.find(key), -len(key), i) for i, (key, _) in enumerate(MODEL_HINTS) if key in text]
    return MODEL_HINTS[min(matches)[2]][1] if matches else None


def _first(queryset, what: str):
    obj = queryset.first()
    if obj is None:
        raise NoData(f"no {what} in the demo data for this user")
    return obj


def resolve_args(pattern: Pattern, user) -> tuple[list, dict] | None:
    """Values for the pattern's arguments from the demo data, as this user would reach them;
    None where this sweep does not know what the arguments are. Raises NoData."""
    if pattern.positional:
        model = _admin_model(pattern.name, "simple_history")
        if model is None or pattern.kwargs:
            return None
        record = _first(model.history.order_by("history_id"), f"history of {model.__name__}")
        return [getattr(record, model._meta.pk.attname), record.history_id], {}
    values: dict = {}
    for kwarg in sorted(pattern.kwargs, key=lambda k: k != "pk"):  # the parent (pk) first
        model = _admin_model(pattern.name) if kwarg in ("object_id", "id") else None
        if model is not None:
            obj = _first(model._default_manager.order_by("pk"), model.__name__)
        elif kwarg == "app_label" and pattern.name == "admin:app_list":
            values[kwarg] = "grants"
            continue
        elif kwarg in PLAIN_VALUES:
            values[kwarg] = PLAIN_VALUES[kwarg]
            continue
        else:
            if kwarg in ("pk", "id", "object_id"):
                candidates = _hint(pattern.name)
            elif kwarg.endswith(("_pk", "_id")):
                candidates = _hint(kwarg) or _hint(pattern.name)
            else:
                return None  # not an object's id: needs an entry in PLAIN_VALUES
            if candidates is None:
                return None
            queryset = candidates(user)
            # a child object (e.g. a target) must belong to the programme already chosen
            if "programme_pk" in values and hasattr(queryset.model, "programme_id"):
                queryset = queryset.filter(programme_id=values["programme_pk"])
            # ... a call's question to that call, an organisation's member to that organisation
            for parent, field in (
                ("claim-evidence", "claim_id"),
                ("call", "call_id"),
                ("staff", "organisation_id"),
                ("invitation", "organisation_id"),
            ):
                if (
                    kwarg != "pk"
                    and parent in pattern.name
                    and "pk" in values
                    and hasattr(queryset.model, field)
                ):
                    queryset = queryset.filter(**{field: values["pk"]})
            obj = _first(queryset, queryset.model.__name__)
        values[kwarg] = obj.pk
    return [], values


def pages_for(user) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(name, url) for every page to open as `user`; the names whose arguments this sweep cannot
    work out; and those skipped for want of demo data."""
    pages, unresolved, no_data = [], [], []
    for pattern in named_patterns():
        if pattern.name in EXCLUDED:
            continue
        if pattern.name.startswith("admin:") and not user.is_staff and pattern.name != "admin:index":
            continue  # a non-staff user is sent to the admin sign-in page (seen via admin:index)
        try:
            resolved = resolve_args(pattern, user)
        except NoData as why:
            no_data.append(f"{pattern.name}: {why}")
            continue
        if resolved is None:
            unresolved.append(f"{pattern.name} ({pattern.route})")
            continue
        args, kwargs = resolved
        try:
            pages.append((pattern.name, reverse(pattern.name, args=args or None, kwargs=kwargs or None)))
        except NoReverseMatch:
            unresolved.append(f"{pattern.name} ({pattern.route}): no reverse for {args or kwargs}")
    return pages, unresolved, no_data


INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


class Watcher:
    """Collects console errors, page errors and CSP violations for the page being visited."""

    def __init__(self, page):
        self.page = page
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        text = f"{message.text} ({message.location.get('url', '')})"
        if any(p.search(text) for p in IGNORED_CONSOLE):
            return
        self.messages.append(f"console error: {text}")

    def take(self, expected_status: int) -> list[str]:
        self.page.wait_for_timeout(30)  # violation events are dispatched after the fact
        violations = self.page.evaluate("window.__cspViolations || []")
        found = self.messages + [f"CSP violation: {v}" for v in violations]
        self.messages = []
        if expected_status >= 400:  # the error page itself is logged as a failed load
            found = [m for m in found if f"status of {expected_status}" not in m]
        return found


def sweep(page, base: str, targets: list[tuple[str, str]]) -> Sweep:
    result = Sweep()
    page.context.add_init_script(INIT_SCRIPT)
    watcher = Watcher(page)
    for name, path in targets:
        url = base + path
        probe = page.request.get(
            url, headers={"Accept": ACCEPT_HTML}, max_redirects=0, fail_on_status_code=False
        )
        content_type = probe.headers.get("content-type", "")
        status = probe.status
        if status in (301, 302, 303, 307, 308):
            # follow a redirect only to a page of this site (e.g. a sign-in page)
            target = probe.headers.get("location", "")
            if target.startswith("/") or target.startswith(base):
                result.not_pages.append(f"{name} {path}: redirects to {target}")
            continue
        if status >= 500:
            result.problems.append(f"{name} {path}: server error {status}")
            continue
        if not HTML.match(content_type) or status not in (200, 403, 404):
            result.not_pages.append(f"{name} {path}: {status} {content_type or 'no content type'}")
            continue
        wait = "networkidle" if name == "api-docs" else "load"
        response = page.goto(url, wait_until=wait)
        result.visited.append(f"{name} {path} ({response.status})")
        if "Content-Security-Policy" not in {k.title(): v for k, v in response.headers.items()}:
            result.problems.append(f"{name} {path}: no Content-Security-Policy header")
        for problem in watcher.take(response.status):
            result.problems.append(f"{name} {path}: {problem}")
    return result


def report(role: str, result: Sweep) -> str:
    lines = [f"{role}: {len(result.visited)} pages visited, {len(result.problems)} problems"]
    lines += ["  " + p for p in result.problems]
    return "\n".join(lines)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_under_the_csp_without_console_errors(role, demo_committed, sign_in, live_server):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=role)
    targets, _, no_data = pages_for(user)
    page = sign_in(role)
    result = sweep(page, live_server.url, targets)
    print(report(role, result))
    print("not pages:\n  " + "\n  ".join(result.not_pages))
    print("no demo data:\n  " + "\n  ".join(no_data))
    assert not result.problems, report(role, result)
    visited = " ".join(result.visited)
    for must in ("home ", "programme-list ", "indicator-detail ", "commissioning:rounds ", "api-docs "):
        assert must in visited, f"{must.strip()} was not visited as {role}"
    if user.is_staff:
        assert "admin:index " in visited and "_changelist " in visited


def test_signed_out_pages_render_under_the_csp(demo_committed, page, live_server):
    """The sign-in page, the admin sign-in page, a 404 page and a page that needs sign-in."""
    targets = [
        ("login", reverse("login")),
        ("admin:login", reverse("admin:login")),
        ("404", "/no-such-page/"),
        ("api 404", "/api/no-such-endpoint/"),
        ("home (signed out)", reverse("home")),
    ]
    result = sweep(page, live_server.url, targets)
    assert not result.problems, report("anonymous", result)
    assert [v.split()[0] for v in result.visited] == ["login", "404"]
    # The admin's sign-in redirects to the one sign-in page (allauth); a JSON 404; a redirect to sign-in.
    assert [n.split()[0] for n in result.not_pages] == ["admin:login", "api", "home"]


def test_404_page_renders_for_a_signed_in_user(demo_committed, sign_in, live_server):
    page = sign_in("commissioner")
    result = sweep(
        page, live_server.url, [("404", "/no-such-page/"), ("programme 404", "/programmes/999999/")]
    )
    assert not result.problems, report("commissioner", result)
    assert [v.endswith("(404)") for v in result.visited] == [True, True]


@pytest.mark.django_db  # no browser, no live server: the shared demo data will do
def test_every_named_page_is_covered(demo):
    """Each named pattern is visited or excluded with a reason: a new page whose arguments this
    sweep cannot fill in fails here (add a MODEL_HINTS entry, or an EXCLUDED reason)."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    _, unresolved, _ = pages_for(admin)
    assert not unresolved, "Pages the CSP sweep cannot reach:\n" + "\n".join(unresolved)
    names = {p.name for p in named_patterns()}
    stale = sorted(set(EXCLUDED) - names)
    assert not stale, f"EXCLUDED names no longer in the URLconf: {stale}"
