"""Lays the example MURAL board (workshop CI2) out as a Miro board: writes tests/data/miro/<id>.json.

    .venv/bin/python tests/data/miro/from_mural.py

The same notes in the same places, the way Miro holds them: outer areas become frames (children placed from the
frame's top-left corner, by their centre), titled inner areas become shapes whose text is the title (the area's
instruction a text item inside), untitled group areas vanish (Miro's groups are no items), arrows become
connectors, the image stays an image, the hidden sticky and the comment go (Miro has neither in its REST API),
and authors become board members referenced by id. One sticky is rotated, as people do.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sync.adapters.mural.export_files import load_export_file
from sync.core.board.geometry import absolute_boxes

ROOT = Path(__file__).resolve().parents[3]
MURAL = ROOT / "examples" / "biskopsgarden" / "boards" / "biskopsgarden2021.1620111600000.json"
MIRO_ID = "uXjVPbiskop="


def iso(millis: object) -> str:
    if not isinstance(millis, int):
        return ""
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def miro_id(mural_id: str) -> str:
    """Miro item ids are long numbers: MURAL's "0-1620111950757" becomes "34587641620111950757"."""
    return mural_id.replace("0-", "3458764")


def main() -> None:
    export = load_export_file(MURAL, "biskopsgarden2021.1620111600000")
    widgets = {w["id"]: w for w in export.widgets}
    boxes = absolute_boxes(widgets)
    frames = {i for i, w in widgets.items() if w["type"] == "area" and not w.get("parentId")}
    members: dict[str, str] = {}
    users: dict[str, str] = {}  # MURAL user id -> Miro user id

    def frame_of(widget_id: str) -> str | None:
        current, seen = widget_id, set()
        while widgets[current].get("parentId") in widgets and current not in seen:
            seen.add(current)
            current = widgets[current]["parentId"]
        if current in frames and current != widget_id:
            return current
        cx, cy = boxes[widget_id].centre()
        for frame in frames:
            b = boxes[frame]
            if frame != widget_id and b.x <= cx <= b.x + b.width and b.y <= cy <= b.y + b.height:
                return frame
        return None

    def placed(widget_id: str, kind: str, data: dict, rotation: float = 0.0) -> dict:
        box = boxes[widget_id]
        cx, cy = box.centre()
        frame = frame_of(widget_id) if kind != "frame" else None
        item = {"id": miro_id(widget_id),
                "type": kind, "data": data,
                "geometry": {"width": box.width, "height": box.height, "rotation": rotation}}
        if frame is not None:
            top = boxes[frame]
            item["position"] = {"x": cx - top.x, "y": cy - top.y, "origin": "center", "relativeTo": "parent_top_left"}
            item["parent"] = {"id": miro_id(frame)}
        else:
            item["position"] = {"x": cx, "y": cy, "origin": "center", "relativeTo": "canvas_center"}
        widget = widgets[widget_id]
        person = widget.get("createdBy")
        if isinstance(person, dict) and (person.get("id") or person.get("alias")):  # a visitor has an alias only
            user = users.setdefault(person.get("id") or person["alias"], f"3074457{len(users) + 1:08d}")  # Miro user ids are numbers
            members[user] = (" ".join(str(person.get(k) or "") for k in ("firstName", "lastName")).strip()
                             or str(person.get("alias") or ""))
            item["createdBy"] = {"id": user, "type": "user"}
        item["createdAt"], item["modifiedAt"] = iso(widget.get("createdOn")), iso(widget.get("updatedOn"))
        if isinstance(widget.get("tags"), list) and widget["tags"]:
            item["tagIds"] = list(widget["tags"])
        style = widget.get("style")
        if kind == "sticky_note" and isinstance(style, dict) and style.get("backgroundColor"):
            item["style"] = {"fillColor": style["backgroundColor"]}
        return item

    items: list[dict] = []
    rotated = False
    for widget_id, widget in widgets.items():
        kind = widget["type"]
        html = widget.get("htmlText") or (f"<p>{widget['text']}</p>" if widget.get("text") else "")
        if kind == "area" and widget_id in frames:
            items.append(placed(widget_id, "frame", {"title": widget.get("title") or "", "format": "custom"}))
        elif kind == "area" and widget.get("title"):
            items.append(placed(widget_id, "shape", {"content": f"<p>{widget['title']}</p>", "shape": "rectangle"}))
            if widget.get("instruction"):  # a text item inside the shape, under its title: the group's description
                box = boxes[widget_id]
                note = placed(widget_id, "text", {"content": widget["instruction"]})
                note["id"] += "1"
                note["geometry"] = {"width": box.width - 40, "height": 30, "rotation": 0.0}
                note["position"]["y"] -= box.height / 2 - 50
                items.append(note)
        elif kind == "area":
            continue  # a group area: Miro's groups are not items
        elif kind == "shape":
            items.append(placed(widget_id, "shape", {"content": html, "shape": widget.get("shape") or "rectangle"}))
        elif kind == "sticky note":
            if widget.get("hidden") or widget.get("invisible"):
                continue
            turn = 0.0 if rotated else 4.5
            rotated = True
            items.append(placed(widget_id, "sticky_note", {"content": html, "shape": "square"}, rotation=turn))
        elif kind == "text":
            items.append(placed(widget_id, "text", {"content": html}))
        elif kind == "image":
            items.append(placed(widget_id, "image", {"imageUrl": f"https://api.miro.com/v2/boards/{MIRO_ID}/images/1",
                                                     "title": widget.get("description") or ""}))
        elif kind == "arrow":
            items.append({"id": widget_id.replace("0-", "3458764"), "type": "connector",
                          "startItem": {"id": str(widget.get("startRefId") or "").replace("0-", "3458764")},
                          "endItem": {"id": str(widget.get("endRefId") or "").replace("0-", "3458764")}})
    tags = [{"id": key, "title": text, "fillColor": "yellow", "type": "tag"} for key, text in export.tags.items()]
    out = {"miro": {"id": MIRO_ID, "name": export.title or "CI Biskopsgården WS2", "modifiedAt": iso(export.updated)},
           "items": items, "tags": tags,
           "members": [{"id": user, "name": name, "role": "editor", "type": "board_member"} for user, name in sorted(members.items())]}
    target = Path(__file__).with_name(f"{MIRO_ID}.json")
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(target, len(items), "items")


if __name__ == "__main__":
    main()
