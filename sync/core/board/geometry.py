"""Where widgets sit: absolute positions, containers (areas and drawn boxes), reading order.

MURAL gives x/y relative to the parent area when `parentId` is set, so absolute positions are
sums over ancestors. Stickies without a parent are placed by the container holding their centre.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32  # parentId chains deeper than this are treated as broken (cycles, corrupt exports)


@dataclass(slots=True)
class Box:
    """A widget's rectangle on the board, absolute coordinates."""

    id: str
    x: float
    y: float
    width: float
    height: float

    @property
    def area(self) -> float:
        return self.width * self.height

    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


LIMIT = 1e9  # px; far beyond any board, small enough that sums over a parent chain and areas stay finite


def _number(value: object) -> float:
    """A coordinate or size: NaN, infinities and non-numbers are 0, anything beyond ±LIMIT (10**400 too) is ±LIMIT."""
    if value.__class__ is not float and value.__class__ is not int:
        if not isinstance(value, (int, float)):
            return 0.0
        value = value if isinstance(value, float) else int(value)
    if -LIMIT <= value <= LIMIT:  # the common case; NaN fails both comparisons
        return value
    if value != value or value in (math.inf, -math.inf):
        return 0.0
    return LIMIT if value > 0 else -LIMIT


def absolute_boxes(widgets: dict[str, dict[str, Any]], kinds: frozenset[str] | None = None) -> dict[str, Box]:
    """Absolute rectangles of the widgets (of `kinds`, or all), walking parentId chains (cycle- and depth-guarded)."""
    origin: dict[str, tuple[float, float]] = {}  # absolute x/y of the parents walked so far

    def offset(widget_id: str, depth: int) -> tuple[float, float]:
        found = origin.get(widget_id)
        if found is not None:
            return found
        widget = widgets[widget_id]
        x, y = _number(widget.get("x")), _number(widget.get("y"))
        parent = widget.get("parentId")
        if parent and parent in widgets and depth < MAX_DEPTH:
            origin[widget_id] = (0.0, 0.0)  # provisional: breaks cycles
            px, py = offset(parent, depth + 1)
            x, y = x + px, y + py
        origin[widget_id] = (x, y)
        return x, y

    boxes = {}
    for widget_id, widget in widgets.items():
        if kinds is not None and widget["type"] not in kinds:
            continue
        parent = widget.get("parentId")
        if parent:
            x, y = offset(widget_id, 0)
        else:  # most widgets: no chain to walk
            x, y = _number(widget.get("x")), _number(widget.get("y"))
        boxes[widget_id] = Box(widget_id, x, y, max(_number(widget.get("width")), 0.0), max(_number(widget.get("height")), 0.0))
    return boxes


MIN_CELL = 64.0


class ContainerIndex:
    """Finds the containers holding a point without testing every container.

    One bucket grid per size class (cells of 64, 128, 256, ... px): a box goes to the grid whose cell is at
    least its longer side, so it lands in at most four buckets whatever its size. Building is linear in the
    number of boxes, and a lookup costs one bucket per size class in use, however sizes are mixed (one
    30,000 px background area among thousands of 30 px shapes costs four buckets, not a quarter million).
    """

    def __init__(self, boxes: list[Box]):
        self.boxes = boxes
        self.levels: dict[float, dict[tuple[int, int], list[Box]]] = {}
        for box in boxes:
            cell = _cell_for(max(box.width, box.height))
            grid = self.levels.setdefault(cell, {})
            for i in range(math.floor(box.x / cell), math.floor((box.x + box.width) / cell) + 1):
                for j in range(math.floor(box.y / cell), math.floor((box.y + box.height) / cell) + 1):
                    grid.setdefault((i, j), []).append(box)
        self._grids = sorted(self.levels.items())

    def holding(self, px: float, py: float) -> Iterator[Box]:
        """The containers whose rectangle contains the point, smallest first (callers mostly want the first)."""
        found = []
        for cell, grid in self._grids:
            for b in grid.get((math.floor(px / cell), math.floor(py / cell)), ()):
                if b.x <= px <= b.x + b.width and b.y <= py <= b.y + b.height:
                    found.append(b)
        if len(found) > 1:
            found.sort(key=_area)
        return iter(found)


def _area(box: Box) -> float:
    return box.width * box.height


def _cell_for(size: float) -> float:
    """The smallest power-of-two cell (at least MIN_CELL) not smaller than `size`."""
    if size <= MIN_CELL:
        return MIN_CELL
    return MIN_CELL * 2.0 ** math.ceil(math.log2(size / MIN_CELL))


def reading_order(boxes: list[Box]) -> list[Box]:
    """Rows top to bottom (tops closer than half the row's first item's height are one row), then left to right."""
    rows: list[list[Box]] = []
    anchor = None
    for box in sorted(boxes, key=lambda b: (b.y, b.x)):
        if anchor is not None and box.y - anchor.y < anchor.height / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
            anchor = box
    return [box for row in rows for box in sorted(row, key=lambda b: b.x)]
