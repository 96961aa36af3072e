"""Miro boards (REST API v2 items) into the same normalised Board as MURAL's.

A saved Miro export is `{"miro": {"id", "name", "modifiedAt"}, "items": [...], "tags": [...], "members": [...]}`:
the items of GET /v2/boards/{id}/items (every page), the board's tags and its members. Each item becomes a
MURAL-shaped widget (absolute top-left x/y, `htmlText`, a `createdBy` person) so the one normaliser
(sync/core/board/) places notes in frames and shapes, and the HUR/NÄR/VEM convention works unchanged:

- frame -> an area titled by `data.title`: an exercise;
- shape -> a shape (its text titles it): a group when it holds sticky notes inside a frame;
- sticky_note -> a sticky note, text -> a text (HTML in `data.content`);
- card -> an action (title, description, assignee, due date) in the frame holding it;
- connector, image and every other type -> kept by type, ignored by the normaliser and counted in its warning.

Positions: children of a frame (`relativeTo: parent_top_left`) are relative to the frame's top-left corner,
everything else to the canvas centre, both by the item's centre. Miro has no votes and no comments in its REST
API: notes carry `votes=None` and no comments. Pure: dicts in, a BoardExport or a Board out.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import replace
from typing import Any

from sync.core.board import normalise
from sync.core.board.geometry import LIMIT
from sync.core.board_export import BoardExport
from sync.core.errors import InputError
from sync.core.i18n import N_, _
from sync.core.model import MIRO, Action, Board
from sync.core.text import plain_text

MIRO_CARD = "miro card"  # a card's widget: read as an action, never as a note
MAX_DEPTH = 32
# Miro board ids: URL-safe base64 with a trailing "=" ("uXjVOD6Xk1E="), as in https://miro.com/app/board/<id>/
_MIRO_ID = re.compile(r"[A-Za-z0-9_-]{6,}={0,2}")
_TYPES = {"sticky_note": "sticky note", "frame": "area", "shape": "shape", "text": "text", "card": MIRO_CARD}

EXPECTED = N_("expected a Miro board id like uXjVOD6Xk1E= or the board's address, like "
            "https://miro.com/app/board/uXjVOD6Xk1E=/")  # said with _(EXPECTED)


_ADDRESS = re.compile(r"(?:https?://)?(?:www\.)?miro\.com/app/(?:live-embed|board)/([A-Za-z0-9_-]{6,}={0,2})(?:[/?#].*)?",
                      re.IGNORECASE)


def is_miro_ref(text: str) -> bool:
    """Whether a board cell names a Miro board (its address, or an id ending in "=" as Miro's do)."""
    value = str(text or "").strip().strip("<>\"'")
    return "miro.com/" in value.lower() or (value.endswith("=") and bool(_MIRO_ID.fullmatch(value)))


def miro_id_from_ref(text: str) -> str:
    """The board id of a Miro address (https://miro.com/app/board/<id>/?share_link_id=...) or an id; InputError else."""
    value = str(text or "").strip().strip("<>\"'")
    if not value:
        raise InputError(_("empty board reference: {expected}").format(expected=_(EXPECTED)))
    if _MIRO_ID.fullmatch(value):
        return value
    found = _ADDRESS.fullmatch(value)
    if found:
        return found.group(1)
    raise InputError(_("{reference!r} is not a Miro board reference: {expected}").format(reference=text, expected=_(EXPECTED)))


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: object) -> float:
    if type(value) in (int, float) and -LIMIT <= value <= LIMIT:  # type: ignore[operator]  # the common case, fast
        return float(value)  # type: ignore[arg-type]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return 0.0
    return max(-LIMIT, min(LIMIT, float(value)))


def _millis(value: object) -> int | None:
    """An ISO 8601 time ("2023-05-02T10:15:00Z") as epoch milliseconds; None when it is none."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)  # Python 3.11 reads "Z" itself
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(when.timestamp() * 1000)


def _size(item: dict[str, Any]) -> tuple[float, float]:
    """Width and height of the item's bounding box, a rotation of about 90° or 270° swapping them."""
    geometry = _dict(item.get("geometry"))
    width, height = max(_number(geometry.get("width")), 0.0), max(_number(geometry.get("height")), 0.0)
    if not height and width:  # sticky notes and text may give one side only
        height = width
    rotation = _number(geometry.get("rotation")) % 180
    return (height, width) if 45 < rotation < 135 else (width, height)


def _centres(items: dict[str, dict[str, Any]],
             sizes: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Every item's centre on the canvas (relative to its centre), through parent chains (cycle-guarded)."""
    found: dict[str, tuple[float, float]] = {}

    def centre(item_id: str, depth: int) -> tuple[float, float]:
        if item_id in found:
            return found[item_id]
        item = items[item_id]
        position = _dict(item.get("position"))
        x, y = _number(position.get("x")), _number(position.get("y"))
        parent = _dict(item.get("parent"))
        parent_id = parent.get("id")
        relative = position.get("relativeTo") == "parent_top_left" or (parent_id and "relativeTo" not in position)
        if relative and isinstance(parent_id, str) and parent_id in items and depth < MAX_DEPTH:
            found[item_id] = (x, y)  # provisional: breaks cycles
            px, py = centre(parent_id, depth + 1)
            width, height = sizes[parent_id]
            x, y = px - width / 2 + x, py - height / 2 + y
        found[item_id] = (x, y)
        return x, y

    for item_id in items:
        centre(item_id, 0)
    return found


def _person(person: object, names: dict[str, str]) -> dict[str, str] | None:
    if not isinstance(person, dict) or not isinstance(person.get("id"), (str, int)):
        return None
    user_id = str(person["id"])
    return {"id": user_id, "firstName": names.get(user_id, "")}


def _checked_items(items: object, source: str) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        raise InputError(_("{source}: no `items` list: is this a Miro board export?").format(source=source))
    by_id: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)) or not isinstance(item.get("type"), str):
            raise InputError(_("{source}: item {number} has no id or type: is this a Miro board export?").format(
                source=source, number=number))
        by_id[str(item["id"])] = item
    return by_id


