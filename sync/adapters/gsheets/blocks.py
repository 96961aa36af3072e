"""Writing each tab as one block from A1 whose answer shows where the write landed (see verify.py).

A block covers the whole grid from the header down (rows a person inserted push ours down into it; the
answer stops at the last non-empty row, so the size of the grid costs nothing), over the tab's full read width.
Cells we do not write are JSON nulls, which the Sheets API skips; the answer (includeValuesInResponse) is the block right after our write.
"""
from __future__ import annotations

from typing import Any

from gspread.utils import rowcol_to_a1

from sync.adapters.gsheets.ranges import _json_value, _text, _whole_tab
from sync.ports import CellWrite


def block_range(title: str, cells: list[CellWrite], read_rows: list[list[str]], grid_rows: int) -> tuple[str, list[list[Any]], int]:
    """(A1 range of the block, its values with nulls where nothing is written, its height in rows)."""
    width = max([c.col + 1 for c in cells] + [len(read_rows[0]) if read_rows else 1])
    last_written = max(c.row for c in cells)
    last = max(grid_rows - 1, last_written, len(read_rows) - 1)
    grid: dict[int, dict[int, Any]] = {}
    for cell in cells:
        grid.setdefault(cell.row, {})[cell.col] = _json_value(cell.value)
    values = []
    for r in range(last_written + 1):
        row = grid.get(r, {})
        values.append([row.get(c) for c in range(max(row) + 1)] if row else [])
    a1 = f"{_whole_tab(title)}!A1:{rowcol_to_a1(last + 1, width)}"
    return a1, values, last + 1


def answered_rows(response: dict[str, Any]) -> list[list[str]]:
    """The block as Google answered it (updatedData of one ValueRange), as text."""
    data = response.get("updatedData") or {}
    return [[_text(v) for v in row] for row in data.get("values", [])]
