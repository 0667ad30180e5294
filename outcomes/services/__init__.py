"""Writes for the outcome framework: priorities, themes and wards.

Each service takes the acting user, checks permission (outcomes.permissions), checks the rule
under the lock of the row it depends on (the plan for a priority, the partnership for a theme or
a ward, so that two people adding the same name at once cannot both pass), runs in a
transaction, records history with the user and raises a core.errors domain error. The web pages
and the admin call these same functions."""

from outcomes.services.framework import (
    DUPLICATE_PRIORITY,
    DUPLICATE_THEME,
    DUPLICATE_WARD,
    DUPLICATE_WARD_CODE,
    NAME_REQUIRED,
    priority_create,
    priority_update,
    theme_create,
    theme_update,
    ward_create,
    ward_update,
)

__all__ = [
    "DUPLICATE_PRIORITY",
    "DUPLICATE_THEME",
    "DUPLICATE_WARD",
    "DUPLICATE_WARD_CODE",
    "NAME_REQUIRED",
    "priority_create",
    "priority_update",
    "theme_create",
    "theme_update",
    "ward_create",
    "ward_update",
]
