"""The web form for a draft call's scoring scheme and lots: its rows as the page shows them (from
the call, or as posted when the form comes back with errors), and the posted rows read into the
inputs call_update takes. Only the shape is checked here; the services decide (weights sum to
100, six descriptors, budgets, measures, the scheme fixed once open)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import QueryDict

from .models import Call, Criterion
from .services import CriterionInput, LotInput

SCALE_POINTS = 6
BLANK_CRITERIA = 1  # empty rows offered to add a criterion, a lot, a measure to a lot
BLANK_LOTS = 1
BLANK_MEASURES = 1
SCHEME_FIELDS = ("quality_weight", "price_weight", "social_value_weight", "quality_threshold", "price_method")


def rows_from_call(call: Call) -> dict:
    """The form's values from the saved call, with blank rows to add to."""
    criteria = [
        {
            "name": c.name,
            "weight": str(c.weight),
            "guidance": c.guidance,
            "kind": c.kind,
            "descriptors": list(c.descriptors) + [""] * (SCALE_POINTS - len(c.descriptors)),
        }  # fmt: skip
        for c in call.criteria.order_by("kind", "order", "id")
    ]
    lots = [
        {
            "number": str(lot.number),
            "title": lot.title,
            "budget": f"{lot.budget:.2f}",
            "description": lot.description,
            "measures": [
                {"measure": str(link.measure_id), "minimum": f"{link.minimum_volume.normalize():f}"}
                for link in lot.lot_measures.all()
            ],
        }  # fmt: skip
        for lot in call.lots.prefetch_related("lot_measures").order_by("number")
    ]
    values = {name: str(getattr(call, name)) for name in SCHEME_FIELDS}
    values["quality_threshold"] = f"{call.quality_threshold.normalize():f}"
    return _with_blanks(
        {
            "values": values,
            "criteria": criteria,
            "lots": lots,
            "eligibility": "\n".join(q.text for q in call.eligibility_questions.all()),
        }  # fmt: skip
    )


def rows_from_post(post: QueryDict) -> dict:
    """The form's values as posted (shown again when the services refuse them)."""
    criteria = []
    for i in range(_count(post, "criteria-count")):
        row = {
            "name": post.get(f"criterion-{i}-name", "").strip(),
            "weight": post.get(f"criterion-{i}-weight", "").strip(),
            "guidance": post.get(f"criterion-{i}-guidance", "").strip(),
            "kind": post.get(f"criterion-{i}-kind", Criterion.Kind.QUALITY),
            "descriptors": [post.get(f"criterion-{i}-d{n}", "").strip() for n in range(SCALE_POINTS)],
        }
        if row["name"] or row["weight"] or any(row["descriptors"]):
            criteria.append(row)
    lots = []
    for i in range(_count(post, "lots-count")):
        measures = [
            {
                "measure": post.get(f"lot-{i}-measure-{j}", "").strip(),
                "minimum": post.get(f"lot-{i}-minimum-{j}", "").strip(),
            }
            for j in range(_count(post, f"lot-{i}-measures-count"))
        ]
        row = {
            "number": post.get(f"lot-{i}-number", "").strip(),
            "title": post.get(f"lot-{i}-title", "").strip(),
            "budget": post.get(f"lot-{i}-budget", "").strip(),
            "description": post.get(f"lot-{i}-description", "").strip(),
            "measures": [m for m in measures if m["measure"]],
        }
        if row["title"] or row["budget"] or row["measures"]:
            lots.append(row)
    values = {name: post.get(name, "").strip() for name in SCHEME_FIELDS}
    return _with_blanks(
        {"values": values, "criteria": criteria, "lots": lots, "eligibility": post.get("eligibility", "")}
    )


def scheme_inputs(rows: dict, errors: dict) -> dict:
    """The rows as call_update's arguments; a value that is not a number is an error here."""
    values = rows["values"]
    fields = {
        name: _whole(values[name], label, "weights", errors)
        for name, label in (
            ("quality_weight", "Quality weight"),
            ("price_weight", "Price weight"),
            ("social_value_weight", "Social value weight"),
        )
    }
    fields["quality_threshold"] = _number(
        values["quality_threshold"], "Quality threshold", "quality_threshold", errors
    )
    fields["price_method"] = values["price_method"]
    criteria = [
        CriterionInput(
            name=row["name"],
            weight=_whole(row["weight"], row["name"] or "A criterion", "criteria", errors) or 0,
            descriptors=row["descriptors"],
            guidance=row["guidance"],
            kind=row["kind"],
        )  # fmt: skip
        for row in rows["criteria"]
        if not row.get("blank")
        and not (row["kind"] == Criterion.Kind.SOCIAL_VALUE and fields["social_value_weight"] == 0)
    ]
    lots = []
    for row in rows["lots"]:
        if row.get("blank"):
            continue
        label = f"Lot {row['number'] or '?'}"
        measures = [
            (
                _whole(m["measure"], label, "lots", errors) or 0,
                _number(m["minimum"] or "0", label, "lots", errors),
            )
            for m in row["measures"]
            if m["measure"]
        ]
        lots.append(
            LotInput(
                number=_whole(row["number"], label, "lots", errors) or 0,
                title=row["title"],
                budget=_number(row["budget"], f"{label} budget", "lots", errors),
                description=row["description"],
                measures=measures,
            )  # fmt: skip
        )
    eligibility = [line.strip() for line in rows["eligibility"].splitlines() if line.strip()]
    return {"fields": fields, "criteria": criteria, "lots": lots, "eligibility": eligibility}


def _with_blanks(rows: dict) -> dict:
    blank_criterion = {"name": "", "weight": "", "guidance": "", "kind": Criterion.Kind.QUALITY,
                       "descriptors": [""] * SCALE_POINTS, "blank": True}  # fmt: skip
    rows["criteria"] = rows["criteria"] + [dict(blank_criterion) for _ in range(BLANK_CRITERIA)]
    blank_measure = {"measure": "", "minimum": ""}
    next_number = max((int(r["number"]) for r in rows["lots"] if r["number"].isdigit()), default=0) + 1
    for lot in rows["lots"]:
        lot["measures"] = lot["measures"] + [dict(blank_measure) for _ in range(BLANK_MEASURES)]
    rows["lots"] = rows["lots"] + [
        {
            "number": str(next_number + n),
            "title": "",
            "budget": "",
            "description": "",
            "blank": True,
            "measures": [dict(blank_measure) for _ in range(BLANK_MEASURES)],
        }  # fmt: skip
        for n in range(BLANK_LOTS)
    ]
    return rows


def _count(post: QueryDict, name: str) -> int:
    try:
        return max(0, min(int(post.get(name, "0")), 100))
    except ValueError:
        return 0


def _whole(text: str, label: str, field: str, errors: dict) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(f"{label}: “{text}” is not a whole number.")
        return None


def _number(text: str, label: str, field: str, errors: dict) -> Decimal | None:
    try:
        value = Decimal((text or "").replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        errors.setdefault(field, []).append(f"{label}: “{text}” is not a number.")
        return None
    if not value.is_finite():
        errors.setdefault(field, []).append(f"{label}: “{text}” is not a number.")
        return None
    return value
