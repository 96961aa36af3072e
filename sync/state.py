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
from .statedb import busy_message, create_private, ensure_schema, is_busy, is_read_only

BUSY_WAIT = 5.0  # seconds another process may hold the database before we say it is busy

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
    def __init__(self, path: str | Path, *, busy_wait: float = BUSY_WAIT):
        self.path = Path(path)
        self.busy_wait = busy_wait

    @contextmanager
    def _db(self):
        try:
            create_private(self.path)
            db = sqlite3.connect(self.path, timeout=self.busy_wait)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"{self.path}: cannot open the state database ({exc}); check BACKBONE_STATE") from None
        try:
            with db:
                ensure_schema(db, self.path)  # every time: the file may have been moved aside meanwhile
                yield db
        except sqlite3.OperationalError as exc:
            if is_busy(exc):  # another process holds a lock: nothing is wrong with the file
                raise BusyError(busy_message(self.path, self.busy_wait)) from None
            if is_read_only(exc):
                raise ConfigError(f"{self.path}: the state database cannot be written ({exc}); "
                                  "check the permissions of the file and its folder") from None
            raise self._damaged(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            db.close()

    def _damaged(self, exc: sqlite3.Error) -> ConfigError:
        return ConfigError(f"{self.path}: the state database is damaged ({exc}); move it aside and sync again "
                           "(people's edits in the sheet stay safe)")

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
