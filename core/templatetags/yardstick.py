"""Template filters: money, numbers and percentages (core.formatting), and two small helpers."""

from decimal import InvalidOperation

from django import template

from core import formatting

register = template.Library()


@register.filter
def gbp(value, pence: bool = False) -> str:
    try:
        return formatting.gbp(value, pence=bool(pence))
    except (InvalidOperation, TypeError, ValueError):
        return formatting.DASH


@register.filter
def percent(value, places: int = 0) -> str:
    try:
        return formatting.percent(value, int(places))
    except (InvalidOperation, TypeError, ValueError):
        return formatting.DASH


@register.filter
def number(value, places: int = 0) -> str:
    try:
        return formatting.number(value, int(places))
    except (InvalidOperation, TypeError, ValueError):
        return formatting.DASH


@register.filter
def get(mapping, key):
    """mapping|get:key, for dictionaries keyed by variables."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split_pairs(text: str) -> list[tuple[str, str]]:
    """ "a:A,b:B" → [("a", "A"), ("b", "B")], for small fixed option lists in templates."""
    return [tuple(part.split(":", 1)) for part in text.split(",")]
