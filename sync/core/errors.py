"""Named errors. The CLI and the web page turn each into one readable line.

Exit codes: 2 for anything the user must fix (settings, input files, access),
1 for a run that failed for another reason (a service down after retries).
"""
from __future__ import annotations


class BackboneError(Exception):
    """Base of every error backbone reports to a person."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(BackboneError):
    """A setting is missing or wrong, a credentials file is unreadable."""

    exit_code = 2


class InputError(BackboneError):
    """A file or sheet the user gave cannot be read: names the file and what is wrong."""

    exit_code = 2


class NotFoundError(InputError):
    """Something named by the user does not exist (a workshop ID, a board, a snapshot)."""


class SheetInUse(InputError):
    """Another program holds the workbook (Excel's or LibreOffice's lock file beside it, or the system refusing to
    replace it); nothing was written. `what` names it in a few words: the lock file, or "permission denied"."""

    def __init__(self, message: str, what: str):
        super().__init__(message)
        self.what = what


class AccessError(ConfigError):
    """A service refused access; the message says whom to ask."""


class ServiceError(BackboneError):
    """A remote service failed after the retries; carries the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class BusyError(BackboneError):
    """Another sync is already running."""


class UnexpectedError(BackboneError):
    """Something backbone did not foresee stopped the work (a bug, or input no check caught): the one line
    says what stopped and what to do; the traceback is in the log (sync/core/crash.py)."""
