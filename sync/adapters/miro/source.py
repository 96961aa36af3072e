"""Miro board sources: the live REST API (with the snapshot archive) and saved exports beside MURAL's."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.adapters.miro.client import MiroClient
from sync.adapters.mural.source import FileBoardSource, missing_folder
from sync.adapters.pull_progress import items_read
from sync.core.board.miro import board_from_miro, export_from_miro, is_miro_ref, miro_id_from_ref
from sync.core.errors import InputError, NotFoundError
from sync.core.i18n import _, ngettext
from sync.core.model import Board
from sync.core.suppression import NOBODY, Suppression
from sync.ports import ArchivedBoard, BoardSource, SnapshotArchive

__all__ = ["MiroBoardSource", "BoardFiles", "miro_export_json", "load_miro_file"]

log = logging.getLogger("sync.adapters.miro")


def miro_export_json(client: MiroClient, board_id: str) -> dict[str, Any]:
    """Everything backbone reads of a board, as a saved Miro export: {"miro", "items", "tags", "members"}."""
    meta = client.board(board_id)
    items = client.items(board_id)
    tags = client.tags(board_id)
    members = client.members(board_id)
    return {"miro": {"id": str(meta.get("id") or board_id), "name": str(meta.get("name") or ""),
                     "modifiedAt": str(meta.get("modifiedAt") or "")},
            "items": items, "tags": [{"id": t.get("id"), "title": t.get("title")} for t in tags],
            "members": [{"id": m.get("id"), "name": m.get("name")} for m in members]}


def load_miro_file(path: Path) -> dict[str, Any]:
    """A saved Miro export; InputError naming the file when it cannot be read as one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(_("{path}: not a readable JSON file ({reason})").format(path=path, reason=type(exc).__name__)) from None
    if not isinstance(data, dict) or not isinstance(data.get("miro"), dict):
        raise InputError(_("{source}: no `miro` object: is this a Miro board export?").format(source=path))
    return data


def _board(data: dict[str, Any], source: str, board_id: str, workshop: str, hide: Suppression, include_hidden: bool) -> Board:
    return board_from_miro(hide.export(export_from_miro(data, source, board_id)), workshop=workshop,
                           include_hidden=include_hidden)


class MiroBoardSource(BoardSource):
    """Boards read live from Miro, each pull archived as a snapshot (a deleted board keeps its last recap).
    Miro's REST API has no votes and no comments: Röster and Kommentarer stay empty."""

    def __init__(self, client: MiroClient, archive: SnapshotArchive | None = None, now: Callable[[], float] = time.time,
                 include_hidden: bool = False):
        self.client, self.archive, self.now, self.include_hidden = client, archive, now, include_hidden

    def fetch(self, board_ref: str) -> dict[str, Any]:
        """The board as a saved Miro export (`backbone miro pull` writes it), archived when there is an archive."""
        board_id = miro_id_from_ref(board_ref)
        data = miro_export_json(self.client, board_id)
        if self.archive is not None:
            export = export_from_miro(data, _("Miro board {board}").format(board=board_id), board_id)
            self.archive.save(board_id, data, export.updated, self.now())
        return data

    def board(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> Board:
        board_id = miro_id_from_ref(board_ref)
        return _board(self.fetch(board_id), _("Miro board {board}").format(board=board_id), board_id, workshop, hide,
                      self.include_hidden)

    def archived(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> ArchivedBoard | None:
        board_id = miro_id_from_ref(board_ref)
        latest = self.archive.latest(board_id) if self.archive is not None else None
        if self.archive is None or latest is None:
            return None
        board = _board(latest[1], _("the archived snapshot of {board}").format(board=board_id), board_id, workshop, hide,
                       self.include_hidden)
        return ArchivedBoard(board, self.archive.latest_fetched(board_id))


class BoardFiles(FileBoardSource):
    """BACKBONE_BOARDS=files:DIR: `<id>.json` per board, MURAL exports (`backbone mural pull`) and Miro exports
    (`backbone miro pull`) side by side; a Miro address or id in the sheet reads the Miro one."""

    def board(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> Board:
        if not is_miro_ref(board_ref):
            return super().board(board_ref, workshop=workshop, hide=hide)
        board_id = miro_id_from_ref(board_ref)
        path = self.folder / f"{board_id}.json"
        if not self.folder.is_dir():
            raise missing_folder(self.folder)
        if not path.is_file():
            raise NotFoundError(_("{path}: no saved export of board {board}; run `backbone miro pull {board} --out "
                                  "{path}`").format(path=path, board=board_id))
        return _board(load_miro_file(path), str(path), board_id, workshop, hide, self.include_hidden)


def pull(client: MiroClient, ref: str, out_path: str | Path | None, exports_folder: Path,
         archive: SnapshotArchive | None = None, *, hide: Suppression = NOBODY,
         progress: Callable[[str], object] | None = None) -> tuple[Path, str]:
    """`backbone miro pull`: the board as a saved Miro export (a `.json` file, or `<id>.json` in a folder; by default
    the BACKBONE_BOARDS=files:DIR folder), forgotten people cut; answers (the file, one summary line). `progress`
    hears a line every few hundred items."""
    from sync.adapters.mural.access import _write_json  # the same atomic replace and encoding as MURAL exports

    client.on_items = items_read(progress, "Miro")

    board_id = miro_id_from_ref(ref)
    data = hide.json(MiroBoardSource(client, archive).fetch(board_id))
    if out_path is not None:
        path = Path(out_path)
        path = path / f"{board_id}.json" if path.is_dir() or path.suffix.lower() != ".json" else path
    else:
        path = exports_folder / f"{board_id}.json"
    _write_json(path, data)
    items = data.get("items") or []
    notes = sum(1 for i in items if isinstance(i, dict) and i.get("type") == "sticky_note")
    name = str((data.get("miro") or {}).get("name") or "")
    return path, _("{title} ({id}): {items}, {notes} -> {path}").format(
        title=repr(name) if name else _("Untitled board"), id=board_id, path=path,
        items=ngettext("{count} item", "{count} items", len(items)).format(count=len(items)),
        notes=ngettext("{count} sticky note", "{count} sticky notes", notes).format(count=notes))
