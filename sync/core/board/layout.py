"""Which widgets are containers, and how they nest.

Not every area or shape is a container a person would call a box:
- a **group area** (select widgets and press Group in MURAL) is an untitled area around them, with the
  children re-parented to it. It is transparent: what it holds belongs to the container around it.
- a **decorative shape** (a drop shadow or background plate) has no text and no title and lies behind a
  container of nearly the same bounds, or behind every container it holds. It holds nothing.
"""
from __future__ import annotations

from sync.core.board.content import widget_text
from sync.core.board.geometry import Box, ContainerIndex
from sync.core.text import plain_text

CONTAINER_TYPES = ("area", "shape")
MAX_DEPTH = 32
SAME_BOUNDS = 0.8  # a shadow and its box overlap by at least this share of each one's area


def _stacking(widget: dict) -> float | None:
    value = widget.get("stackingOrder")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return float(value) if -1e300 < value < 1e300 else None  # 10**400 would not convert; NaN is no order either


def _is_group_area(widget: dict, headed: set[str]) -> bool:
    """Untitled, not showing a title, and with no text widget of its own that could title it."""
    return (widget["type"] == "area" and not plain_text(widget.get("title")) and widget.get("showTitle") is not True
            and str(widget["id"]) not in headed)


def _is_plain_shape(widget: dict) -> bool:
    return (widget["type"] == "shape" and _stacking(widget) is not None and not widget_text(widget)
            and not plain_text(widget.get("title")))


def _overlap(a: Box, b: Box) -> float:
    width = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    height = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    return max(width, 0.0) * max(height, 0.0)


def decorations(widgets: dict[str, dict], boxes: dict[str, Box]) -> set[str]:
    """The ids of decorative shapes among `boxes` (the candidate containers)."""
    plain = {i for i in boxes if _is_plain_shape(widgets[i])}
    if not plain:
        return set()
    index = ContainerIndex(list(boxes.values()))
    found: set[str] = set()  # shadows
    holds: set[str] = set()  # plain shapes holding some smaller container
    in_front: set[str] = set()  # ... and not behind every one of them
    for box_id, box in boxes.items():
        order = _stacking(widgets[box_id])
        for other in index.holding(*box.centre()):
            if other.id == box_id or other.id not in plain:
                continue
            other_order = _stacking(widgets[other.id])
            behind = order is not None and other_order is not None and order > other_order  # `other` is drawn behind `box`
            if behind and _overlap(box, other) >= SAME_BOUNDS * max(box.area, other.area):
                found.add(other.id)  # a shadow: nearly the same bounds, drawn behind the box
            elif other.area > box.area:
                holds.add(other.id)
                if not behind:
                    in_front.add(other.id)
    return found | (holds - in_front)  # a background plate: behind every container it holds


class Layout:
    """Containers and their nesting, computed once per board."""

    def __init__(self, widgets: dict[str, dict], boxes: dict[str, Box]):
        self.widgets = widgets
        headed = {str(w.get("parentId")) for w in widgets.values() if w["type"] == "text" and w.get("parentId")
                  and widget_text(w)}
        candidates = {i: boxes[i] for i, w in widgets.items() if w["type"] in CONTAINER_TYPES and boxes[i].area > 0}
        self.transparent = {i for i in candidates if _is_group_area(widgets[i], headed)}
        for i in self.transparent:
            del candidates[i]
        self.decorative = decorations(widgets, candidates)
        self.boxes = {i: b for i, b in candidates.items() if i not in self.decorative}
        self.index = ContainerIndex(list(self.boxes.values()))
        self.parent: dict[str, str | None] = {i: self._parent_of(i) for i in self.boxes}
        self.chain: dict[str, tuple[str, ...]] = {i: self._chain(i) for i in self.boxes}
        # containers no other container lies in: what a widget parented to one of them belongs to, wherever it sits
        self.leaves = set(self.boxes).difference(*(chain[:-1] for chain in self.chain.values()))

    def declared_parent(self, widget: dict) -> str | None:
        """The widget's parent area, skipping group areas (their contents belong to the container around them)."""
        parent, depth = widget.get("parentId"), 0
        while parent in self.transparent and depth < MAX_DEPTH:
            parent, depth = self.widgets[parent].get("parentId"), depth + 1
        return parent if parent in self.boxes else None

    def _parent_of(self, container_id: str) -> str | None:
        declared = self.declared_parent(self.widgets[container_id])
        if declared is not None:
            return declared
        box = self.boxes[container_id]
        is_area = self.widgets[container_id]["type"] == "area"
        # A box drawn inside a bigger one belongs to it; equal sizes stay siblings (no cycles).
        # Areas nest only in areas: a decorative background shape must not swallow the exercises.
        for other in self.index.holding(*box.centre()):
            if other.area > box.area and not (is_area and self.widgets[other.id]["type"] != "area"):
                return other.id
        return None

    def _chain(self, container_id: str) -> tuple[str, ...]:
        """Ancestors, outermost first, ending with the container itself."""
        chain: list[str] = []
        current: str | None = container_id
        seen: set[str] = set()
        while current is not None and current not in seen and len(chain) < MAX_DEPTH:
            seen.add(current)
            chain.append(current)
            current = self.parent[current]
        return tuple(reversed(chain))

    def container_of(self, widget: dict, box: Box) -> str | None:
        """The smallest container holding the widget, inside its parent area when it has one."""
        parent = widget.get("parentId")
        if parent in self.leaves:  # only the parent itself has it in its chain: the answer whatever the geometry
            return parent
        if parent is not None and parent not in self.boxes:
            parent = self.declared_parent(widget)
        if parent is None:  # no parent to stay inside: the smallest container holding the centre
            found = self.index.smallest_holding(box.x + box.width / 2, box.y + box.height / 2)
            if found is None or found.id != widget["id"]:
                return found.id if found is not None else None
        for candidate in self.index.holding(*box.centre()):
            if candidate.id == widget["id"]:
                continue
            if parent not in self.boxes or parent in self.chain[candidate.id]:
                return candidate.id
        return parent if parent in self.boxes else None
