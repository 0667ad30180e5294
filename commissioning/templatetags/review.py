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


@register.inclusion_tag("commissioning/_sensitivity.html")
def tornado(lines, caption: str) -> dict:
    """The sensitivity table with a bar per assumption: from its low to its high BCR on one scale
    shared by every bar, the central BCR marked. `lines`: dicts or SensitivityLines with bcr_low,
    bcr_high, central, label. The figures are the table's own cells; the bars repeat them."""
    rows = [line if isinstance(line, dict) else vars(line) for line in lines or []]
    ends = [v for r in rows for v in (r["bcr_low"], r["bcr_high"], r["central"]) if v is not None]
    low, high = (min(ends), max(ends)) if ends else (0.0, 1.0)
    span = (high - low) or 1.0
    bars = []
    for r in rows:
        left = min(r["bcr_low"], r["bcr_high"])
        right = max(r["bcr_low"], r["bcr_high"])
        bars.append(
            {
                **r,
                "left": round((left - low) / span * 100, 1),
                "width": max(round((right - left) / span * 100, 1), 0.5),
                "central_at": round(((r["central"] or 0) - low) / span * 100, 1),
            }
        )
    return {"rows": bars, "caption": caption, "scale_low": low, "scale_high": high}


@register.inclusion_tag("commissioning/_who_benefits.html")
def who_benefits(lines, caption: str, fiscal_return=None) -> dict:
    """Fiscal benefit by agency (dicts or AgencyLines), transfers apart."""
    rows = [line if isinstance(line, dict) else vars(line) for line in lines or []]
    return {"rows": rows, "caption": caption, "fiscal_return": fiscal_return}
