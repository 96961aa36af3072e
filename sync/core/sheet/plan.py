"""plan_sheet_update: what one sync writes to the shared sheet. Pure: no I/O, no clock.

Rows are found by their ID, never by position; only sync-owned columns are written; every
sync-owned cell goes through the three-way merge in merge.py. A row a person deleted stays deleted
(sync remembers it wrote the row); a note gone from the board is marked `På tavlan = nej`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from sync.core.curation import recap_note_count
from sync.core.errors import InputError
from sync.core.i18n import _
from sync.core.model import Board, Note
from sync.core.privacy import HIDDEN, AuthorPolicy
from sync.core.sheet.intents import Repair
from sync.core.sheet.merge import Outcome, merge_cell
from sync.core.sheet.tabs import ACTIONS, IDEAS, WORKSHOPS, TabSchema, find_columns, find_renamed_tab, find_tab
from sync.core.sheet.values import BaseKey, CellWrite, SheetValues, SheetWrite


@dataclass(frozen=True)
class CellChange:
    tab: str
    row_id: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class Conflict:
    tab: str
    row_id: str
    column: str
    sheet_value: str
    board_value: str


@dataclass
class Plan:
    new_tabs: list[str] = field(default_factory=list)
    cells: list[CellWrite] = field(default_factory=list)
    new_rows: list[tuple[str, str]] = field(default_factory=list)
    changed_rows: set[tuple[str, str]] = field(default_factory=set)
    removed_rows: list[tuple[str, str]] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept_edits: int = 0
    deleted_by_people: list[tuple[str, str]] = field(default_factory=list)
    base: dict[BaseKey, str] = field(default_factory=dict)  # base entries to store once written
    warnings: list[str] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (tab, row ID) -> a note's text, for previews
    repairs: list[Repair] = field(default_factory=list)  # what an earlier run's write misplaced, put back first

    def sheet_write(self) -> SheetWrite:
        return SheetWrite(new_tabs=tuple(self.new_tabs), cells=tuple(self.cells))

    def counts(self) -> dict[str, int]:
        changed = self.changed_rows - set(self.new_rows) - set(self.removed_rows)
        return {"new": len(self.new_rows), "changed": len(changed), "removed": len(self.removed_rows),
                "conflicts": len(self.conflicts)}


class TabEditor:
    """One tab during planning: finds rows by ID, creates missing columns, queues cell writes."""

    def __init__(self, schema: TabSchema, values: SheetValues, source: str, plan: Plan,
                 known_ids: set[str] | None = None):
        self.schema, self.plan = schema, plan
        title = find_tab(schema, list(values))
        if title is None and known_ids is not None:  # renamed by a person: found by its content, never replaced
            title = find_renamed_tab(schema, values, known_ids)
            if title is not None:
                plan.warnings.append(_("{sheet}: the tab {old!r} is now called {new!r}; sync keeps writing there").format(
                    sheet=source, old=schema.title, new=title))
        self.title = title or schema.title
        self.rows = values.get(title, []) if title else []
        if title is None:
            plan.new_tabs.append(self.title)
        header = list(self.rows[0]) if self.rows else []
        where = _("{sheet}, tab {tab!r}").format(sheet=source, tab=self.title)
        self.columns = find_columns(dataclasses.replace(schema, required=frozenset()), header, where)
        self.created: set[str] = set()
        if "id" in schema.synced | schema.required and "id" not in self.columns and len(self.rows) > 1:
            raise InputError(_("{where}: the ID column is gone, so rows cannot be matched to the board; restore it (undo "
                               "in the sheet) or add a column named ID holding the IDs").format(where=where))
        for column in schema.columns:
            # A new tab gets every column (Status too); an existing one only the columns sync needs.
            wanted = title is None or column.key in schema.synced | schema.required
            if wanted and column.key not in self.columns:
                self.columns[column.key] = len(header)
                header.append(column.header)
                self.created.add(column.key)
                plan.cells.append(CellWrite(self.title, 0, self.columns[column.key], column.header))
        self.by_id: dict[str, int] = {}
        id_col = self.columns.get("id")
        for index, row in enumerate(self.rows[1:], 1):
            row_id = row[id_col].strip() if id_col is not None and id_col < len(row) else ""
            if not row_id:
                continue
            if row_id in self.by_id:
                plan.warnings.append(_("{where}, row {row}: ID {id} appears twice; only row {kept} is kept in step").format(
                    where=where, row=index + 1, id=row_id, kept=self.by_id[row_id] + 1))
                continue
            self.by_id[row_id] = index
        self.next_row = max(len(self.rows), 1)

    def cell(self, row: int, key: str) -> str:
        values = self.rows[row] if row < len(self.rows) else []
        col = self.columns[key]
        return values[col] if col < len(values) else ""

    def write(self, row: int, key: str, value: str | int) -> None:  # numbers (Röster) stay numbers in the sheet
        self.plan.cells.append(CellWrite(self.title, row, self.columns[key], value))

    def add_row(self, row_id: str, record: dict[str, str | int]) -> None:
        row, self.next_row = self.next_row, self.next_row + 1
        for key, value in record.items():
            self.write(row, key, value)
            self.plan.base[(self.schema.key, row_id, key)] = str(value)
        self.by_id[row_id] = row
        self.plan.new_rows.append((self.title, row_id))
        self.plan.labels[(self.title, row_id)] = str(record.get("text") or record.get("title") or "")

    def merge_row(self, row_id: str, record: dict[str, str | int], base: dict[BaseKey, str]) -> bool:
        """Three-way merge of the record into an existing row; True when something was written."""
        row, wrote = self.by_id[row_id], False
        values = self.rows[row] if row < len(self.rows) else []
        columns, created, tab_key = self.columns, self.created, self.schema.key
        for key, value in record.items():
            board_value = str(value)  # compared and remembered as text; written as given (a number stays a number)
            col = columns[key]
            sheet_value = values[col] if col < len(values) else ""
            remembered = None if key in created else base.get((tab_key, row_id, key))
            if sheet_value == board_value:  # in step, as most cells are most nights: merge_cell's SAME, said directly
                if remembered != board_value:
                    self.plan.base[(tab_key, row_id, key)] = board_value
                continue
            decision = merge_cell(sheet_value, board_value, remembered)  # numbers compare as people read them
            if decision.outcome is Outcome.WRITE:
                self.write(row, key, value)
                self.plan.changes.append(CellChange(self.title, row_id, self.schema.column(key).header, sheet_value, board_value))
                if self.schema is not WORKSHOPS:  # bookkeeping cells are not "changed ideas"
                    self.plan.changed_rows.add((self.title, row_id))
                wrote = True
            elif decision.outcome is Outcome.KEEP:
                self.plan.kept_edits += 1
            elif decision.outcome is Outcome.CONFLICT:
                self.plan.conflicts.append(Conflict(self.title, row_id, self.schema.column(key).header, sheet_value, str(board_value)))
            if decision.new_base is not None and decision.new_base != remembered:
                self.plan.base[(self.schema.key, row_id, key)] = decision.new_base
        return wrote


def _when(millis: int | None, tz: dt.tzinfo) -> str:
    if not millis:
        return ""
    return dt.datetime.fromtimestamp(millis / 1000, tz).strftime("%Y-%m-%d %H:%M")


def _comments_cell(note: Note) -> str:
    """One line per unresolved comment, its replies after it."""
    return "\n".join(" ↳ ".join((c.text, *c.replies)) if c.text else " ↳ ".join(c.replies) for c in note.comments)


def idea_records(workshop_id: str, board: Board, tz: dt.tzinfo, authors: AuthorPolicy = HIDDEN) -> dict[str, dict[str, str | int]]:
    return {
        note.id: {"id": note.id, "workshop": workshop_id, "exercise": exercise.title if exercise else "",
                  "group": group.title if group else "", "text": note.text, "author": authors.show(note),
                  "updated": _when(note.updated or note.created, tz), "on_board": "ja",
                  "votes": "" if note.votes is None else note.votes, "tags": ", ".join(note.tags),
                  "comments": _comments_cell(note)}
        for exercise, group, note in board.notes()
    }


def action_records(workshop_id: str, board: Board) -> dict[str, dict[str, str | int]]:
    return {a.id: {"id": a.id, "workshop": workshop_id, "title": a.title, "how": a.how, "when": a.when, "who": a.who}
            for a in board.actions}


def note_count(board: Board, curated: tuple[dict[str, str], set[str]] | None = None) -> int:
    """`Lappar`: the notes the workshop's recap lists (sync/core/curation.py), as the Idéer tab curates them."""
    in_recap, written = curated or ({}, set())
    return recap_note_count(board, in_recap, written)


