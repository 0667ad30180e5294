"""Reads of a programme's change history (its own rows and its targets', priorities' and returns')."""

from grants.models import (
    Programme,
)


def programme_history(programme: Programme, limit: int = 50) -> list:
    """Recorded changes to the programme and its targets, newest first, with what changed."""
    entries = []
    records = list(programme.history.select_related("history_user").order_by("-history_date")[:limit])
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["updated_at", "created_at"])
            changes = [f"{c.field}: {c.old} → {c.new}" for c in delta.changes]
            if not changes and newer.history_type == "~":
                continue  # a save that changed nothing (e.g. re-running the demo loader)
        entries.append({"record": newer, "what": "Programme", "changes": changes})
    return entries
