"""The export format every board source gives (the port itself, BoardSource, is in sync/ports.py).

An export is what MURAL's widgets endpoint returns, saved to a file: one response
`{"value": [...], "next": ...}`, a list of such pages, or a bare list of widgets. A pulled
export may carry the mural's metadata and tags beside `value`:
`{"value": [...], "mural": {"id", "title", "updatedOn"}, "tags": [{"id", "text"}],
"votingSessions": [{"id", "title", "results": [{"widgetId", "totalVotes", "uniqueVoters"}]}]}`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sync.core.model import MURAL


@dataclass(frozen=True)
class BoardExport:
    id: str  # the mural id, "workspace.1234567890"
    widgets: tuple[dict[str, Any], ...]
    title: str = ""
    updated: int | None = None  # the mural's updatedOn, epoch ms
    tags: dict[str, str] = field(default_factory=dict)  # tag id -> tag text
    voting_sessions: tuple[dict[str, Any], ...] = ()  # as listed by MURAL (oldest first), each with its `results`
    voting_choice: str = "newest"  # BACKBONE_MURAL_VOTING_SESSION, set by the source
    vendor: str = MURAL  # MIRO for a Miro export (sync/core/board/miro.py), whose cards are actions

    def votes(self, choice: str | None = None) -> dict[str, int] | None:
        """Widget id -> votes in the chosen session; None when the board has no (such) voting session."""
        return chosen_votes(self.voting_sessions, choice or self.voting_choice)


def chosen_votes(sessions: tuple[dict[str, Any], ...] | list[dict[str, Any]], choice: str = "newest") -> dict[str, int] | None:
    """`choice`: "newest" (the default; the last listed, or the latest `createdOn` when sessions carry one),
    "all" (the sum over every session), or a session's id or title."""
    if not sessions:
        return None
    wanted = " ".join(str(choice or "newest").split()).casefold()
    if wanted == "all":
        picked = list(sessions)
    elif wanted == "newest":
        ordered = sorted(enumerate(sessions), key=lambda p: (_when(p[1]), p[0]))  # list order breaks ties
        picked = [ordered[-1][1]]
    else:
        picked = [s for s in sessions if wanted in (str(s.get("id", "")).casefold(), " ".join(str(s.get("title", "")).split()).casefold())]
        if not picked:
            return None
    votes: dict[str, int] = {}
    for session in picked:
        for result in session.get("results") or ():
            if isinstance(result, dict) and isinstance(result.get("widgetId"), str):
                count = result.get("totalVotes")
                if isinstance(count, (int, float)) and not isinstance(count, bool) and 0 < count < 1e9:  # finite, a real tally
                    votes[result["widgetId"]] = votes.get(result["widgetId"], 0) + int(count)
    return votes


def _when(session: dict[str, Any]) -> float:
    for key in ("createdOn", "startedOn", "updatedOn"):
        value = session.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return 0.0


def saved_widget_count(export_json: object) -> int:
    """How many widgets a saved export holds: a MURAL export's `value`, a Miro export's `items` (`backbone mural|miro
    history` shows it)."""
    if not isinstance(export_json, dict):
        return 0
    found = export_json.get("items" if isinstance(export_json.get("miro"), dict) else "value")
    return len(found) if isinstance(found, list) else 0
