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
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sync.core import crash
from sync.core.errors import BackboneError, BusyError, SheetInUse, UnexpectedError
from sync.core.i18n import N_, _, later_, later_ngettext, result_word
from sync.core.model import Planning
from sync.core.privacy import AuthorPolicy
from sync.core.run_result import RunResult, stamp
from sync.core.sheet.change_digest import change_digest
from sync.core.sheet.intents import Reconciled, intents_for, with_cells
from sync.core.sheet.plan import Plan, plan_sheet_update
from sync.core.sheet.reading import read_planning
from sync.core.sheet.recheck import check_open_intents
from sync.core.sheet.run_log import append_conflict_rows, append_log_row
from sync.core.suppression import NOBODY, Suppression
from sync.core.text import one_line
from sync.ports import BoardSource, SheetBackend, SheetChanged, SheetWrite, StatePort
from sync.usecases.board_loading import Progress, chosen_workshops, load_boards

T = TypeVar("T")

log = logging.getLogger("sync.usecases.sync_run")
WRITE_TRIES = 3  # reads and plans when the sheet keeps changing under the write (workbook compare-and-swap)


@dataclass
class SheetWait:
    """How long a run waits for a sheet another program holds (a workbook open in Excel) before it gives up:
    `limit` seconds in all (BACKBONE_WORKBOOK_WAIT), looking again every `interval` seconds. A night's run
    then goes through once the person closes Excel, instead of failing at the first look."""
    limit: float = 0.0
    interval: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0

    def pause(self, held: SheetInUse, sheet: str, progress: Progress) -> None:
        """Wait one interval; raise `held` (said with how long was waited) once the limit is spent."""
        left = self.limit - self.waited
        if left <= 0:
            if self.waited <= 0:
                raise held
            raise SheetInUse(_("{sheet} was still in use ({what}) after waiting {minutes} min; nothing was written: "
                               "close it and run the sync again").format(
                                   sheet=sheet, what=held.what, minutes=_minutes(self.waited)), held.what) from None
        if self.waited <= 0:
            progress(later_("{sheet} is in use ({what}); waiting up to {minutes} min for it to be closed "
                            "(BACKBONE_WORKBOOK_WAIT), nothing is written meanwhile", sheet=sheet, what=held.what,
                            minutes=_minutes(self.limit)))
        step = min(self.interval, left)
        self.sleep(step)
        self.waited += step

    def until_free(self, sheet: SheetBackend, progress: Progress) -> None:
        paused = False
        while (held := sheet.in_use()) is not None:
            self.pause(held, sheet.name, progress)
            paused = True
        if paused:
            progress(later_("{sheet} is free again; syncing", sheet=sheet.name))


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.3g}"


@dataclass(frozen=True)
class SyncRun:
    """One run's ports and options, as `run_sync` is called with them."""
    sheet: SheetBackend
    source: BoardSource
    state: StatePort
    sheet_id: str  # what the merge base is keyed by
    clock: Callable[[], dt.datetime]
    tz: dt.tzinfo
    dry_run: bool
    only: str | None  # --workshop
    progress: Progress
    authors: str  # BACKBONE_AUTHORS
    hide: Callable[[], Suppression]
    wait: SheetWait


def run_sync(sheet: SheetBackend, source: BoardSource, state: StatePort, *, sheet_id: str,
             clock: Callable[[], dt.datetime], tz: dt.tzinfo, dry_run: bool = False, only: str | None = None,
             progress: Progress = lambda _: None, authors: str = "none",
             hide: Callable[[], Suppression] = lambda: NOBODY, wait: SheetWait | None = None) -> RunResult:
    """`hide` reads the list of forgotten people (the state's `suppression`): every board passes through it
    before it is planned or archived, and so do the sheet's values the Konflikter tab and the run copy.
    `wait`: how long to wait for a sheet another program holds (none by default: the run stops at once)."""
    run = SyncRun(sheet, source, state, sheet_id, clock, tz, dry_run, only, progress, authors, hide, wait or SheetWait())
    if dry_run:
        return _run(run)
    with state.sync_lock(_("started {time}").format(time=stamp(clock, tz))):
        return _run(run)


