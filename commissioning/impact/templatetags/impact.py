"""Template filters for impact pages: a count of people, suppressed under 5 as in the reports."""

from django import template

from commissioning.impact.presentation import count_text

register = template.Library()


@register.filter
def people(n: int) -> str:
    """1234 -> "1,234"; under 5 -> "fewer than 5"."""
    return count_text(int(n or 0))
