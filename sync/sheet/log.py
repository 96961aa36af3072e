"""The Synklogg tab: one row appended per sync run, in the same write as the run's changes."""
from __future__ import annotations

from .plan import Plan, TabEditor
from .port import SheetValues
from .tabs import SYNC_LOG


def append_log_row(plan: Plan, values: SheetValues, source: str, record: dict[str, str | int]) -> None:
    """Queue the run's log row (start, end, result, counts, message) after the tab's last row."""
    tab = TabEditor(SYNC_LOG, values, source, plan)
    row = tab.next_row
    for key, value in record.items():
        if key in tab.columns:
            tab.write(row, key, value)
