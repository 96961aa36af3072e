"""An in-memory SheetBackend that behaves like the real ones: trims like Google, applies whole plans."""
from __future__ import annotations

import copy

from sync.adapters.request_stats import SheetStats
from sync.ports import SheetBackend, SheetValues, SheetWrite


class MemorySheet(SheetBackend):
    def __init__(self, tabs: SheetValues | None = None, name: str = "memory"):
        self.tabs: SheetValues = copy.deepcopy(tabs or {})
        self.name = name
        self.stats = SheetStats()
        self.fail_next_apply: Exception | None = None

    def read(self) -> SheetValues:
        self.stats.reads += 1
        out = {}
        for title, rows in self.tabs.items():
            trimmed = [list(r) for r in rows]
            for row in trimmed:
                while row and row[-1] == "":
                    row.pop()
            while trimmed and not trimmed[-1]:
                trimmed.pop()
            out[title] = trimmed
        return out

    def apply(self, write: SheetWrite) -> None:
        if self.fail_next_apply is not None:
            error, self.fail_next_apply = self.fail_next_apply, None
            raise error
        if write.is_empty():
            return
        for title in write.new_tabs:
            self.tabs.setdefault(title, [])
        for cell in write.cells:
            rows = self.tabs[cell.tab]
            while len(rows) <= cell.row:
                rows.append([])
            row = rows[cell.row]
            while len(row) <= cell.col:
                row.append("")
            row[cell.col] = str(cell.value)
        self.stats.writes += 1
        self.stats.cells_written += len(write.cells)

    # --- what people do in the sheet ---------------------------------------------------------
    def column(self, title: str, header: str) -> int:
        return self.tabs[title][0].index(header)

    def find_row(self, title: str, row_id: str) -> list[str] | None:
        id_col = self.column(title, "ID")
        return next((r for r in self.tabs[title][1:] if len(r) > id_col and r[id_col] == row_id), None)

    def value(self, title: str, row_id: str, header: str) -> str:
        row = self.find_row(title, row_id)
        col = self.column(title, header)
        return row[col] if row is not None and col < len(row) else ""

    def edit(self, title: str, row_id: str, header: str, value: str) -> None:
        row = self.find_row(title, row_id)
        col = self.column(title, header)
        while len(row) <= col:
            row.append("")
        row[col] = value