def _run(run: SyncRun) -> RunResult:
    state, clock, tz = run.state, run.clock, run.tz
    result = RunResult(started=stamp(clock, tz))
    stage = _Stage()
    try:
        planning = _plan_and_write(run, result, stage)
        if run.dry_run:
            return result
    except BackboneError as exc:
        if not run.dry_run and not stage.bad_input:
            _record_failure(run, result, stage, one_line(str(exc)))
        raise
    except Exception as exc:  # the last resort: recorded with one line, the traceback in the log
        crash.logged(exc, "sync run")
        if not run.dry_run:
            _record_failure(run, result, stage, crash.run_line(exc))
        raise UnexpectedError(crash.run_line(exc)) from exc
    plan = result.plan
    assert plan is not None  # _plan_and_write made the plan, or raised
    result.run_id = state.record_run(
        {"started": result.started, "ended": result.ended, "result": result.result, **plan.counts(),
         "message": result.message(),
         "details": {"failures": result.failures, "synced": result.synced,
                     "changes": change_digest(plan, planning),
                     "conflicts": [dataclasses.asdict(c) for c in plan.conflicts[:200]],
                     "repairs": [dataclasses.asdict(r) for r in plan.repairs[:200]]}},
        sheet=run.sheet_id, base=plan.base)
    try:
        state.prune_snapshots(now=clock().timestamp())  # BACKBONE_KEEP_SNAPSHOTS; never a board's newest
    except Exception as exc:  # the run is written and recorded; pruning waits for the next one
        crash.logged(exc, "pruning the board snapshots")
    return result


@dataclass
class _Stage:
    """How far a run got, so a failure is recorded where it still can be."""
    values: dict | None = None  # the sheet as read for planning, once read
    written: bool = False  # the sheet write was attempted (a failure there leaves the sheet to itself)
    state_busy: bool = False  # the state database was busy: a second wait to record the failure would be futile
    state_refused: bool = False  # the state database cannot be used
    bad_input: bool = False  # the run was asked for what is not there (a mistyped --workshop): no run to record
    # Either way the sheet is left as it was: the run's message says so, and its Synklogg row would say "failed"
    # for a run whose merge base was never read. The failure goes to the log.


def _plan_and_write(run: SyncRun, result: RunResult, stage: _Stage) -> Planning:
    sheet, source, state, sheet_id, clock, tz = run.sheet, run.source, run.state, run.sheet_id, run.clock, run.tz
    dry_run, only, progress, wait = run.dry_run, run.only, run.progress, run.wait
    progress(later_("reading the sheet {sheet}: the Workshops tab", sheet=sheet.name))
    planning = read_planning(sheet.read_workshops(), sheet.name)
    if not any(w.id.strip() for w in planning.workshops):  # just after `backbone init`: "0 new" alone says nothing
        result.notes.append(_("the Workshops tab has no workshops yet: write one row per workshop (ID, Titel, Datum, "
                              "Mural) and run `backbone sync` again"))
    try:
        chosen_workshops(planning, only)
    except BackboneError:  # a typo is bad input, not a failed night: /health stays as the last run left it
        stage.bad_input = True
        raise
    suppression = _first_state_read(run.hide, stage)  # before any board is read: a list without its key stops the run
    boards = load_boards(planning, source, result, only=only, progress=progress, hide=suppression)
    result.synced = list(boards)
    earlier = None  # open intents of an earlier run, read once: this run's own are recorded as it writes
    attempt = 0  # reads and plans because the sheet changed under the write
    while True:
        if not dry_run:  # held by another program (open in Excel): wait before reading, never plan a write it refuses
            wait.until_free(sheet, progress)
        progress(later_("reading every tab of {sheet}", sheet=sheet.name))
        stage.values = None
        values = sheet.read()
        planning = read_planning(values, sheet.name)  # every tab now: attendees, actions' statuses
        stage.values = values
        base = _first_state_read(lambda: state.load_base(sheet_id), stage)
        read = values
        found = Reconciled()
        if not dry_run:
            earlier = state.open_intents(sheet_id) if earlier is None else earlier
            found = check_open_intents(earlier, values, base)
            values = with_cells(values, found.cells)  # planned as if put back already: written in the same request
        plan = plan_sheet_update(values, boards, base, source=sheet.name, now=stamp(clock, tz), tz=tz,
                                 authors=AuthorPolicy.from_attendees(run.authors, planning.attendees))
        plan.repairs, plan.warnings = found.repairs, found.warnings + plan.warnings
        plan.conflicts = [dataclasses.replace(c, sheet_value=suppression.text(c.sheet_value),
                                              board_value=suppression.text(c.board_value))
                          for c in plan.conflicts]  # a person may have typed a forgotten name in a synced cell
        result.plan = plan
        if dry_run:
            result.warnings.extend(plan.warnings)
            result.warnings.extend(sheet.losses(plan.sheet_write()))
            result.result, result.ended = "dry-run", stamp(clock, tz)
            return planning
        result.result = "ok" if not result.failures else ("partial" if boards else "failed")
        result.ended = stamp(clock, tz)
        append_conflict_rows(plan, values, sheet.name, result.ended)
        lost = sheet.losses(plan.sheet_write())  # said again by the write's warnings; recorded in Synklogg here
        append_log_row(plan, values, sheet.name, {
            "start": result.started, "end": result.ended, "result": result_word(result.result), **plan.counts(),
            "message": "; ".join(part for part in (result.message(), *lost) if part)})
        progress(later_ngettext("writing {count} cell to {sheet}", "writing {count} cells to {sheet}", len(plan.cells),
                                sheet=sheet.name))
        try:
            stage.written = True
            write = plan.sheet_write()
            _write_recorded(sheet, state, sheet_id, SheetWrite(write.new_tabs, tuple(found.cells) + write.cells), read)
            break
        except SheetInUse as held:  # opened meanwhile, or the system refused the save: nothing was written
            stage.written = False
            wait.pause(held, sheet.name, progress)
        except SheetChanged:  # nothing was written (its intents are cleared with the next write's)
            stage.written = False
            attempt += 1
            if attempt == WRITE_TRIES:
                raise BusyError(_("{sheet} changed {count} times while syncing (saved by another program); nothing "
                                  "was written: run the sync again when it is not being saved").format(
                                      sheet=sheet.name, count=WRITE_TRIES)) from None
            progress(later_("{sheet} changed while writing; reading it again", sheet=sheet.name))
    result.warnings.extend(plan.warnings)
    result.warnings.extend(sheet.take_warnings())
    return planning


