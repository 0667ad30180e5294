"""Template tags that let grants' programme page show review decisions without grants importing
commissioning (templates may draw on any app; Python imports keep to the layering)."""

from django import template

from commissioning import vfm
from commissioning.models import Decision
from commissioning.selectors import decisions_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_decisions(context, programme) -> list[Decision]:
    """Every review round's decision on a programme that the signed-in person may read (providers:
    closed rounds only), newest first."""
    decisions = Decision.objects.filter(programme=programme).select_related("review_round", "decided_by")
    return list(decisions_visible_to(context["request"].user, decisions).order_by("-decided_at"))


@register.filter
def flag_label(flag: str) -> str:
    """A value-for-money flag in words (commissioning.vfm.FLAG_LABELS)."""
    return vfm.flag_label(flag)


@register.inclusion_tag("commissioning/_composite.html")
def composite(row: dict | None) -> dict:
    """A row's composite score, marked when it is from some of the criteria only:
    "69.1 (2 of 5 criteria)"; "not scored" when nobody has scored it."""
    return {"row": row or {}}
