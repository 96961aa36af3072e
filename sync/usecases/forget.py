"""`backbone forget NAME`: remove a person from every place backbone wrote or keeps.

- the sheet's sync-owned cells (sync's columns in the rows sync wrote, and Synklogg), written through
  the SheetBackend port in one write, rows found by their ID as a sync finds them;
- the state database: every table (sync/adapters/sqlite/erasure.py), every archived snapshot (hashes recomputed), then
  compacted so the name is gone from the file's free pages and journals too;
- and for good: the person joins the suppression list (keyed hashes of the name and of the MURAL user ids
  that carried it, sync/core/suppression.py), so later syncs, recaps, follow-ups and digests leave them out.

Cells people own (Deltagare, added columns, rows people added) and files backbone only reads or
hands out (board exports, recaps) are listed for a human to check, never changed. Nothing is changed
without `apply`; the sheet is written first, so a failure leaves the state as it was and a rerun finishes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from sync.core.i18n import _
from sync.core.redact import NameEraser
from sync.core.sheet.tabs import ALL_TABS, CONFLICTS, SYNC_LOG, find_columns, find_tab
from sync.ports import CellWrite, Erasure, ForgottenPeople, HandedOutFiles, SheetBackend, SheetValues, SheetWrite, StatePort


@dataclass(frozen=True)
class Place:
    """A cell naming the person: where it is, as people find it in the sheet."""
    tab: str
    row: int  # 0-based, as CellWrite counts
    column: str  # the header
    row_id: str = ""

    def __str__(self) -> str:
        if self.row_id:
            return _("{tab}, ID {id}, column {column!r}").format(tab=self.tab, id=self.row_id, column=self.column)
        return _("{tab}, row {row}, column {column!r}").format(tab=self.tab, row=self.row + 1, column=self.column)


@dataclass
class ForgetReport:
    name: str
    applied: bool
    cells: list[tuple[Place, str]] = field(default_factory=list)  # sync-owned cells and their new value
    to_check: list[Place] = field(default_factory=list)  # people's cells, left alone
    state: Erasure = field(default_factory=Erasure)
    files_to_check: list[Path] = field(default_factory=list)


def scan_sheet(values: SheetValues, eraser: NameEraser, source: str,
               synced_rows: set[tuple[str, str]]) -> tuple[list[tuple[Place, CellWrite]], list[Place]]:
    """Sync-owned cells to rewrite, and people's cells to list. A cell is sync's when its column is and its
    row is one sync wrote (its ID is in the merge base: `synced_rows` holds (tab key, row ID)); Synklogg
    and Konflikter are sync's alone. A row a person added, even with an ID, is theirs."""
    writes: list[tuple[Place, CellWrite]] = []
    to_check: list[Place] = []
    for schema in ALL_TABS:
        title = find_tab(schema, list(values))
        rows = values.get(title, []) if title else []
        if title is None or not rows:
            continue
        header = rows[0]
        columns = find_columns(replace(schema, required=frozenset()), header,
                               _("{sheet}, tab {tab!r}").format(sheet=source, tab=title))
        keys = {index: key for key, index in columns.items()}
        for number, row in enumerate(rows[1:], 1):
            row_id = row[columns["id"]].strip() if "id" in columns and columns["id"] < len(row) else ""
            ours = schema in (SYNC_LOG, CONFLICTS) or (schema.key, row_id) in synced_rows  # the logs are sync's alone
            for col, value in enumerate(row):
                if not eraser.mentions(value):
                    continue
                place = Place(title, number, header[col] if col < len(header) else f"#{col + 1}", row_id)
                if ours and keys.get(col) in schema.synced:
                    writes.append((place, CellWrite(title, number, col, eraser.text(value))))
                else:
                    to_check.append(place)
    return writes, to_check


def forget(name: str, sheet: SheetBackend, state: StatePort, people: ForgottenPeople, *, sheet_id: str, apply: bool,
           marker: str, files: HandedOutFiles | None = None) -> ForgetReport:
    """What naming `name` is in the sheet (sync's cells in the rows of `state`'s merge base), in handed-out `files` and
    in what `people` keeps; changed when `apply` (the sheet first, then the state, which joins the person to the list).
    The files are only listed, never changed."""
    eraser = NameEraser(name, marker)
    report = ForgetReport(eraser.name, apply)
    synced_rows = {(tab, row_id) for tab, row_id, _ in state.load_base(sheet_id)}
    writes, report.to_check = scan_sheet(sheet.read(), eraser, sheet.name, synced_rows)
    report.cells = [(place, str(write.value)) for place, write in writes]  # the eraser's text
    if apply and writes:
        sheet.apply(SheetWrite(cells=tuple(write for _, write in writes)))
    report.files_to_check = files.naming(eraser) if files is not None else []
    user_ids = files.user_ids(report.files_to_check, eraser) if files is not None else set()
    report.state = people.erase(eraser, apply=apply, user_ids=user_ids)
    return report