def export_from_miro(data: object, source: str, board_id: str = "") -> BoardExport:
    """A saved (or just pulled) Miro export as a BoardExport of MURAL-shaped widgets; InputError naming `source`."""
    if not isinstance(data, dict) or not isinstance(data.get("miro"), dict):
        raise InputError(_("{source}: no `miro` object: is this a Miro board export?").format(source=source))
    meta = data["miro"]
    items = _checked_items(data.get("items"), source)
    names = {str(m["id"]): plain_text(m.get("name")) for m in data.get("members") or [] if isinstance(m, dict) and "id" in m}
    tags = {str(t["id"]): plain_text(t.get("title")) for t in data.get("tags") or [] if isinstance(t, dict) and "id" in t}
    sizes = {item_id: _size(item) for item_id, item in items.items()}  # once each: a frame's is read by every child
    centres = _centres(items, sizes)
    widgets = []
    for item_id, item in items.items():
        kind = _TYPES.get(item["type"], item["type"].replace("_", " "))
        width, height = sizes[item_id]
        cx, cy = centres[item_id]
        content = _dict(item.get("data"))
        style = _dict(item.get("style"))
        widget: dict[str, Any] = {"id": item_id, "type": kind, "x": cx - width / 2, "y": cy - height / 2,
                                  "width": width, "height": height}
        if kind == "area":
            widget["title"] = content.get("title") if isinstance(content.get("title"), str) else ""
        elif isinstance(content.get("content"), str):
            widget["htmlText"] = content["content"]
        if kind == MIRO_CARD:
            widget.update(title=content.get("title") if isinstance(content.get("title"), str) else "",
                          description=content.get("description") if isinstance(content.get("description"), str) else "",
                          dueDate=content.get("dueDate") if isinstance(content.get("dueDate"), str) else "")
            assignee = content.get("assigneeId")
            if isinstance(assignee, (str, int)):
                widget["assignee"] = {"id": str(assignee), "firstName": names.get(str(assignee), "")}
        author = _person(item.get("createdBy"), names)
        if author is not None:
            widget["createdBy"] = author
        created, modified = _millis(item.get("createdAt")), _millis(item.get("modifiedAt"))
        if created is not None:
            widget["createdOn"] = created
        if modified is not None:
            widget["updatedOn"] = modified
        colour = style.get("fillColor")
        if isinstance(colour, str):
            widget["style"] = {"backgroundColor": colour}
        tag_ids = item.get("tagIds")
        if isinstance(tag_ids, list):
            widget["tags"] = [str(t) for t in tag_ids if isinstance(t, (str, int))]
        widgets.append(widget)
    return BoardExport(id=str(meta.get("id") or board_id), widgets=tuple(widgets), title=str(meta.get("name") or ""),
                       updated=_millis(meta.get("modifiedAt")), tags=tags, vendor=MIRO)


def board_from_miro(export: BoardExport, *, workshop: str = "", include_hidden: bool = False) -> Board:
    """The normalised Board of a Miro export (export_from_miro, forgotten people already cut): cards become actions
    of the frame holding their centre, after the HUR/NÄR/VEM actions of the normaliser."""
    widgets = [w for w in export.widgets if w["type"] != MIRO_CARD]
    board = normalise(widgets, board_id=export.id, title=export.title, updated=export.updated, tags=export.tags,
                      include_hidden=include_hidden, workshop=workshop)
    board = replace(board, vendor=MIRO)  # known as Miro wherever it goes: a recap says its votes and comments are none
    cards = [w for w in export.widgets if w["type"] == MIRO_CARD]
    if not cards:
        return board
    frames = [w for w in widgets if w["type"] == "area"]
    titles = {e.id: e.title for e in board.exercises}
    actions = []
    for card in sorted(cards, key=lambda w: (w["y"], w["x"])):
        cx, cy = card["x"] + card["width"] / 2, card["y"] + card["height"] / 2
        holding = [f for f in frames if f["x"] <= cx <= f["x"] + f["width"] and f["y"] <= cy <= f["y"] + f["height"]]
        frame = min(holding, key=lambda f: f["width"] * f["height"]) if holding else None
        exercise = "" if frame is None else titles.get(frame["id"]) or " ".join(plain_text(frame.get("title")).split())
        assignee = card.get("assignee")
        due = str(card.get("dueDate") or "")[:10]
        actions.append(Action(id=card["id"], workshop=workshop, title=" ".join(plain_text(card.get("title")).split()),
                              how=plain_text(card.get("description")), when=due,
                              who=plain_text(assignee.get("firstName")) if isinstance(assignee, dict) else "",
                              exercise=exercise))
    return replace(board, actions=board.actions + tuple(actions))
