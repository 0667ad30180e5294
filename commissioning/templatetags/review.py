"""Template tags that let grants' programme page show review decisions without grants importing
commissioning (templates may draw on any app; Python imports keep to the layering)."""

from django import template

from commissioning.models import Decision

register = template.Library()


@register.simple_tag
def programme_decisions(programme) -> list[Decision]:
    """Every review round's decision on a programme, newest first."""
    return list(
        Decision.objects.filter(programme=programme)
        .select_related("review_round", "decided_by")
        .order_by("-decided_at")
    )
