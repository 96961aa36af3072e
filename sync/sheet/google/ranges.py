"""Cell writes as Sheets ValueRanges: few, compact ranges, RAW values."""
from __future__ import annotations

import math
from typing import Any

from gspread.utils import rowcol_to_a1

from ..port import CellValue, CellWrite


def _whole_tab(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def _json_value(value: CellValue) -> Any:
    """RAW input: text stays text, numbers go as JSON numbers (NaN/inf are not JSON: sent as text)."""
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _value_ranges(cells: tuple[CellWrite, ...], titles: dict[str, str]) -> list[dict[str, Any]]:
    """Cells -> ValueRanges: contiguous runs within a row, and runs over the same columns in adjacent rows
    merged into one block (new rows then cost one range, not one per row). The last write to a cell wins."""
    grid: dict[str, dict[int, dict[int, Any]]] = {}
    for cell in cells:
        grid.setdefault(titles[cell.tab], {}).setdefault(cell.row, {})[cell.col] = _json_value(cell.value)
    data = []
    for title, rows in grid.items():
        runs: list[tuple[int, int, int, list[Any]]] = []  # (row, first col, last col, values)
        for row in sorted(rows):
            cols = sorted(rows[row])
            start = cols[0]
            for prev, col in zip(cols, cols[1:] + [None]):
                if col != prev + 1:
                    runs.append((row, start, prev, [rows[row][c] for c in range(start, prev + 1)]))
                    start = col
        blocks: list[list[Any]] = []  # [first row, last row, first col, last col, rows of values]
        open_blocks: dict[tuple[int, int], list[Any]] = {}
        for row, c0, c1, values in runs:
            block = open_blocks.get((c0, c1))
            if block is not None and block[1] == row - 1:
                block[1] = row
                block[4].append(values)
            else:
                block = [row, row, c0, c1, [values]]
                blocks.append(block)
                open_blocks[(c0, c1)] = block
        for r0, r1, c0, c1, values in sorted(blocks, key=lambda b: (b[0], b[2])):
            start, end = rowcol_to_a1(r0 + 1, c0 + 1), rowcol_to_a1(r1 + 1, c1 + 1)
            data.append({"range": f"{_whole_tab(title)}!{start}" + (f":{end}" if end != start else ""), "values": values})
    return data
