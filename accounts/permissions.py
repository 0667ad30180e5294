"""The shape every app's permissions take: a decision with its reason, and one way to enforce it.

Each app's permissions.py names its actions (an Action enum) and maps each to a rule: a predicate
`(user, obj) -> Verdict` and the domain error a refusal raises (NotPermitted, 403; or NotFound,
404, where the question is whether the user may see an object at all, so that another
organisation's objects are not found rather than forbidden). Views, the API and services ask
`has_permission(action, user, obj)` or call `require(user, action, obj)`; nothing else reads roles
to decide.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from core.errors import DomainError, NotFound, NotPermitted


class Verdict(NamedTuple):
    """A permission decision: whether the action is allowed and, if not, why (words a person can
    act on). A tuple, so `allowed, reason = has_permission(...)` reads as Hypha's does."""

    allowed: bool
    reason: str = ""


ALLOWED = Verdict(True, "")


def deny(reason: str) -> Verdict:
    return Verdict(False, reason)


def allow_if(condition: bool, reason: str) -> Verdict:
    return ALLOWED if condition else deny(reason)


@dataclass(frozen=True)
class Rule:
    """How one action is decided, and what a refusal raises."""

    check: Callable[[Any, Any], Verdict]
    refusal: type[DomainError] = NotPermitted


class Rules:
    """An app's actions and their rules; each app exposes its instance's has_permission and
    require as module-level functions."""

    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self._rules = dict(rules)

    def actions(self) -> list[str]:
        return list(self._rules)

    def has_permission(self, action: str, user, obj=None) -> Verdict:
        try:
            rule = self._rules[action]
        except KeyError:
            raise LookupError(f"No permission rule for the action {action!r}.") from None
        return rule.check(user, obj)

    def get_visible(self, queryset, *, user, pk, action: str, missing: str):
        """The object `pk` of `queryset` if the user may see it (`action`'s rule says); NotFound
        with `missing` when there is none, the rule's refusal when it is not the user's to see.
        The body of every `<thing>_get_visible` selector."""
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise NotFound(missing)
        self.require(user, action, obj)
        return obj

    def require(self, user, action: str, obj=None, *, field: str | None = None) -> None:
        """Raise the action's refusal (NotPermitted or NotFound) with its reason, unless allowed;
        `field` names the input the refusal concerns (the programme a payment names, say)."""
        allowed, reason = self.has_permission(action, user, obj)
        if not allowed:
            raise self._rules[action].refusal(reason, field=field)