def _first_state_read(read: Callable[[], T], stage: _Stage) -> T:
    """A read of the state database before the sheet is written: busy or unusable, the run stops and says so once."""
    try:
        return read()
    except BusyError:
        stage.state_busy = True
        raise
    except BackboneError:  # another version's layout, damaged, or the list of forgotten people without its key
        stage.state_refused = True
        raise


def _write_recorded(sheet: SheetBackend, state: StatePort, sheet_id: str, write: SheetWrite, values: dict) -> None:
    """The write, its intents recorded before it is sent and cleared once it is seen in place. A write that got
    no answer (`settled()` is False) keeps them open: Google may still apply it, and the next run checks."""
    state.record_intents(sheet_id, intents_for(write.cells, values))
    sheet.apply(write)
    if sheet.settled():
        state.clear_intents(sheet_id)


def _record_failure(run: SyncRun, result: RunResult, stage: _Stage, line: str) -> None:
    """A failed run in the state database and, when the sheet was read and not (half) written, in its Synklogg.
    Never raises: what failed is what the person must hear about, not that recording it failed too."""
    sheet, state, clock, tz = run.sheet, run.state, run.clock, run.tz
    result.result, result.ended = "failed", stamp(clock, tz)
    message = "; ".join([line, *(f"{w}: {reason}" for w, reason in result.failures)])
    if stage.values is not None and not stage.written and not (stage.state_busy or stage.state_refused):
        try:
            plan = Plan()
            append_log_row(plan, stage.values, sheet.name, {"start": result.started, "end": result.ended,
                                                             "result": result_word("failed"), "message": message})
            sheet.apply(plan.sheet_write())
        except Exception as exc:  # noqa: BLE001 - the sheet is what failed, or cannot take the row now
            log.warning(N_("the failed run could not be logged in %s's Synklogg: %s"), sheet.name,
                        one_line(str(exc)) if isinstance(exc, BackboneError) else type(exc).__name__)
    if stage.state_busy or stage.state_refused:  # busy a moment ago (waiting again would double the wait), or unusable
        log.warning(N_("the failed run is not recorded in the state database: %s"), line)
        return
    try:
        state.record_run({"started": result.started, "ended": result.ended, "result": "failed",
                          "message": line, "details": {"failures": result.failures}})
    except Exception as exc:  # noqa: BLE001
        log.warning(N_("the failed run could not be recorded in the state database: %s"),
                    one_line(str(exc)) if isinstance(exc, BackboneError) else type(exc).__name__)
