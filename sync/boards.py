"""The port for board sources, and the export format they share.

An export is what MURAL's widgets endpoint returns, saved to a file: one response
`{"value": [...], "next": ...}`, a list of such pages, or a bare list of widgets. A pulled
export may carry the mural's metadata and tags beside `value`:
`{"value": [...], "mural": {"id", "title", "updatedOn"}, "tags": [{"id", "text"}]}`.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BoardExport:
    id: str  # the mural id, "workspace.1234567890"
    widgets: tuple[dict, ...]
    title: str = ""
    updated: int | None = None  # the mural's updatedOn, epoch ms
    tags: dict[str, str] = field(default_factory=dict)  # tag id -> tag text


class BoardSource(ABC):
    """Where boards come from: a folder of saved exports, or the live MURAL API."""

    @abstractmethod
    def fetch(self, board_ref: str) -> BoardExport:
        """The board a sheet's `Mural` cell names (an id or a MURAL URL)."""
