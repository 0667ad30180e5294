"""Create and change priorities, themes and wards (see the package's docstring for the rules
every service here keeps)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils.text import slugify

from core.db.writes import save_with_history, validate
from core.errors import ValidationFailed
from outcomes.models import Partnership, Plan, Priority, Theme, Ward
from outcomes.permissions import Action, require

# Refusals a person acts on, shown as they are by the web pages and the admin.
NAME_REQUIRED = "Enter a name."
DUPLICATE_PRIORITY = "{plan} already has a priority called “{name}”."
DUPLICATE_THEME = "There is already a theme called “{name}”."
DUPLICATE_WARD = "There is already a ward called “{name}”."
DUPLICATE_WARD_CODE = "The ward code {code} is already used by {ward}."


# --- priorities -------------------------------------------------------------------------------


def priority_create(
    *, user, plan: Plan, name: str, description: str = "", order: int | None = None
) -> Priority:
    """A new priority of `plan`, listed last unless `order` says where."""
    require(user, Action.FRAMEWORK_CHANGE)
    name = _name(name)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        siblings = Priority.objects.filter(plan=plan)
        _check_unique(siblings, name, DUPLICATE_PRIORITY.format(plan=plan, name=name))
        if order is None:
            order = (siblings.aggregate(last=Max("order"))["last"] or 0) + 1
        priority = Priority(
            plan=plan, name=name, slug=_free_slug(siblings, name), order=order, description=description
        )
        validate(priority)
        save_with_history(priority, user)
        return priority


def priority_update(
    *, user, priority: Priority, name: str, description: str = "", order: int | None = None
) -> Priority:
    """Change a priority's name, description or order. Its slug (in its page's address) stays."""
    require(user, Action.FRAMEWORK_CHANGE)
    name = _name(name)
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=priority.plan_id).first()
        priority = Priority.objects.select_for_update().select_related("plan").get(pk=priority.pk)
        siblings = Priority.objects.filter(plan_id=priority.plan_id).exclude(pk=priority.pk)
        _check_unique(siblings, name, DUPLICATE_PRIORITY.format(plan=priority.plan, name=name))
        priority.name, priority.description = name, description
        if order is not None:
            priority.order = order
        validate(priority)
        save_with_history(priority, user)
        return priority


# --- themes -----------------------------------------------------------------------------------


def theme_create(*, user, partnership: Partnership, name: str, description: str = "") -> Theme:
    require(user, Action.FRAMEWORK_CHANGE)
    name = _name(name)
    with transaction.atomic():
        partnership = _lock_partnership(partnership.pk)
        others = Theme.objects.filter(partnership=partnership)
        _check_unique(others, name, DUPLICATE_THEME.format(name=name))
        theme = Theme(
            partnership=partnership, name=name, slug=_free_slug(others, name), description=description
        )
        validate(theme)
        save_with_history(theme, user)
        return theme


def theme_update(*, user, theme: Theme, name: str, description: str = "") -> Theme:
    require(user, Action.FRAMEWORK_CHANGE)
    name = _name(name)
    with transaction.atomic():
        _lock_partnership(theme.partnership_id)
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        others = Theme.objects.filter(partnership_id=theme.partnership_id).exclude(pk=theme.pk)
        _check_unique(others, name, DUPLICATE_THEME.format(name=name))
        theme.name, theme.description = name, description
        validate(theme)
        save_with_history(theme, user)
        return theme


# --- wards ------------------------------------------------------------------------------------


def ward_create(*, user, partnership: Partnership, name: str, code: str = "") -> Ward:
    require(user, Action.FRAMEWORK_CHANGE)
    name, code = _name(name), code.strip().upper()
    with transaction.atomic():
        partnership = _lock_partnership(partnership.pk)
        _check_ward(Ward.objects.filter(partnership=partnership), name, code)
        ward = Ward(partnership=partnership, name=name, code=code)
        validate(ward)
        save_with_history(ward, user)
        return ward


def ward_update(*, user, ward: Ward, name: str, code: str = "") -> Ward:
    require(user, Action.FRAMEWORK_CHANGE)
    name, code = _name(name), code.strip().upper()
    with transaction.atomic():
        _lock_partnership(ward.partnership_id)
        ward = Ward.objects.select_for_update().get(pk=ward.pk)
        _check_ward(Ward.objects.filter(partnership_id=ward.partnership_id).exclude(pk=ward.pk), name, code)
        ward.name, ward.code = name, code
        validate(ward)
        save_with_history(ward, user)
        return ward


# --- shared checks ----------------------------------------------------------------------------


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed({"name": [NAME_REQUIRED]})
    return name


def _lock_partnership(pk: int) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=pk)


def _check_unique(others: QuerySet, name: str, message: str) -> None:
    """Names are compared as people read them: without regard to case."""
    if others.filter(name__iexact=name).exists():
        raise ValidationFailed({"name": [message]})


def _check_ward(others: QuerySet[Ward], name: str, code: str) -> None:
    _check_unique(others, name, DUPLICATE_WARD.format(name=name))
    if code and (holder := others.filter(code=code).first()) is not None:
        raise ValidationFailed({"code": [DUPLICATE_WARD_CODE.format(code=code, ward=holder.name)]})


def _free_slug(others: QuerySet[Model], name: str) -> str:
    """A slug for `name` that none of `others` has: "drugs-and-alcohol", else "...-2" and so on."""
    base = slugify(name)[:45] or "item"
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
