"""The service navigation: every section of the web app, who may use it, and which one is current.

One list for the whole site (templates/base.html draws it through the `service_navigation`
context processor). A section is shown only to a user its permission rule allows, so nobody is
offered a link that ends in "Not allowed". A new page joins a section by its path; a new
section is a new `Section` here, with the permission its pages `require`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from audit.permissions import Action as AuditAction
from audit.permissions import has_permission as audit_permission
from commissioning.permissions import Action as CommissioningAction
from commissioning.permissions import has_permission as commissioning_permission
from grants.permissions import Action as GrantsAction
from grants.permissions import has_permission as grants_permission
from outcomes.permissions import Action as OutcomesAction
from outcomes.permissions import has_permission as outcomes_permission

Allowed = Callable[[object], bool]


def everyone(user) -> bool:
    return True


def _grants(action: str) -> Allowed:
    return lambda user: grants_permission(action, user).allowed


def _commissioning(action: str) -> Allowed:
    return lambda user: commissioning_permission(action, user).allowed


def _outcomes(action: str) -> Allowed:
    return lambda user: outcomes_permission(action, user).allowed


def _audit(action: str) -> Allowed:
    return lambda user: audit_permission(action, user).allowed


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    # Paths (prefixes) whose pages belong to the section; the longest match is the current one.
    paths: tuple[str, ...]
    allowed: Allowed = everyone


SECTIONS: tuple[Section, ...] = (
    Section("Home", "home", ("/", "/priorities/")),
    Section("Programmes", "programme-list", ("/programmes/",)),
    Section("Returns", "returns", ("/returns/",)),
    Section("Verify returns", "returns-queue", ("/returns/queue/",), _grants(GrantsAction.RETURN_REVIEW)),
    Section(
        "Reviews", "commissioning:rounds", ("/review/",), _commissioning(CommissioningAction.SCORES_SEE_ALL)
    ),
    Section(
        "Funding reviews",
        "funding-reviews:hub",
        ("/funding-reviews/",),
        _commissioning(CommissioningAction.FUNDING_REVIEW_GENERATE),
    ),
    Section("Calls", "calls:list", ("/calls/",)),
    Section("Impact", "impact:reports", ("/impact/",)),
    Section("Claims", "claims-ledger", ("/claims/",)),
    Section("Indicators", "indicator-list", ("/indicators/",)),
    Section("Budgets", "finance-budgets", ("/finance/budgets/",), _grants(GrantsAction.BUDGET_VIEW)),
    Section("Payments", "finance-payments", ("/finance/payments/", "/finance/programmes/")),
    Section("Plan", "framework", ("/plan/",), _outcomes(OutcomesAction.FRAMEWORK_VIEW)),
    Section("Audit log", "audit-log", ("/audit/",), _audit(AuditAction.AUDIT_VIEW)),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


def _matches(path: str, prefix: str) -> bool:
    return path == prefix if prefix == "/" else path.startswith(prefix)


def current_section(path: str, sections: tuple[Section, ...] = SECTIONS) -> Section | None:
    """The section whose longest path prefix matches `path` (Home only for "/" and priorities)."""
    best: tuple[int, Section] | None = None
    for section in sections:
        for prefix in section.paths:
            if _matches(path, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), section)
    return best[1] if best else None


def sections_for(user) -> list[Section]:
    """The sections a signed-in user may use, in menu order (none for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [s for s in SECTIONS if s.allowed(user)]


def nav_items(user, path: str) -> list[NavItem]:
    current = current_section(path)
    items = []
    for section in sections_for(user):
        try:
            href = reverse(section.url_name)
        except NoReverseMatch:  # a section whose pages are not installed in this build
            continue
        items.append(NavItem(section.label, href, section is current))
    return items


def service_navigation(request: HttpRequest) -> dict:
    """Context processor: `service_nav`, the menu for this request's user and page."""
    return {"service_nav": nav_items(getattr(request, "user", None), request.path)}
