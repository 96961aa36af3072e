"""One sync run: read the Workshops tab, load and normalise the boards, then read the sheet, plan and
write at once, record.

The boards load before the sheet is read for planning, so the window in which people's edits can move
rows under a planned write is one round trip, not a MURAL pull (docs/architecture.md, "The sheet holds").
The state advances only after the write succeeded, so a rerun after any failure converges without
duplicate rows.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from .board import normalise
from .boards import BoardSource
from .errors import BackboneError, BusyError, NotFoundError
from .i18n import _, ngettext, result_word
from .model import Board, Planning
from .privacy import AuthorPolicy
from .sheet.digest import change_digest
from .sheet.log import append_conflict_rows, append_log_row, conflict_summary
from .sheet.plan import Plan, plan_sheet_update
from .sheet.port import SheetBackend, SheetChanged
from .sheet.read import read_planning
from .state import StateStore
from .text import one_line

Progress = Callable[[str], None]
WRITE_TRIES = 3  # reads and plans when the sheet keeps changing under the write (workbook compare-and-swap)


@dataclass
class RunResult:
    started: str
    ended: str = ""
    result: str = "ok"  # ok | partial | failed | dry-run
    plan: Plan | None = None
    synced: list[str] = field(default_factory=list)  # workshop IDs brought in
    failures: list[tuple[str, str]] = field(default_factory=list)  # (workshop ID, one-line reason)
    warnings: list[str] = field(default_factory=list)
    run_id: int | None = None

    def counts(self) -> dict[str, int]:
        return self.plan.counts() if self.plan else {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}

    def message(self) -> str:
        parts = [f"{w}: {reason}" for w, reason in self.failures]
        if self.plan and self.plan.deleted_by_people:
            deleted = len(self.plan.deleted_by_people)
            parts.append(ngettext("{count} row deleted in the sheet stays deleted",
                                  "{count} rows deleted in the sheet stay deleted", deleted).format(count=deleted))
        if self.plan and self.plan.conflicts:
            parts.append(conflict_summary(self.plan))
        return "; ".join(parts)


def stamp(clock: Callable[[], dt.datetime], tz: dt.tzinfo) -> str:
    """A run's times as people read them in the sheet, the page and `backbone runs`."""
    return clock().astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def load_boards(planning: Planning, source: BoardSource, result: RunResult, *, only: str | None,
                include_hidden: bool, progress: Progress) -> dict[str, Board]:
    chosen = [w for w in planning.workshops if w.board.strip()]
    if only is not None:
        chosen = [w for w in planning.workshops if w.id.casefold() == only.casefold()]
        if not chosen:
            raise NotFoundError(_("no workshop with ID {id!r} in the Workshops tab").format(id=only))
        if not chosen[0].board.strip():
            raise NotFoundError(_("workshop {id} has no board in the Mural column").format(id=chosen[0].id))
    boards: dict[str, Board] = {}
    owners: dict[str, str] = {}  # board ID -> the first workshop pointing at it
    for number, workshop in enumerate(chosen, 1):
        progress(f"[{number}/{len(chosen)}] {workshop.id}: " + _("loading the board"))
        try:
            export = source.fetch(workshop.board.strip())
            board = normalise(list(export.widgets), board_id=export.id, title=export.title, updated=export.updated,
                              tags=export.tags, include_hidden=include_hidden, workshop=workshop.id,
                              votes=export.votes())
        except BackboneError as exc:
            result.failures.append((workshop.id, one_line(str(exc))))
            progress(f"[{number}/{len(chosen)}] {workshop.id}: " + _("FAILED: {reason}").format(reason=one_line(str(exc))))
            continue
        if board.id in owners:  # both would claim the same notes, flipping their Workshop cells every run
            result.warnings.append(_("workshops {first} and {second} both point at the board {board}; only {first} is "
                                     "synced: give {second} its own board in the Mural column").format(
                                         first=owners[board.id], second=workshop.id, board=board.id))
            progress(f"[{number}/{len(chosen)}] {workshop.id}: " + _("skipped, same board as {first}").format(
                first=owners[board.id]))
            continue
        owners[board.id] = workshop.id
        boards[workshop.id] = board
        result.warnings.extend(f"{workshop.id}: {w}" for w in board.warnings)
        ideas, actions = len(board.notes()), len(board.actions)
        progress(f"[{number}/{len(chosen)}] {workshop.id}: " + ngettext("{count} idea", "{count} ideas", ideas).format(
            count=ideas) + ", " + ngettext("{count} action", "{count} actions", actions).format(count=actions))
    return boards


