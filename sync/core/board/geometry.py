"""Where widgets sit: absolute positions, containers (areas and drawn boxes), reading order.

MURAL gives x/y relative to the parent area when `parentId` is set, so absolute positions are
sums over ancestors. Stickies without a parent are placed by the container holding their centre.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

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


def absolute_boxes(widgets: dict[str, dict], kinds: frozenset[str] | None = None) -> dict[str, Box]:
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

    # Called for every widget of a 200,000-sticky board: the common case (plain numbers, a parent already
    # placed) is written out here; everything else goes through _number and offset(), with the same results.
    boxes = {}
    for widget_id, widget in widgets.items():
        if kinds is not None and widget["type"] not in kinds:
            continue
        x, y, width, height = widget.get("x"), widget.get("y"), widget.get("width"), widget.get("height")
        if not ((x.__class__ is int or x.__class__ is float) and -LIMIT <= x <= LIMIT):
            x = _number(x)
        if not ((y.__class__ is int or y.__class__ is float) and -LIMIT <= y <= LIMIT):
            y = _number(y)
        if not ((width.__class__ is int or width.__class__ is float) and 0 < width <= LIMIT):
            width = max(_number(width), 0.0)
        if not ((height.__class__ is int or height.__class__ is float) and 0 < height <= LIMIT):
            height = max(_number(height), 0.0)
        parent = widget.get("parentId")
        if parent:
            found = origin.get(widget_id)  # placed already as the parent of a widget before it
            base = origin.get(parent) if found is None else None
            if found is not None:
                x, y = found
            elif base is not None:  # what offset() gives when the parent is placed: no chain to walk
                x, y = x + base[0], y + base[1]
                origin[widget_id] = (x, y)
            else:
                x, y = offset(widget_id, 0)
        boxes[widget_id] = Box(widget_id, x, y, width, height)
    return boxes


MIN_CELL = 64.0


class ContainerIndex:
    """Finds the containers holding a point without testing every container.

    One bucket grid per size class (cells of 64, 128, 256, ... px): a box goes to the grid whose cell is at
    least its longer side, so it lands in at most four buckets whatever its size. Building is linear in the
    number of boxes, and a lookup costs one bucket per size class in use, however sizes are mixed (one
    30,000 px background area among thousands of 30 px shapes costs four buckets, not a quarter million).

    The cells nest (each a power of two times 64 px, from 0), so every point of one cell of the finest grid
    meets the same buckets: their boxes are merged once per such cell, smallest first, and the lookups of the
    next points there (a board's stickies crowd into a few areas) test only those, stopping at the first hit
    when only the smallest container is wanted.
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
        self._finest = self._grids[0][0] if self._grids else MIN_CELL
        self._merged: dict[tuple[float, float], list[tuple[float, float, float, float, Box]]] = {}

    def _candidates(self, px: float, py: float) -> list[tuple[float, float, float, float, Box]]:
        """The boxes of every bucket the point's finest cell lies in, smallest first (ties: as the grids list
        them), each with its edges: the boxes that may hold any point of that cell."""
        finest = self._finest
        key = (px // finest, py // finest)  # exact: the cells are powers of two
        found = self._merged.get(key)
        if found is None:
            merged = [box for cell, grid in self._grids for box in grid.get((math.floor(px / cell), math.floor(py / cell)), ())]
            merged.sort(key=_area)  # stable
            found = self._merged[key] = [(b.x, b.y, b.x + b.width, b.y + b.height, b) for b in merged]
        return found

    def holding(self, px: float, py: float) -> Iterator[Box]:
        """The containers whose rectangle contains the point, smallest first (callers mostly want the first)."""
        return iter([b for left, top, right, bottom, b in self._candidates(px, py) if left <= px <= right and top <= py <= bottom])

    def smallest_holding(self, px: float, py: float) -> Box | None:
        """The first of holding(px, py), or None."""
        for left, top, right, bottom, b in self._candidates(px, py):
            if left <= px <= right and top <= py <= bottom:
                return b
        return None


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
    for box in sorted(boxes, key=_top_left):
        if anchor is not None and box.y - anchor.y < anchor.height / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
            anchor = box
    return [box for row in rows for box in (sorted(row, key=_left) if len(row) > 1 else row)]


_top_left = attrgetter("y", "x")
_left = attrgetter("x")
