"""The saved board format, both ways.

Written by `pull`: `{"value": [all widgets], "mural": {"id", "title", "updatedOn"}, "tags": [{"id", "text"}],
"votingSessions": [{"id", "title", "results": [{"widgetId", "totalVotes", "uniqueVoters"}]}]}`.
Read: that, one API response `{"value": [...], "next": ...}`, a JSON list of such pages, or a bare list of widgets.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sync.adapters.mural.board_refs import mural_id_from_ref
from sync.core import jsonio
from sync.core.board.miro import export_from_miro
from sync.core.board_export import BoardExport
from sync.core.errors import InputError, NotFoundError
from sync.core.i18n import _

if TYPE_CHECKING:
    from sync.ports import SnapshotHistory

STICKY_NOTE = "sticky note"  # the `type` field as returned (singular, with a space); the filter says "sticky notes"


def export_to_json(export: BoardExport) -> dict:
    data = {"value": list(export.widgets),
            "mural": {"id": export.id, "title": export.title, "updatedOn": export.updated},
            "tags": [{"id": tag_id, "text": text} for tag_id, text in export.tags.items()]}
    if export.voting_sessions:  # left out otherwise: archived boards without votes keep their content hash
        data["votingSessions"] = [dict(session) for session in export.voting_sessions]
    return data


def export_from_json(data: object, source_name: str, mural_id: str = "") -> BoardExport:
    """A BoardExport from parsed JSON (or its text); InputError naming `source_name` and what is wrong.

    The board id comes from the data's `mural.id`, else `mural_id`, else the source's file name when that is an id.
    """
    if isinstance(data, (str, bytes, bytearray)):
        try:
            data = jsonio.loads(data)
        except ValueError as exc:
            raise InputError(_("{source}: not JSON ({reason})").format(source=source_name, reason=exc)) from None
        except RecursionError:  # a board is a few levels deep; thousands are a broken or hostile file
            raise InputError(_("{source}: nested thousands of levels deep, which no board export is; save the board "
                               "again (`backbone mural pull`)").format(source=source_name)) from None
    if isinstance(data, dict) and isinstance(data.get("miro"), dict):  # a Miro export (`backbone miro pull`)
        return export_from_miro(data, source_name, mural_id)
    meta = data.get("mural") if isinstance(data, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    widgets = _unique(_widgets(data, source_name))
    updated = meta.get("updatedOn")
    return BoardExport(id=str(meta.get("id") or mural_id or _id_from_name(source_name)), widgets=tuple(widgets),
                       title=str(meta.get("title") or ""),
                       updated=updated if isinstance(updated, int) and not isinstance(updated, bool) else None,
                       tags=_tags(data.get("tags") if isinstance(data, dict) else None, source_name),
                       voting_sessions=_voting_sessions(data.get("votingSessions") if isinstance(data, dict) else None,
                                                        source_name))


def load_export_file(path: Path, mural_id: str = "") -> BoardExport:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise InputError(_("{path}: cannot read the board export ({reason})").format(path=path, reason=exc.strerror)) from None
    return export_from_json(text, str(path), mural_id)


def count_sticky_notes(export: BoardExport) -> int:
    return sum(1 for widget in export.widgets if widget.get("type") == STICKY_NOTE)


def _widgets(data: object, source_name: str) -> list[dict]:
    shape = _("expected a list of widgets or {example}").format(example='{"value": [...]}')
    if isinstance(data, dict):
        if not isinstance(data.get("value"), list):
            raise InputError(f"{source_name}: {shape}")  # shape is translated
        items = data["value"]
    elif isinstance(data, list) and data and all(isinstance(item, dict) and "value" in item for item in data):
        items = []
        for number, page in enumerate(data, 1):  # a list of API responses, one per page
            if not isinstance(page["value"], list):
                raise InputError(_("{source}: page {number} has no list in `value`; {shape}").format(
                    source=source_name, number=number, shape=shape))
            items.extend(page["value"])
    elif isinstance(data, list):
        items = data
    else:
        raise InputError(f"{source_name}: {shape}")  # shape is translated
    for number, widget in enumerate(items, 1):
        if not isinstance(widget, dict) or not isinstance(widget.get("id"), str) or not isinstance(widget.get("type"), str):
            raise InputError(_("{source}: widget {number} has no id/type").format(source=source_name, number=number))
    return items


def _unique(widgets: list[dict]) -> list[dict]:
    """One widget per id: a board edited while it was paged can show a widget twice; the later copy is newer."""
    by_id: dict[str, dict] = {}
    for widget in widgets:
        by_id[widget["id"]] = widget  # dicts keep the first position, take the last value
    return list(by_id.values())


def _tags(tags: object, source_name: str) -> dict[str, str]:
    if tags is None:
        return {}
    if not isinstance(tags, list) or not all(isinstance(t, dict) and isinstance(t.get("id"), str) for t in tags):
        raise InputError(_("{source}: `tags` should be a list of {example}").format(source=source_name,
                                                                                    example='{"id", "text"}'))
    return {tag["id"]: str(tag.get("text") or "") for tag in tags}


def _voting_sessions(sessions: object, source_name: str) -> tuple[dict, ...]:
    if sessions is None:
        return ()
    if not isinstance(sessions, list) or not all(isinstance(s, dict) and isinstance(s.get("results", []), list) for s in sessions):
        raise InputError(_("{source}: `votingSessions` should be a list of {example}").format(
            source=source_name, example='{"id", "title", "results": [...]}'))
    return tuple(sessions)


def _id_from_name(source_name: str) -> str:
    try:
        return mural_id_from_ref(Path(source_name).stem)
    except InputError:
        return ""


def export_to_read(file: str | None, snapshot: int | None, state: SnapshotHistory) -> BoardExport:
    """The export `backbone board` reads: a FILE, or snapshot N of the state database (one of them)."""
    if (file is None) == (snapshot is None):
        raise InputError(_("give a board export FILE or --snapshot N (one of them)"))
    if file is None:
        found = state.snapshot(snapshot) if snapshot is not None else None
        if found is None:
            raise NotFoundError(_("no snapshot {number} in {path}; `backbone mural history MURAL_ID` or `backbone miro "
                                  "history BOARD` lists them").format(
                number=snapshot, path=state.where))
        return export_from_json(found[1], _("snapshot {number}").format(number=snapshot), found[0].mural_id)
    path = Path(file)
    if not path.is_file():
        raise NotFoundError(_("{path}: no such file").format(path=path))
    return load_export_file(path)