def run_sync(sheet: SheetBackend, source: BoardSource, state: StateStore, *, sheet_id: str,
             clock: Callable[[], dt.datetime], tz: dt.tzinfo, dry_run: bool = False, only: str | None = None,
             include_hidden: bool = False, progress: Progress = lambda _: None, authors: str = "none") -> RunResult:
    if dry_run:
        return _run(sheet, source, state, sheet_id, clock, tz, True, only, include_hidden, progress, authors)
    with state.sync_lock(_("started {time}").format(time=stamp(clock, tz))):
        return _run(sheet, source, state, sheet_id, clock, tz, False, only, include_hidden, progress, authors)


def _run(sheet, source, state, sheet_id, clock, tz, dry_run, only, include_hidden, progress, authors="none") -> RunResult:
    result = RunResult(started=stamp(clock, tz))
    try:
        progress(_("reading the sheet {sheet}: the Workshops tab").format(sheet=sheet.name))
        planning = read_planning(sheet.read_workshops(), sheet.name)
        boards = load_boards(planning, source, result, only=only, include_hidden=include_hidden, progress=progress)
        result.synced = list(boards)
        for attempt in range(1, WRITE_TRIES + 1):
            progress(_("reading every tab of {sheet}").format(sheet=sheet.name))
            values = sheet.read()
            planning = read_planning(values, sheet.name)  # every tab now: attendees, actions' statuses
            plan = plan_sheet_update(values, boards, state.load_base(sheet_id), source=sheet.name,
                                     now=stamp(clock, tz), tz=tz,
                                     authors=AuthorPolicy.from_attendees(authors, planning.attendees))
            result.plan = plan
            if dry_run:
                result.warnings.extend(plan.warnings)
                result.result, result.ended = "dry-run", stamp(clock, tz)
                return result
            result.result = "ok" if not result.failures else ("partial" if boards else "failed")
            result.ended = stamp(clock, tz)
            append_conflict_rows(plan, values, sheet.name, result.ended)
            append_log_row(plan, values, sheet.name, {
                "start": result.started, "end": result.ended, "result": result_word(result.result), **plan.counts(),
                "message": result.message()})
            progress(ngettext("writing {count} cell to {sheet}", "writing {count} cells to {sheet}", len(plan.cells)).format(
                count=len(plan.cells), sheet=sheet.name))
            try:
                sheet.apply(plan.sheet_write())
                break
            except SheetChanged:
                if attempt == WRITE_TRIES:
                    raise BusyError(_("{sheet} changed {count} times while syncing (saved by another program); nothing "
                                      "was written: run the sync again when it is not being saved").format(
                                          sheet=sheet.name, count=WRITE_TRIES)) from None
                progress(_("{sheet} changed while writing; reading it again").format(sheet=sheet.name))
        result.warnings.extend(plan.warnings)
        result.warnings.extend(sheet.take_warnings())
    except BackboneError as exc:
        if not dry_run:
            result.result, result.ended = "failed", stamp(clock, tz)
            state.record_run({"started": result.started, "ended": result.ended, "result": "failed",
                              "message": one_line(str(exc)), "details": {"failures": result.failures}})
        raise
    result.run_id = state.record_run(
        {"started": result.started, "ended": result.ended, "result": result.result, **result.plan.counts(),
         "message": result.message(),
         "details": {"failures": result.failures, "synced": result.synced,
                     "changes": change_digest(result.plan, planning),
                     "conflicts": [dataclasses.asdict(c) for c in result.plan.conflicts[:200]]}},
        sheet=sheet_id, base=result.plan.base)
    state.prune_snapshots(now=clock().timestamp())  # BACKBONE_KEEP_SNAPSHOTS; never a board's newest
    return result
