"""A sync's first step after the Workshops tab: each workshop's board loaded and normalised, one at a time.

One bad board fails its workshop alone (a line in the run's failures), never the run: the night goes on
with the other workshops.
"""
from __future__ import annotations

from collections.abc import Callable

from sync.core import crash
from sync.core.errors import BackboneError, NotFoundError
from sync.core.i18n import Later, _, later_, later_ngettext
from sync.core.model import Board, Planning, Workshop
from sync.core.run_result import RunResult
from sync.core.suppression import NOBODY, Suppression
from sync.core.text import one_line
from sync.ports import BoardSource

Progress = Callable[[str | Later], None]  # Later: the web page says each line in its visitor's language


def chosen_workshops(planning: Planning, only: str | None) -> list[Workshop]:
    """The workshops a run syncs: every one with a board, or the one `--workshop` names. A name that is not in the
    tab is bad input (NotFoundError, exit 2), said with the IDs there are: the run has not begun."""
    if only is None:
        return [w for w in planning.workshops if w.board.strip()]
    chosen = [w for w in planning.workshops if w.id.casefold() == only.casefold()]
    if not chosen:
        known = [w.id for w in planning.workshops if w.id]
        if not known:
            raise NotFoundError(_("no workshop with ID {id!r} in the Workshops tab: the tab has no workshop yet; add one "
                                  "row per workshop").format(id=only))
        shown = ", ".join(known[:30]) + (", …" if len(known) > 30 else "")
        raise NotFoundError(_("no workshop with ID {id!r} in the Workshops tab (IDs there: {known})").format(
            id=only, known=shown))
    if not chosen[0].board.strip():
        raise NotFoundError(_("workshop {id} has no board in the Mural column").format(id=chosen[0].id))
    return chosen


def load_boards(planning: Planning, source: BoardSource, result: RunResult, *, only: str | None, progress: Progress,
                hide: Suppression = NOBODY) -> dict[str, Board]:
    """`hide`: the forgotten people, cut from every board as the source reads it."""
    chosen = chosen_workshops(planning, only)
    boards: dict[str, Board] = {}
    owners: dict[str, str] = {}  # board ID -> the first workshop pointing at it
    for number, workshop in enumerate(chosen, 1):
        step = f"[{number}/{len(chosen)}] {workshop.id}: "
        progress(step + later_("loading the board"))
        try:
            board = source.board(workshop.board.strip(), workshop=workshop.id, hide=hide)
        except BackboneError as exc:
            result.failures.append((workshop.id, one_line(str(exc))))
            progress(step + later_("FAILED: {reason}", reason=one_line(str(exc))))
            continue
        except Exception as exc:  # the last resort: one workshop's bad board never stops the night
            crash.logged(exc, f"workshop {workshop.id}: loading its board")
            result.failures.append((workshop.id, crash.workshop_line(exc)))
            progress(step + later_("FAILED: {reason}", reason=crash.workshop_line(exc)))
            continue
        if board.id in owners:  # both would claim the same notes, flipping their Workshop cells every run
            result.warnings.append(_("workshops {first} and {second} both point at the board {board}; only {first} is "
                                     "synced: give {second} its own board in the Mural column").format(
                                         first=owners[board.id], second=workshop.id, board=board.id))
            progress(step + later_("skipped, same board as {first}", first=owners[board.id]))
            continue
        owners[board.id] = workshop.id
        boards[workshop.id] = board
        result.warnings.extend(f"{workshop.id}: {w}" for w in board.warnings)
        ideas, actions = len(board.notes()), len(board.actions)
        progress(step + later_ngettext("{count} idea", "{count} ideas", ideas) + ", " +
                 later_ngettext("{count} action", "{count} actions", actions))
    return boards
