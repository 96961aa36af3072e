"""The change digest of one sync run: which notes and actions were added, changed or removed, per
workshop; and every action's Status as the run read it. Pure: a Plan and the Planning in, JSON out.

It is stored in the run's details (key "changes"), so `backbone runs --changes N`, the web page's run
view, the e-mail digest and the follow-up report all read what the run actually did, never a guess.
The statuses let a later report tell which Status a person changed since a given run.
"""
from __future__ import annotations

from typing import Any

from sync.core.model import Planning
from sync.core.sheet.plan import Plan
from sync.core.sheet.tabs import ACTIONS, IDEAS, find_tab
from sync.core.text import one_line

KINDS = ("notes_added", "notes_changed", "notes_removed", "actions_added", "actions_changed")
LIMIT = 100  # entries kept per kind and workshop; the count says how many there were


def _schema_key(tab_title: str) -> str | None:
    for schema in (IDEAS, ACTIONS):
        if find_tab(schema, [tab_title]):
            return schema.key
    return None


def change_digest(plan: Plan, planning: Planning) -> dict[str, Any]:
    """{"workshops": {ID: {kind: {"count": n, "entries": [{id, text, fields?}]}}}, "statuses": {ID: Status}}."""
    ideas = planning.ideas
    actions = {a.id: a for a in planning.actions}

    def workshop_of(key: str, row_id: str) -> str:
        found = plan.base.get((key, row_id, "workshop"))
        if found is None:
            found = ideas.get(row_id, {}).get("workshop", "") if key == "ideas" else getattr(actions.get(row_id), "workshop", "")
        return found or "?"

    def text_of(key: str, row_id: str, tab: str) -> str:
        text = plan.labels.get((tab, row_id)) or (ideas.get(row_id, {}).get("text", "") if key == "ideas"
                                                 else getattr(actions.get(row_id), "title", ""))
        return one_line(text, 120)

    workshops: dict[str, dict[str, Any]] = {}

    def add(kind: str, key: str, tab: str, row_id: str, fields: list[dict[str, str]] | None = None) -> None:
        bucket = workshops.setdefault(workshop_of(key, row_id), {}).setdefault(kind, {"count": 0, "entries": []})
        bucket["count"] += 1
        if len(bucket["entries"]) < LIMIT:
            entry: dict[str, object] = {"id": row_id, "text": text_of(key, row_id, tab)}
            if fields is not None:
                entry["fields"] = fields
            bucket["entries"].append(entry)

    new, removed = set(plan.new_rows), set(plan.removed_rows)
    for tab, row_id in plan.new_rows:
        key = _schema_key(tab)
        if key:
            add("notes_added" if key == "ideas" else "actions_added", key, tab, row_id)
    for tab, row_id in plan.removed_rows:
        if _schema_key(tab) == "ideas":
            add("notes_removed", "ideas", tab, row_id)
    fields_by_row: dict[tuple[str, str], list[dict[str, str]]] = {}
    for change in plan.changes:
        row = (change.tab, change.row_id)
        if row in new or row in removed or row not in plan.changed_rows:
            continue
        fields_by_row.setdefault(row, []).append(
            {"column": change.column, "old": one_line(change.old, 120), "new": one_line(change.new, 120)})
    for (tab, row_id), fields in fields_by_row.items():
        key = _schema_key(tab)
        if key:
            add("notes_changed" if key == "ideas" else "actions_changed", key, tab, row_id, fields)
    return {"workshops": workshops, "statuses": {a.id: a.status for a in planning.actions if a.id}}


def digest_lines(changes: dict[str, Any], labels: dict[str, str]) -> list[str]:
    """The digest as plain lines, per workshop; `labels` names the kinds in the reader's language."""
    lines = []
    for workshop, kinds in sorted(changes.get("workshops", {}).items()):
        lines.append(f"{workshop}:")
        for kind in KINDS:
            bucket = kinds.get(kind)
            if not bucket:
                continue
            lines.append(f"  {labels[kind]}: {bucket['count']}")
            for entry in bucket["entries"]:
                lines.append(f"    {entry['id']}: {entry['text']}")
                for field in entry.get("fields", ()):
                    lines.append(f"      {field['column']}: {field['old']!r} -> {field['new']!r}")
            if bucket["count"] > len(bucket["entries"]):
                lines.append(f"    … {bucket['count'] - len(bucket['entries'])}")
    return lines
