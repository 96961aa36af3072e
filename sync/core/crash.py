"""The last resort: an exception nobody foresaw becomes one line for people and a traceback for the log.

Named errors (sync/core/errors.py) say what is wrong themselves. Anything else reaching a guard (the engine's,
per workshop and around a run; the CLI's; the web runner's) is said here, in one place, without the
exception's own text: that may hold a server path or board content, and it is in the log anyway.
"""
from __future__ import annotations

import errno
import logging

from sync.core.i18n import _

log = logging.getLogger("sync.core.crash")


def cause(exc: BaseException) -> str:
    """What went wrong, as far as the kind of exception tells."""
    if isinstance(exc, RecursionError):
        return _("it is nested too deeply (thousands of levels) to be read")
    if isinstance(exc, OverflowError):
        return _("it holds a number too large to use")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full; free some space")
    if isinstance(exc, MemoryError):
        return _("it is too large to be held in memory")
    return _("an unexpected error ({kind})").format(kind=type(exc).__name__)


def workshop_line(exc: BaseException) -> str:
    """A workshop's board could not be brought in (the run goes on with the others)."""
    return _("its board could not be read: {cause}; check the board (or its export) and sync again; "
             "`backbone -v sync` logs the details").format(cause=cause(exc))


def run_line(exc: BaseException) -> str:
    """The run stopped; nothing was written to the sheet (or the write was all-or-nothing)."""
    return _("the sync stopped: {cause}; the sheet is as it was before this step; "
             "`backbone -v sync` logs the details; report them if it happens again").format(cause=cause(exc))


def command_line(exc: BaseException, subject: str) -> str:
    """A command stopped (the CLI's guard); `subject` is the file it read, or the command."""
    return _("{subject}: {cause}; check what it read (the file, the board, the sheet); run it again with -v "
             "for the details and report them if it happens again").format(subject=subject, cause=cause(exc))


def logged(exc: BaseException, what: str) -> None:
    """The traceback, for the log only (the CLI shows it with -v, `serve` in its log)."""
    log.error("%s: %s", what, type(exc).__name__, exc_info=(type(exc), exc, exc.__traceback__))
