"""Board sources: the live MURAL API (with an optional snapshot archive) and a folder of saved exports."""
from __future__ import annotations

import logging
import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sync.adapters.mural.board_refs import mural_id_from_ref
from sync.adapters.mural.client import MuralClient
from sync.adapters.mural.export_files import export_from_json, export_to_json, load_export_file
from sync.adapters.mural.mural_http import MuralNotFoundError
from sync.core.board import board_from_export
from sync.core.board_export import BoardExport
from sync.core.errors import ConfigError, NotFoundError
from sync.core.i18n import _
from sync.core.model import Board
from sync.core.suppression import NOBODY, Suppression
from sync.ports import ArchivedBoard, BoardSource, SnapshotArchive

__all__ = ["MuralBoardSource", "FileBoardSource", "export_to_json", "export_from_json"]

log = logging.getLogger("sync.adapters.mural")


class MuralExports(BoardSource):
    """A source of MURAL exports (`fetch`), normalised into Boards: widgets in areas become exercises and groups
    (sync/core/board/). `include_hidden`: BACKBONE_INCLUDE_HIDDEN; `voting_session`: BACKBONE_MURAL_VOTING_SESSION."""

    include_hidden: bool = False
    voting_session: str = "newest"

    @abstractmethod
    def fetch(self, board_ref: str) -> BoardExport:
        """The board's MURAL export, as `backbone mural pull` saves it."""

    def board(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> Board:
        return board_from_export(hide.export(self.fetch(board_ref)), include_hidden=self.include_hidden, workshop=workshop,
                                 voting_session=self.voting_session)


class MuralBoardSource(MuralExports):
    """Boards read live. With an archive, a board whose `updatedOn` has not moved is served from its last snapshot."""

    def __init__(self, client: MuralClient, archive: SnapshotArchive | None = None, now: Callable[[], float] = time.time,
                 max_reuse_hours: float = 6.0, voting_session: str = "newest", include_hidden: bool = False):
        self.client, self.archive, self.now = client, archive, now
        self.voting_session, self.include_hidden = voting_session, include_hidden
        # MURAL does not document that updatedOn moves when only widgets change: reuse a snapshot this long at most.
        self.max_reuse = max(0.0, max_reuse_hours) * 3600.0
        self.reused_snapshot = False  # whether the last fetch came from the archive (for summaries)

    def fetch(self, board_ref: str) -> BoardExport:
        return replace(self._fetch(board_ref), voting_choice=self.voting_session)

    def _fetch(self, board_ref: str) -> BoardExport:
        mural_id = mural_id_from_ref(board_ref)
        meta = self.client.mural(mural_id)
        updated = meta.get("updatedOn") if isinstance(meta.get("updatedOn"), int) else None
        title = str(meta.get("title") or "")
        self.reused_snapshot = False
        if self.archive is not None and updated is not None:
            latest = self.archive.latest(mural_id)
            fetched = self.archive.latest_fetched(mural_id)
            age = None if fetched is None else self.now() - fetched
            if latest is not None and latest[0] == updated and age is not None and age <= self.max_reuse:
                # Unchanged since the snapshot: skip the widget and tag downloads (the bulk of the requests).
                log.info("board %s unchanged since updatedOn %s: reusing the snapshot fetched %.1f h ago",
                         mural_id, updated, age / 3600)
                self.reused_snapshot = True
                saved = export_from_json(latest[1], _("the saved snapshot of {board}").format(board=mural_id), mural_id)
                return BoardExport(mural_id, saved.widgets, title or saved.title, updated, saved.tags, saved.voting_sessions)
        widgets = self.client.widgets(mural_id)
        export = export_from_json({"value": widgets, "mural": {"id": mural_id, "title": title, "updatedOn": updated},
                                   "tags": self._tags(mural_id), "votingSessions": self._voting_sessions(mural_id)},
                                  _("MURAL board {board}").format(board=mural_id), mural_id)
        if self.archive is not None:
            self.archive.save(mural_id, export_to_json(export), updated, self.now())
        return export

    def archived(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> ArchivedBoard | None:
        mural_id = mural_id_from_ref(board_ref)
        latest = self.archive.latest(mural_id) if self.archive is not None else None
        if self.archive is None or latest is None:
            return None
        export = export_from_json(latest[1], _("the archived snapshot of {board}").format(board=mural_id), mural_id)
        board = board_from_export(hide.export(replace(export, voting_choice=self.voting_session)),
                                  include_hidden=self.include_hidden, workshop=workshop, voting_session=self.voting_session)
        return ArchivedBoard(board, self.archive.latest_fetched(mural_id))

    def _tags(self, mural_id: str) -> list[dict]:
        try:
            tags = self.client.tags(mural_id)
        except MuralNotFoundError:
            return []  # the board was just read, so a 404 here means an API without tags (before 2022-11)
        return [{"id": t["id"], "text": str(t.get("text") or "")} for t in tags if isinstance(t, dict) and isinstance(t.get("id"), str)]

    def _voting_sessions(self, mural_id: str) -> list[dict]:
        try:
            sessions = self.client.voting_sessions(mural_id)
        except MuralNotFoundError:
            return []  # an API (or plan) without voting sessions: the board simply has no votes
        return [{"id": s["id"], "title": str(s.get("title") or ""), "results": s.get("results", []),
                 **{k: s[k] for k in ("createdOn", "startedOn", "updatedOn") if k in s}} for s in sessions]


def missing_folder(folder: Path) -> ConfigError:
    """BACKBONE_BOARDS=files:DIR names a folder that is not there: a setting to fix, not a board to pull."""
    return ConfigError(_("{folder}: the boards folder does not exist; check BACKBONE_BOARDS (files:FOLDER, the folder "
                         "of saved board exports)").format(folder=folder))


class FileBoardSource(MuralExports):
    """Boards saved by `backbone mural pull`: `<folder>/<mural id>.json`."""

    def __init__(self, folder: str | Path, voting_session: str = "newest", include_hidden: bool = False):
        self.folder = Path(folder)
        self.voting_session, self.include_hidden = voting_session, include_hidden

    def fetch(self, board_ref: str) -> BoardExport:
        mural_id = mural_id_from_ref(board_ref)
        path = self.folder / f"{mural_id}.json"
        if not self.folder.is_dir():
            raise missing_folder(self.folder)
        if not path.is_file():
            raise NotFoundError(_("{path}: no saved export of board {board}; run `backbone mural pull {board} --out "
                                  "{path}`").format(path=path, board=mural_id))
        return replace(load_export_file(path, mural_id), voting_choice=self.voting_session)
