"""Board sources: the live MURAL API (with an optional snapshot archive) and a folder of saved exports."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from ..boards import BoardExport, BoardSource
from ..errors import NotFoundError
from .archive import SnapshotArchive
from .client import MuralClient
from .export import export_from_json, export_to_json, load_export_file
from .http import MuralNotFoundError
from .refs import mural_id_from_ref

__all__ = ["MuralBoardSource", "FileBoardSource", "export_to_json", "export_from_json"]

log = logging.getLogger("sync.mural")


class MuralBoardSource(BoardSource):
    """Boards read live. With an archive, a board whose `updatedOn` has not moved is served from its last snapshot."""

    def __init__(self, client: MuralClient, archive: SnapshotArchive | None = None, now: Callable[[], float] = time.time):
        self.client, self.archive, self.now = client, archive, now
        self.reused_snapshot = False  # whether the last fetch came from the archive (for summaries)

    def fetch(self, board_ref: str) -> BoardExport:
        mural_id = mural_id_from_ref(board_ref)
        meta = self.client.mural(mural_id)
        updated = meta.get("updatedOn") if isinstance(meta.get("updatedOn"), int) else None
        title = str(meta.get("title") or "")
        self.reused_snapshot = False
        if self.archive is not None and updated is not None:
            latest = self.archive.latest(mural_id)
            if latest is not None and latest[0] == updated:
                # Unchanged since the snapshot: skip the widget and tag downloads (the bulk of the requests).
                log.debug("board %s unchanged since updatedOn %s: using the snapshot", mural_id, updated)
                self.reused_snapshot = True
                saved = export_from_json(latest[1], f"the saved snapshot of {mural_id}", mural_id)
                return BoardExport(mural_id, saved.widgets, title or saved.title, updated, saved.tags)
        widgets = self.client.widgets(mural_id)
        export = export_from_json({"value": widgets, "mural": {"id": mural_id, "title": title, "updatedOn": updated},
                                   "tags": self._tags(mural_id)}, f"MURAL board {mural_id}", mural_id)
        if self.archive is not None:
            self.archive.save(mural_id, export_to_json(export), updated, self.now())
        return export

    def _tags(self, mural_id: str) -> list[dict]:
        try:
            tags = self.client.tags(mural_id)
        except MuralNotFoundError:
            return []  # the board was just read, so a 404 here means an API without tags (before 2022-11)
        return [{"id": t["id"], "text": str(t.get("text") or "")} for t in tags if isinstance(t, dict) and isinstance(t.get("id"), str)]


class FileBoardSource(BoardSource):
    """Boards saved by `backbone mural pull`: `<folder>/<mural id>.json`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def path_for(self, board_ref: str) -> Path:
        return self.folder / f"{mural_id_from_ref(board_ref)}.json"

    def fetch(self, board_ref: str) -> BoardExport:
        mural_id = mural_id_from_ref(board_ref)
        path = self.folder / f"{mural_id}.json"
        if not path.is_file():
            raise NotFoundError(f"{path}: no saved export of board {mural_id}; "
                                f"run `backbone mural pull {mural_id} --out {path}`")
        return load_export_file(path, mural_id)
