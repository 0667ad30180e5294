"""Reading a bulk request body: a JSON list, each item parsed on its own so every item's input
errors are reported by its index alongside the service's own checks (all or nothing)."""

from collections.abc import Callable
from typing import TypeVar

from core.errors import ValidationFailed

Item = TypeVar("Item")


def parse_bulk(
    data, parse: Callable[[object], Item], *, noun: str, limit: int
) -> tuple[list[Item | None], dict[int, dict]]:
    """The parsed items (None where an item failed) and each failed item's errors by index."""
    if not isinstance(data, list):
        raise ValidationFailed(f"Send a JSON list of {noun}.")
    if len(data) > limit:
        raise ValidationFailed(f"Send at most {limit:,} {noun} at once.")
    items: list[Item | None] = []
    errors: dict[int, dict] = {}
    for index, raw in enumerate(data):
        try:
            items.append(parse(raw))
        except ValidationFailed as exc:
            items.append(None)
            errors[index] = exc.errors
    return items, errors


def validated(serializer_class, raw, *, noun: str) -> dict:
    """One item's validated data, or its field errors as a ValidationFailed."""
    if not isinstance(raw, dict):
        raise ValidationFailed(f"Each {noun} must be a JSON object.")
    serializer = serializer_class(data=raw)
    if not serializer.is_valid():
        raise ValidationFailed({k: [str(m) for m in v] for k, v in serializer.errors.items()})
    return serializer.validated_data
