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

from sync.core.errors import ConfigError
from sync.core.i18n import _

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
CREATE TABLE IF NOT EXISTS digests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER, sent TEXT NOT NULL, reminder INTEGER NOT NULL DEFAULT 0,
  overdue TEXT NOT NULL DEFAULT '[]', subject TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS followups (id INTEGER PRIMARY KEY AUTOINCREMENT,
  written TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS suppressed (
  kind TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (kind, digest)
);
CREATE TABLE IF NOT EXISTS published_posts (
  site TEXT NOT NULL, workshop TEXT NOT NULL, post_id INTEGER NOT NULL, details TEXT NOT NULL DEFAULT '{}',
  updated TEXT NOT NULL, PRIMARY KEY (site, workshop)
);
CREATE TABLE IF NOT EXISTS intents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, sheet TEXT NOT NULL, tab TEXT NOT NULL,
  addressed_row INTEGER NOT NULL, row_id TEXT NOT NULL, addressed_col INTEGER NOT NULL,
  header TEXT NOT NULL DEFAULT '', value TEXT NOT NULL DEFAULT '', base TEXT NOT NULL DEFAULT '',
  new_row INTEGER NOT NULL DEFAULT 0
);
"""
# The merge base is read whole at the start of every run (sync/core/sheet/plan.py): an index holding every column
# lets SQLite read it in key order from the index alone, half the time of looking up each of its rows (220,000 at
# 20,000 ideas). Not a layout change: older versions open a database that has it, and forget's rewrites reach it.
BASE_INDEX = "CREATE INDEX IF NOT EXISTS base_values ON base (sheet, tab, row_id, col, value)"
COLUMNS = {
    "runs": {"id", "started", "ended", "result", "new", "changed", "removed", "conflicts", "message", "details"},
    "base": {"sheet", "tab", "row_id", "col", "value"},
    "snapshots": {"id", "mural_id", "fetched_at", "updated_on", "sha256", "widgets", "export"},
    # The e-mail digests sent: which run, whether the weekly reminder was in it, the overdue action IDs it knew.
    "digests": {"id", "run_id", "sent", "reminder", "overdue", "subject"},
    "followups": {"id", "written", "details"},  # made on first use before it was listed here: same statement
    "suppressed": {"kind", "digest"},  # forgotten people as keyed hashes (sync/adapters/sqlite/suppression_store.py)
    "published_posts": {"site", "workshop", "post_id", "details", "updated"},  # WordPress drafts (backbone publish)
    "intents": {"id", "sheet", "tab", "addressed_row", "row_id", "addressed_col", "header", "value", "base", "new_row"},
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
        raise ConfigError(mismatch(path, _("layout {found}; this backbone knows layout {known}").format(
            found=version, known=SCHEMA_VERSION)))
    present = {table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")} for table in COLUMNS}
    for table, expected in COLUMNS.items():
        if present[table] and not expected <= present[table]:
            missing = ", ".join(sorted(expected - present[table]))
            raise ConfigError(mismatch(path, _("table {table} has no column {columns}").format(table=table, columns=missing)))
    if not all(present.values()) or version < SCHEMA_VERSION:
        db.executescript(SCHEMA)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'base_values'").fetchone():
        db.execute(BASE_INDEX)  # a database made before the index: once, on the first opening by this version


def mismatch(path: Path, detail: str) -> str:
    return _("{path}: the state database was made by another version of backbone ({detail}); nothing was written; "
             "run the version that made it, or point BACKBONE_STATE at a new file to start a fresh history").format(
                 path=path, detail=detail)


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
    """Who holds the database, each case its own whole sentence: a sync (and what it said it is), other
    programs that have the file open, or nobody we can name."""
    holder, seconds = sync_holder(path), f"{waited:g}"
    if holder is not None and holder:
        return _("{path}: the state database is busy: held by a sync ({holder}) for more than {seconds} s; it is not "
                 "damaged — try again when that is done").format(path=path, holder=holder, seconds=seconds)
    if holder is not None:
        return _("{path}: the state database is busy: held by a sync for more than {seconds} s; it is not damaged — "
                 "try again when that is done").format(path=path, seconds=seconds)
    processes = other_holders(path)
    if processes:
        return _("{path}: the state database is busy: held by {processes} for more than {seconds} s; it is not "
                 "damaged — try again when that is done").format(path=path, processes=processes, seconds=seconds)
    return _("{path}: the state database is busy: held by another program for more than {seconds} s; it is not "
             "damaged — try again when that is done").format(path=path, seconds=seconds)


def sync_holder(path: Path) -> str | None:
    """What the sync holding the run lock beside the database wrote there ("" when nothing), when it is
    another process's; None when no other sync holds it."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        with open(lock_path, encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = handle.read().strip()
                return None if holder.endswith(f"process {os.getpid()}") else holder
            return None
    except OSError:
        return None


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
                found.append(_("process {pid} ({name})").format(pid=pid, name=name))
        except OSError:  # gone meanwhile, or another user's
            continue
        if len(found) >= limit:
            break
    return ", ".join(found)
