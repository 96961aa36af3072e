"""What makes the sheet guide people, worked out from what was read: a frozen header row on every tab sync
knows, a Status dropdown, and which columns are sync-owned (Google warns a person editing them). Pure.

Backends add each guide only when it is missing (adding is not idempotent in Google Sheets).
"""
from __future__ import annotations

from dataclasses import dataclass

from sync.core.sheet.tabs import ACTIONS, ALL_TABS, STATUS_CHOICES, find_tab, normalise_name
from sync.core.sheet.values import SheetValues, SheetWrite


@dataclass(frozen=True)
class TabGuides:
    title: str
    synced_columns: tuple[int, ...]  # 0-based, sync-owned: a person editing them is warned, never blocked
    status_column: int | None = None
    status_choices: tuple[str, ...] = ()


def header_after(values: SheetValues, write: SheetWrite, title: str) -> list[str]:
    """A tab's header row once the write is applied (sync adds missing columns)."""
    header = list(values.get(title, [[]])[0]) if values.get(title) else []
    for cell in write.cells:
        if cell.tab == title and cell.row == 0:
            header += [""] * (cell.col + 1 - len(header))
            header[cell.col] = str(cell.value)
    return header


def sheet_guides(values: SheetValues, write: SheetWrite) -> list[TabGuides]:
    titles = list(dict.fromkeys([*values, *write.new_tabs]))
    guides = []
    for schema in ALL_TABS:
        title = find_tab(schema, titles)
        if title is None:
            continue
        header = [normalise_name(h) for h in header_after(values, write, title)]
        owned = {normalise_name(n) for c in schema.columns if c.key in schema.synced for n in (c.header, *c.aliases)}
        synced = tuple(i for i, h in enumerate(header) if h and h in owned)
        status = None
        choices: tuple[str, ...] = ()
        if schema is ACTIONS:
            status_names = {normalise_name(n) for n in (ACTIONS.column("status").header, *ACTIONS.column("status").aliases)}
            status = next((i for i, h in enumerate(header) if h in status_names), None)
            if status is not None:
                used = [r[status].strip() for r in values.get(title, [])[1:] if status < len(r) and r[status].strip()]
                choices = tuple(dict.fromkeys([*STATUS_CHOICES, *used]))
        guides.append(TabGuides(title, synced, status, choices))
    return guides
