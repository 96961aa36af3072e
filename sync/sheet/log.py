"""The Synklogg and Konflikter tabs: rows appended per sync run, in the same write as the run's changes."""
from __future__ import annotations

from ..i18n import ngettext
from ..ports import SheetValues
from .plan import Plan, TabEditor
from .tabs import CONFLICTS, SYNC_LOG


def append_log_row(plan: Plan, values: SheetValues, source: str, record: dict[str, str | int]) -> None:
    """Queue the run's log row (start, end, result, counts, message) after the tab's last row."""
    tab = TabEditor(SYNC_LOG, values, source, plan)
    row = tab.next_row
    for key, value in record.items():
        if key in tab.columns:
            tab.write(row, key, value)


def append_conflict_rows(plan: Plan, values: SheetValues, source: str, now: str) -> None:
    """One Konflikter row per conflict of this run (time, tab, ID, column, the value kept, the board's value),
    where coordinators look; the tab is made with the first conflict."""
    if not plan.conflicts:
        return
    tab = TabEditor(CONFLICTS, values, source, plan)
    for row, conflict in enumerate(plan.conflicts, tab.next_row):
        for key, value in (("time", now), ("tab", conflict.tab), ("row_id", conflict.row_id), ("column", conflict.column),
                           ("kept", conflict.sheet_value), ("board", conflict.board_value)):
            tab.write(row, key, value)


def conflict_summary(plan: Plan, *, named: int = 3) -> str:
    """For the Synklogg message: the conflicting cells by name when there are few, else a count."""
    if not plan.conflicts:
        return ""
    if len(plan.conflicts) <= named:
        cells = ", ".join(f"{c.tab} {c.row_id} {c.column}" for c in plan.conflicts)
        return ngettext("a conflict kept the sheet's value ({cells}); the board's value is in Konflikter",
                        "conflicts kept the sheet's value ({cells}); the board's values are in Konflikter",
                        len(plan.conflicts)).format(cells=cells)
    return ngettext("{count} conflict kept the sheet's value; both values are in Konflikter",
                    "{count} conflicts kept the sheet's value; both values are in Konflikter",
                    len(plan.conflicts)).format(count=len(plan.conflicts))
