"""An in-memory SheetBackend that behaves like the real ones: trims like Google, applies whole plans.

Like the workbook, it writes only onto the sheet it last read: a write after people changed the tabs since the read
raises SheetChanged with nothing written (the port's "checks before it writes"). What the real ones do to a run, on
request: `fail_next_apply` (the write refused, nothing written), `held` (open in another program: in_use() says so
and apply() refuses, as the workbook does), `no_answer_next_apply` (the write lands but its answer is lost, so
settled() is False, as a Google request that timed out), `before_next_apply` (a person's edit arriving with the
write, between the read and the write)."""
from __future__ import annotations

import copy
from collections.abc import Callable

from sync.adapters.request_stats import SheetStats
from sync.core.errors import SheetInUse
from sync.ports import SheetBackend, SheetChanged, SheetValues, SheetWrite


class MemorySheet(SheetBackend):
    def __init__(self, tabs: SheetValues | None = None, name: str = "memory"):
        self.tabs: SheetValues = copy.deepcopy(tabs or {})
        self.name = name
        self.stats = SheetStats()
        self.fail_next_apply: Exception | None = None
        self.held: SheetInUse | None = None
        self.no_answer_next_apply = False
        self.applied: list[SheetWrite] = []  # every write that landed
        self.missing = False  # no such sheet yet: create() makes it, as the workbook backend makes a new file
        self.before_next_apply: Callable[[MemorySheet], None] | None = None
        self._as_read: SheetValues | None = None  # the tabs as the last read saw them

    def read(self) -> SheetValues:
        self.stats.reads += 1
        self._as_read = copy.deepcopy(self.tabs)
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

    def in_use(self) -> SheetInUse | None:
        return self.held

    def create(self, first_tab: str) -> bool:
        if not self.missing:
            return False
        self.tabs, self.missing = {first_tab: []}, False
        return True

    def apply(self, write: SheetWrite) -> None:
        if self.before_next_apply is not None:
            person, self.before_next_apply = self.before_next_apply, None
            person(self)
        if self.held is not None:
            raise self.held
        if self.fail_next_apply is not None:
            error, self.fail_next_apply = self.fail_next_apply, None
            raise error
        if self._as_read is not None and self.tabs != self._as_read:
            raise SheetChanged(self.name)
        self._unsettled, self.no_answer_next_apply = self.no_answer_next_apply, False
        if write.is_empty():
            return
        self.applied.append(write)
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
        self._as_read = copy.deepcopy(self.tabs)  # its own write is no one else's change

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
        assert row is not None, f"no row {row_id} in {title}"
        col = self.column(title, header)
        while len(row) <= col:
            row.append("")
        row[col] = value

    def delete_row(self, title: str, row_id: str) -> None:
        row = self.find_row(title, row_id)
        assert row is not None, f"no row {row_id} in {title}"
        self.tabs[title].remove(row)

    def add_column(self, title: str, header: str) -> None:
        self.tabs[title][0].append(header)

    def ids(self, title: str) -> list[str]:
        """The IDs of the tab's rows, top to bottom."""
        id_col = self.column(title, "ID")
        return [r[id_col] for r in self.tabs.get(title, [[]])[1:] if len(r) > id_col and r[id_col]]

    def records(self, title: str) -> list[dict[str, str]]:
        """The tab's rows as {header: value}, as a person reads them."""
        header, *rows = self.tabs.get(title) or [[]]
        return [dict(zip(header, [*row, *[""] * (len(header) - len(row))])) for row in rows if any(row)]
