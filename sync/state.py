"""The state database (SQLite): runs, the base of the three-way merge, board snapshots; and the run lock.

Everything a run records is written in one transaction, after the sheet write succeeded.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import BusyError, ConfigError
from .mural.archive import SnapshotArchive, content_hash

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


@dataclass(frozen=True)
class RunRecord:
    id: int
    started: str
    ended: str
    result: str
    new: int
    changed: int
    removed: int
    conflicts: int
    message: str
    details: dict


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    mural_id: str
    fetched_at: float
    updated_on: int | None
    widgets: int


class StateStore(SnapshotArchive):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._ready = False

    @contextmanager
    def _db(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"{self.path}: cannot open the state database ({exc}); check BACKBONE_STATE") from None
        try:
            with db:
                if not self._ready:  # once per store: the schema is created on first use
                    db.executescript(SCHEMA)
                    self._ready = True
                yield db
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{self.path}: the state database is damaged ({exc}); move it aside and sync again "
                              "(people's edits in the sheet stay safe)") from None
        finally:
            db.close()

    # --- the merge base -----------------------------------------------------------------------
    def load_base(self, sheet: str) -> dict[tuple[str, str, str], str]:
        if not self.path.exists():  # reading never creates the database (a dry run writes nothing anywhere)
            return {}
        with self._db() as db:
            rows = db.execute("SELECT tab, row_id, col, value FROM base WHERE sheet = ?", (sheet,))
            return {(tab, row_id, col): value for tab, row_id, col, value in rows}

    def record_run(self, run: dict, *, sheet: str | None = None, base: dict[tuple[str, str, str], str] | None = None) -> int:
        """Store a run and, when given, the base entries it wrote — together or not at all."""
        with self._db() as db:
            if base:
                db.executemany("INSERT OR REPLACE INTO base (sheet, tab, row_id, col, value) VALUES (?, ?, ?, ?, ?)",
                               [(sheet, tab, row_id, col, value) for (tab, row_id, col), value in base.items()])
            cursor = db.execute(
                "INSERT INTO runs (started, ended, result, new, changed, removed, conflicts, message, details)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run["started"], run["ended"], run["result"], run.get("new", 0), run.get("changed", 0),
                 run.get("removed", 0), run.get("conflicts", 0), run.get("message", ""),
                 json.dumps(run.get("details", {}), ensure_ascii=False)))
            return int(cursor.lastrowid)

    def runs(self, limit: int = 20) -> list[RunRecord]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                              " FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [RunRecord(*row[:9], details=json.loads(row[9] or "{}")) for row in rows]

    # --- the run lock ---------------------------------------------------------------------------
    @contextmanager
    def sync_lock(self, description: str):
        """One sync at a time. An OS lock, so a crashed run never leaves it held."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+", encoding="utf-8")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another sync"
                raise BusyError(f"a sync is already running ({holder}); wait for it to finish") from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"{description}, process {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.close()

    # --- board snapshots (the MURAL archive) -----------------------------------------------------
    def latest(self, mural_id: str) -> tuple[int | None, dict] | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT updated_on, export FROM snapshots WHERE mural_id = ?"
                             " ORDER BY fetched_at DESC, id DESC LIMIT 1",
                             (mural_id,)).fetchone()
        return None if row is None else (row[0], json.loads(zlib.decompress(row[1])))

    def save(self, mural_id: str, export_json: dict, updated_on: int | None, fetched_at: float | None = None) -> int:
        """Archive an export; the same content twice is stored once (its id is returned, and it becomes
        the newest again, so a board edited and then undone is not served from the in-between state)."""
        blob = json.dumps(export_json, ensure_ascii=False, sort_keys=True).encode("utf-8")
        digest = content_hash(export_json)
        widgets = len(export_json.get("value", ())) if isinstance(export_json, dict) else 0
        fetched_at = time.time() if fetched_at is None else fetched_at
        with self._db() as db:
            found = db.execute("SELECT id FROM snapshots WHERE mural_id = ? AND sha256 = ?", (mural_id, digest)).fetchone()
            if found:
                db.execute("UPDATE snapshots SET fetched_at = ?, updated_on = ? WHERE id = ?", (fetched_at, updated_on, found[0]))
                return int(found[0])
            cursor = db.execute("INSERT INTO snapshots (mural_id, fetched_at, updated_on, sha256, widgets, export)"
                                " VALUES (?, ?, ?, ?, ?, ?)",
                                (mural_id, fetched_at, updated_on, digest, widgets, zlib.compress(blob)))
            return int(cursor.lastrowid)

    def snapshots(self, mural_id: str) -> list[SnapshotInfo]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT id, mural_id, fetched_at, updated_on, widgets FROM snapshots WHERE mural_id = ?"
                              " ORDER BY id DESC", (mural_id,)).fetchall()
        return [SnapshotInfo(*row) for row in rows]

    def snapshot(self, snapshot_id: int) -> tuple[SnapshotInfo, dict] | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT id, mural_id, fetched_at, updated_on, widgets, export FROM snapshots WHERE id = ?",
                             (snapshot_id,)).fetchone()
        return None if row is None else (SnapshotInfo(*row[:5]), json.loads(zlib.decompress(row[5])))

    # --- between workshops: change digests, follow-ups, notifications (issue 12) -------------------
    # Added at the end on purpose (other work edits the class above). The follow-up table is created
    # on first use, so databases made before it need no migration.
    _FOLLOWUPS = ("CREATE TABLE IF NOT EXISTS followups (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  " written TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}')")

    def run(self, run_id: int) -> RunRecord | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                             " FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else RunRecord(*row[:9], details=json.loads(row[9] or "{}"))

    def runs_after(self, moment: str) -> list[RunRecord]:
        """Runs that started after `moment` ("YYYY-MM-DD HH:MM:SS", as runs are stamped), oldest first."""
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                              " FROM runs WHERE started > ? ORDER BY id", (moment,)).fetchall()
        return [RunRecord(*row[:9], details=json.loads(row[9] or "{}")) for row in rows]

    def last_run_before(self, moment: str) -> RunRecord | None:
        """The newest run that wrote to the sheet and started at or before `moment`."""
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                             " FROM runs WHERE started <= ? AND result IN ('ok', 'partial') ORDER BY id DESC LIMIT 1",
                             (moment,)).fetchone()
        return None if row is None else RunRecord(*row[:9], details=json.loads(row[9] or "{}"))

    def record_followup(self, written: str, details: dict) -> int:
        """A follow-up report was written: when, and what it showed (so the next one can say what changed)."""
        with self._db() as db:
            db.execute(self._FOLLOWUPS)
            cursor = db.execute("INSERT INTO followups (written, details) VALUES (?, ?)",
                                (written, json.dumps(details, ensure_ascii=False)))
            return int(cursor.lastrowid)

    def last_followup(self) -> tuple[str, dict] | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            db.execute(self._FOLLOWUPS)
            row = db.execute("SELECT written, details FROM followups ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else (row[0], json.loads(row[1] or "{}"))

    def record_notification(self, run_id: int, outcome: dict) -> None:
        """Add what became of a run's e-mail digest to the run's details (sent, skipped or failed)."""
        with self._db() as db:
            row = db.execute("SELECT details FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                return
            details = json.loads(row[0] or "{}")
            details["notification"] = outcome
            db.execute("UPDATE runs SET details = ? WHERE id = ?", (json.dumps(details, ensure_ascii=False), run_id))
