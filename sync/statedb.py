"""Opening the state database: a private file, its layout checked on every opening, busy told from damaged.

The layout is checked each time (a few PRAGMAs), not once per process: a long-running `serve` whose
database was moved aside finds a new, empty file and creates the tables again, and a database from
another version of backbone is refused at the first read of a sync, before anything is written to
the sheet.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

from .errors import ConfigError

SCHEMA_VERSION = 1  # PRAGMA user_version; 0 is a database created before the version was recorded
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started TEXT NOT NULL, ended TEXT NOT NULL, result TEXT NOT NULL,
  new INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0,
  conflicts INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '', details TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS base (
  sheet TEXT NOT NULL, tab TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (sheet, tab, row_id, col)
);
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mural_id TEXT NOT NULL, fetched_at REAL NOT NULL, updated_on INTEGER, sha256 TEXT NOT NULL,
  widgets INTEGER NOT NULL, export BLOB NOT NULL, UNIQUE (mural_id, sha256)
);
"""
COLUMNS = {
    "runs": {"id", "started", "ended", "result", "new", "changed", "removed", "conflicts", "message", "details"},
    "base": {"sheet", "tab", "row_id", "col", "value"},
    "snapshots": {"id", "mural_id", "fetched_at", "updated_on", "sha256", "widgets", "export"},
}
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_FULL = 5, 6, 8, 13


def create_private(path: Path) -> None:
    """The file 0600 before SQLite writes a byte (its journal copies the mode): snapshots hold names and
    hidden notes. A file of ours that others may read is tightened."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        status = path.stat()
        if status.st_mode & 0o077 and status.st_uid == os.geteuid():
            os.chmod(path, 0o600)


def ensure_schema(db: sqlite3.Connection, path: Path) -> None:
    """Create what is missing; ConfigError when what is there is not our layout."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ConfigError(mismatch(path, f"layout {version}; this backbone knows layout {SCHEMA_VERSION}"))
    present = {table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")} for table in COLUMNS}
    for table, expected in COLUMNS.items():
        if present[table] and not expected <= present[table]:
            missing = ", ".join(sorted(expected - present[table]))
            raise ConfigError(mismatch(path, f"table {table} has no column {missing}"))
    if not all(present.values()) or version < SCHEMA_VERSION:
        db.executescript(SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def mismatch(path: Path, detail: str) -> str:
    return (f"{path}: the state database was made by another version of backbone ({detail}); nothing was "
            "written; run the version that made it, or point BACKBONE_STATE at a new file to start a fresh history")


def is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def is_read_only(exc: sqlite3.Error) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_READONLY


def is_disk_full(exc: sqlite3.Error) -> bool:
    """SQLITE_FULL (a full disk or quota); SQLITE_IOERR is kept apart: it may be a failing disk."""
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_FULL or "disk is full" in str(exc)


def busy_message(path: Path, waited: float) -> str:
    holders = sync_holder(path) or other_holders(path)
    who = f" by {holders}" if holders else " by another program"
    return (f"{path}: the state database is busy: held{who} for more than {waited:g} s; it is not damaged — "
            "try again when that is done")


def sync_holder(path: Path) -> str:
    """The sync holding the run lock beside the database, when it is another process's."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        with open(lock_path, encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = handle.read().strip()
                return "" if holder.endswith(f"process {os.getpid()}") else f"a sync ({holder})" if holder else "a sync"
            return ""
    except OSError:
        return ""


def other_holders(path: Path, limit: int = 3) -> str:
    """"process 4711 (sqlite3)" for other processes of this user that have the file open (Linux /proc)."""
    target, found = str(path.resolve()), []
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit() and int(name) != os.getpid()]
    except OSError:
        return ""
    for pid in pids:
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == target for fd in os.listdir(f"/proc/{pid}/fd")):
                name = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
                found.append(f"process {pid} ({name})")
        except OSError:  # gone meanwhile, or another user's
            continue
        if len(found) >= limit:
            break
    return ", ".join(found)