def _curation(ideas: TabEditor, base: dict[BaseKey, str]) -> tuple[dict[str, str], set[str]]:
    """(row ID -> its I sammanfattningen cell, the row IDs sync wrote): read before this run adds rows, which are
    neither curated nor written before."""
    column = ideas.columns.get("in_recap")
    in_recap = {row_id: (ideas.cell(row, "in_recap") if column is not None else "") for row_id, row in ideas.by_id.items()}
    return in_recap, {row_id for tab, row_id, key in base if tab == IDEAS.key and key == "id"}


def plan_sheet_update(values: SheetValues, boards: dict[str, Board], base: dict[BaseKey, str], *,
                      source: str, now: str, tz: dt.tzinfo = dt.UTC, authors: AuthorPolicy = HIDDEN) -> Plan:
    """The writes that bring every board in `boards` (workshop ID -> board) into the sheet.

    Workshops whose board could not be loaded are simply absent from `boards`: their rows are left alone.
    """
    plan = Plan()
    workshops = TabEditor(WORKSHOPS, values, source, plan)
    if WORKSHOPS.title in plan.new_tabs:
        raise InputError(_("{sheet}: no tab {tab!r}; add it with the columns {columns}").format(
            sheet=source, tab="Workshops", columns="ID, Titel, Datum, Tema, Mural"))
    ideas = TabEditor(IDEAS, values, source, plan, known_ids={k[1] for k in base if k[0] == IDEAS.key})
    actions = TabEditor(ACTIONS, values, source, plan, known_ids={k[1] for k in base if k[0] == ACTIONS.key})
    curated = _curation(ideas, base)
    for workshop_id, board in boards.items():
        touched = len(plan.changed_rows) + len(plan.new_rows)
        _sync_rows(ideas, workshop_id, idea_records(workshop_id, board, tz, authors), base, plan, mark_removed=True)
        _sync_rows(actions, workshop_id, action_records(workshop_id, board), base, plan, mark_removed=False)
        if workshop_id in workshops.by_id:
            changed = len(plan.changed_rows) + len(plan.new_rows) > touched
            # A number in the sheet, not text (Excel flags text digits).
            record: dict[str, str | int] = {"notes": note_count(board, curated)}
            if changed or not workshops.cell(workshops.by_id[workshop_id], "synced"):
                record["synced"] = now
            workshops.merge_row(workshop_id, record, base)
    return plan


def _sync_rows(tab: TabEditor, workshop_id: str, records: dict[str, dict[str, str | int]], base: dict[BaseKey, str],
               plan: Plan, *, mark_removed: bool) -> None:
    for row_id, record in records.items():
        if row_id in tab.by_id:
            tab.merge_row(row_id, record, base)
        elif (tab.schema.key, row_id, "id") in base:
            plan.deleted_by_people.append((tab.title, row_id))  # sync wrote it once; a person removed it
        else:
            tab.add_row(row_id, record)
    if not mark_removed:
        return
    wanted = workshop_id.casefold()
    for row_id, row in list(tab.by_id.items()):
        if row_id in records or row == 0:
            continue
        owner = tab.cell(row, "workshop") or base.get((tab.schema.key, row_id, "workshop"), "")
        if owner.strip().casefold() != wanted:
            continue
        if tab.merge_row(row_id, {"on_board": "nej"}, base):
            plan.removed_rows.append((tab.title, row_id))
