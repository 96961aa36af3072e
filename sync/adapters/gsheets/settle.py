"""A positional write that got no answer (a timeout, a dropped connection): settled from the intent log.

Google may have applied it already, or may apply it later (it keeps processing a request whose client gave
up), at the addressed rows, into whatever rows people moved there. So it is never sent again as it was:
after a pause long enough for a late request to land (twice the HTTP timeout), the tabs are read again, the
intents reconciled with what is there (sync/core/sheet/intents.py): what a late request moved is put back, the
values that never landed are written by the rows' new positions; then read and reconciled once more.
Waiting first means the late request can only have written into people's rows, never over our own rewrite.
A mixin of GoogleSheet. See docs/architecture.md, "A write that got no answer".
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sync.adapters.gsheets.ranges import _text
from sync.adapters.gsheets.transport import AmbiguousWrite
from sync.adapters.request_stats import SheetStats
from sync.adapters.retry import RetryPolicy
from sync.core.i18n import _
from sync.core.sheet.intents import Repair, intents_for, matched_by_id, reconcile
from sync.core.sheet.tabs import normalise_name
from sync.ports import CellWrite

SETTLE_ROUNDS = 4  # reads after a write that got no answer (each fix is itself a positional write)

Rows = list[list[str]]


class SettleAmbiguous:
    stats: SheetStats
    _retry: RetryPolicy
    _timeout: float | tuple[float, float]
    _unsettled: bool

    # SheetBackend's and GoogleSheet's.
    warn: Callable[[str], None]
    _batch_get: Callable[[list[str]], dict[str, Any]]
    _write_blocks: Callable[..., Any]

    def _pause(self) -> float:
        """Long enough for a request Google received just before the client gave up to be applied."""
        read_timeout = self._timeout[1] if isinstance(self._timeout, tuple) else self._timeout
        return 2 * float(read_timeout)

    def _settle(self, by_tab: dict[str, list[CellWrite]], before: dict[str, Rows], ids: dict[str, Any]) -> None:
        self._unsettled = True  # its intents stay open for the next run as well
        extra = self.stats.extra
        extra["unanswered writes"] = extra.get("unanswered writes", 0) + 1
        titles = list(by_tab)
        cells = [dataclasses.replace(c, tab=title) for title, tab_cells in by_tab.items() for c in tab_cells]
        intents = intents_for(cells, before)
        waited = False
        for _round in range(SETTLE_ROUNDS):
            if not waited:  # first let a late request land, so it is seen and put right, never written over
                self._retry.sleep(self._pause())
                waited = True
            answer = self._batch_get(titles)
            now = {t: [[_text(c) for c in row] for row in vr.get("values", [])]
                   for t, vr in zip(titles, answer.get("valueRanges", []))}
            fixes: dict[str, list[CellWrite]] = {}
            for title in titles:
                grid = now.get(title, [])
                if matched_by_id(title):
                    found = reconcile([i for i in intents if i.tab == title], grid, _restorer(before[title]), rewrite=True)
                    for line in found.warnings:
                        self.warn(line)
                    for repair in found.repairs:
                        self.warn(_repaired(repair))
                    tab_fixes = found.cells
                else:  # a log row: written again where its row is still blank
                    tab_fixes = [c for c in by_tab[title] if not "".join(grid[c.row] if c.row < len(grid) else []).strip()]
                if tab_fixes:
                    fixes[title] = tab_fixes
            if not fixes:
                return
            extra["repairs"] = extra.get("repairs", 0) + 1
            try:
                self._write_blocks(fixes, {t: now.get(t, []) for t in fixes}, ids)
            except AmbiguousWrite:
                waited = False  # that one too: wait for it as well
        self.warn(_("{tabs}: a write got no answer and people kept moving rows while syncing; some values may be in the "
                    "wrong rows: the next sync checks them first").format(tabs=", ".join(titles)))


def _cell(rows: Rows, r: int, c: int) -> str:
    return rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else ""


def _restorer(read: Rows) -> Callable[[str, str], str | None]:
    """What the read held in a row's cell, by row ID and header."""
    header = [normalise_name(h) for h in (read[0] if read else [])]
    id_col = header.index("id") if "id" in header else None
    rows = {read[r][id_col].strip(): r for r in range(1, len(read))
            if id_col is not None and id_col < len(read[r]) and read[r][id_col].strip()}

    def restore(row_id: str, name: str) -> str | None:
        col = normalise_name(name)
        if row_id not in rows or col not in header:
            return None
        return _cell(read, rows[row_id], header.index(col))
    return restore


def _repaired(repair: Repair) -> str:
    return _("{tab}: a late write put a value meant for {meant} into the row of {row} ({column}); put back").format(
        tab=repair.tab, meant=repair.meant_for, row=repair.row_id or "-", column=repair.column)

