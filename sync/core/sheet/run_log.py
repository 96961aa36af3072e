"""The Synklogg and Konflikter tabs: rows appended per sync run, in the same write as the run's changes."""
from __future__ import annotations

from sync.core.i18n import _, ngettext
from sync.core.sheet.plan import Plan, TabEditor
from sync.core.sheet.tabs import CONFLICTS, SYNC_LOG
from sync.core.sheet.values import SheetValues


def append_log_row(plan: Plan, values: SheetValues, source: str, record: dict[str, str | int]) -> None:
    """Queue the run's log row (start, end, result, counts, message) after the tab's last row."""
    tab = TabEditor(SYNC_LOG, values, source, plan)
    row = tab.next_row
    for key, value in record.items():
        if key in tab.columns:
            tab.write(row, key, value)


def append_conflict_rows(plan: Plan, values: SheetValues, source: str, now: str) -> None:
    """One Konflikter row per conflict of this run (time, tab, ID, column, the value kept, the board's value),
    where coordinators look, then one per repair (a value an earlier run's write put into another row, put
    back); the tab is made with the first row."""
    lines = [(c.tab, c.row_id, c.column, c.sheet_value, c.board_value) for c in plan.conflicts]
    lines += [(r.tab, r.row_id, r.column, r.restored,
               _("{value} (meant for {id}; put back by the sync)").format(value=r.misplaced, id=r.meant_for))
              for r in plan.repairs]
    if not lines:
        return
    tab = TabEditor(CONFLICTS, values, source, plan)
    for row, (tab_title, row_id, column, kept, board) in enumerate(lines, tab.next_row):
        for key, value in (("time", now), ("tab", tab_title), ("row_id", row_id), ("column", column),
                           ("kept", kept), ("board", board)):
            tab.write(row, key, value)


def repair_summary(plan: Plan) -> str:
    """For the Synklogg message: values an earlier run's write misplaced, put back by this one."""
    if not plan.repairs:
        return ""
    return ngettext("{count} value an interrupted sync wrote into another row was put back; see Konflikter",
                    "{count} values an interrupted sync wrote into other rows were put back; see Konflikter",
                    len(plan.repairs)).format(count=len(plan.repairs))


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
