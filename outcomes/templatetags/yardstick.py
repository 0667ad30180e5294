"""Template filters: money, periods and percentages."""

from decimal import Decimal, InvalidOperation

from django import template

from outcomes.money import gbp as format_gbp
from outcomes.periods import quarter_months

register = template.Library()


@register.filter
def gbp(value, pence: bool = False) -> str:
    try:
        return format_gbp(value, pence=bool(pence))
    except (InvalidOperation, TypeError, ValueError):
        return "–"


@register.filter
def percent(value, places: int = 0) -> str:
    if value is None or value == "":
        return "–"
    try:
        return f"{Decimal(str(value)) * 100:.{int(places)}f}%"
    except (InvalidOperation, TypeError, ValueError):
        return "–"


@register.filter
def number(value, places: int = 0) -> str:
    if value is None or value == "":
        return "–"
    try:
        return f"{Decimal(str(value)):,.{int(places)}f}"
    except (InvalidOperation, TypeError, ValueError):
        return "–"


@register.filter
def months(quarter: int) -> str:
    return quarter_months(int(quarter))


@register.filter
def get(mapping, key):
    """mapping|get:key, for dictionaries keyed by variables."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split_pairs(text: str) -> list[tuple[str, str]]:
    """ "a:A,b:B" → [("a", "A"), ("b", "B")], for small fixed option lists in templates."""
    return [tuple(part.split(":", 1)) for part in text.split(",")]
