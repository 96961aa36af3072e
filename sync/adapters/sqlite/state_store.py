"""The state database (SQLite): runs, the base of the three-way merge, board snapshots; and the run lock.

Everything a run records is written in one transaction, after the sheet write succeeded.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.adapters.sqlite import suppression_store
from sync.adapters.sqlite.erasure import erase_rows
from sync.adapters.sqlite.state_db import busy_message, create_private, ensure_schema, is_busy, is_disk_full, is_read_only
from sync.core import jsonio
from sync.core.board_export import saved_widget_count
from sync.core.digest_policy import LastDigest
from sync.core.errors import BusyError, ConfigError, ServiceError
from sync.core.i18n import _
from sync.core.redact import NameEraser
from sync.core.retention import KEEP_ALL, Retention
from sync.core.suppression import Suppression
from sync.ports import Erasure, Intent, RunRecord, SnapshotInfo, StateDatabase

BUSY_WAIT = 5.0  # seconds another process may hold the database before we say it is busy

def _run_record(row: tuple) -> RunRecord:
    """A `runs` row as selected everywhere here: id .. message, then the details JSON."""
    run_id, started, ended, result, new, changed, removed, conflicts, message, details = row
    return RunRecord(run_id, started, ended, result, new, changed, removed, conflicts, message, json.loads(details or "{}"))


def content_hash(export_json: dict) -> str:
    """A digest of an export that ignores key order and formatting: the same board content, the same snapshot."""
    canonical = json.dumps(export_json, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class StateStore(StateDatabase):
    """The SQLite state database: every state port (sync/ports.py): the merge base, runs, lock, snapshot archive,
    follow-ups, digests, the list of forgotten people and the WordPress drafts published."""

    def __init__(self, path: str | Path, *, busy_wait: float = BUSY_WAIT):
        self.path = Path(path)
        self.where = str(self.path)
        self.busy_wait = busy_wait

    @contextmanager
    def _db(self):
        try:
            create_private(self.path)
            db = sqlite3.connect(self.path, timeout=self.busy_wait)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(_("{path}: cannot open the state database ({reason}); check BACKBONE_STATE").format(
                path=self.path, reason=exc)) from None
        try:
            with db:
                ensure_schema(db, self.path)  # every time: the file may have been moved aside meanwhile
                yield db
        except sqlite3.OperationalError as exc:
            if is_busy(exc):  # another process holds a lock: nothing is wrong with the file
                raise BusyError(busy_message(self.path, self.busy_wait)) from None
            if is_disk_full(exc):  # not damage: moving the file aside would throw away the merge base
                raise ServiceError(_("{path}: the disk holding the state database is full; free some space and "
                                     "run again (the database is unchanged)").format(path=self.path)) from None
            if is_read_only(exc):
                raise ConfigError(_("{path}: the state database cannot be written ({reason}); check the permissions "
                                    "of the file and its folder").format(path=self.path, reason=exc)) from None
            raise self._damaged(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        finally:
            db.close()

    def _damaged(self, exc: sqlite3.Error) -> ConfigError:
        return ConfigError(_("{path}: the state database is damaged ({reason}); move it aside and sync again "
                             "(people's edits in the sheet stay safe)").format(path=self.path, reason=exc))

    # --- the merge base -----------------------------------------------------------------------
    def load_base(self, sheet: str) -> dict[tuple[str, str, str], str]:
        if not self.path.exists():  # reading never creates the database (a dry run writes nothing anywhere)
            return {}
        with self._db() as db:
            rows = db.execute("SELECT tab, row_id, col, value FROM base WHERE sheet = ?", (sheet,))
            return {(tab, row_id, col): value for tab, row_id, col, value in rows}

    def base_row_ids(self, sheet: str, tab: str) -> frozenset[str]:
        """The rows of one tab sync has written (the merge base), read without the rest of the base."""
        if not self.path.exists():
            return frozenset()
        with self._db() as db:
            rows = db.execute("SELECT row_id FROM base WHERE sheet = ? AND tab = ? AND col = 'id'", (sheet, tab))
            return frozenset(row_id for (row_id,) in rows)

    def base_rows(self, sheet: str, tab: str, row_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Row ID -> {column: value} in the merge base, for the rows asked about only."""
        if not self.path.exists():
            return {}
        found: dict[str, dict[str, str]] = {}
        with self._db() as db:
            for row_id in row_ids:
                for col, value in db.execute("SELECT col, value FROM base WHERE sheet = ? AND tab = ? AND row_id = ?",
                                             (sheet, tab, row_id)):
                    found.setdefault(row_id, {})[col] = value
        return found

    def record_run(self, run: dict, *, sheet: str | None = None, base: dict[tuple[str, str, str], str] | None = None) -> int:
        """Store a run and, when given, the base entries it wrote — together or not at all. A forgotten
        person's name, from whatever a person typed in the sheet, is not kept."""
        with self._db() as db:
            hide = suppression_store.load(db, self.path)
            run = {**run, "message": hide.text(run.get("message", "")), "details": hide.json(run.get("details", {}))}
            base = {key: hide.text(value) for key, value in base.items()} if base else base
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

    # --- the intent log of positional writes (sync/core/sheet/intents.py) -------------------------------
    def record_intents(self, sheet: str, intents: list[Intent]) -> None:
        if not intents:
            return
        with self._db() as db:
            db.executemany("INSERT INTO intents (sheet, tab, addressed_row, row_id, addressed_col, header, value, base,"
                           " new_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(sheet, i.tab, i.row, i.row_id, i.col, i.header, i.value, i.base, int(i.new)) for i in intents])

    def open_intents(self, sheet: str) -> list[Intent]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT tab, addressed_row, row_id, addressed_col, header, value, base, new_row FROM intents"
                              " WHERE sheet = ? ORDER BY id", (sheet,)).fetchall()
        return [Intent(tab, row, row_id, col, header, value, base, bool(new))
                for tab, row, row_id, col, header, value, base, new in rows]

    def clear_intents(self, sheet: str) -> None:
        if not self.path.exists():
            return
        with self._db() as db:
            db.execute("DELETE FROM intents WHERE sheet = ?", (sheet,))

    def runs(self, limit: int = 20) -> list[RunRecord]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                              " FROM runs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_run_record(row) for row in rows]

    # --- the run lock ---------------------------------------------------------------------------
    @contextmanager
    def sync_lock(self, description: str) -> Iterator[None]:
        """One sync at a time. An OS lock, so a crashed run never leaves it held."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:  # never through a symlink: one planted there would have its target truncated
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ConfigError(_("{path}: the run lock is a symbolic link, which backbone does not follow; remove it "
                                    "(the next sync makes it again)").format(path=lock_path)) from None
            raise
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or _("another sync")
                raise BusyError(_("a sync is already running ({holder}); wait for it to finish").format(holder=holder)) from None
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
            hide = suppression_store.load(db, self.path)
        return None if row is None else (row[0], hide.json(jsonio.loads(zlib.decompress(row[1]))))

    def latest_fetched(self, mural_id: str) -> float | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT MAX(fetched_at) FROM snapshots WHERE mural_id = ?", (mural_id,)).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def save(self, mural_id: str, export_json: dict, updated_on: int | None, fetched_at: float | None = None) -> int:
        """Archive an export; the same content twice is stored once (its id is returned, and it becomes
        the newest again, so a board edited and then undone is not served from the in-between state)."""
        fetched_at = time.time() if fetched_at is None else fetched_at
        with self._db() as db:
            export_json = suppression_store.load(db, self.path).json(export_json)  # a forgotten person is never archived
            blob = jsonio.dumps(export_json, sort_keys=True)  # the hash is content_hash's, not the blob's
            digest = content_hash(export_json)
            widgets = saved_widget_count(export_json)
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
        if not self.path.exists() or not 0 < snapshot_id < 2 ** 63:  # a longer number is no snapshot
            return None
        with self._db() as db:
            row = db.execute("SELECT id, mural_id, fetched_at, updated_on, widgets, export FROM snapshots WHERE id = ?",
                             (snapshot_id,)).fetchone()
            hide = suppression_store.load(db, self.path)
        return None if row is None else (SnapshotInfo(*row[:5]), hide.json(jsonio.loads(zlib.decompress(row[5]))))

    # --- keeping personal data no longer than needed (docs/gdpr.md) -------------------------------
    retention: Retention = KEEP_ALL  # BACKBONE_KEEP_SNAPSHOTS, set where the store is built (sync/bootstrap.py)

    def prune_snapshots(self, now: float | None = None, keep: Retention | None = None) -> int:
        """Delete snapshots the retention setting no longer keeps (never a board's newest); how many went."""
        keep = self.retention if keep is None else keep
        if keep.keeps_all() or not self.path.exists():
            return 0
        with self._db() as db:
            db.execute("PRAGMA secure_delete = ON")  # a pruned snapshot's pages are zeroed, whatever the build's default
            rows = db.execute("SELECT id, mural_id, fetched_at FROM snapshots").fetchall()
            doomed = keep.doomed(rows, time.time() if now is None else now)
            db.executemany("DELETE FROM snapshots WHERE id = ?", [(i,) for i in doomed])
        return len(doomed)

    def erase(self, eraser: NameEraser, *, apply: bool, user_ids: Iterable[str] = ()) -> Erasure:
        """Remove a person's name from every table (sync/adapters/sqlite/erasure.py lists them) and every snapshot (hashes
        recomputed); with apply=False only count. Applied, the person joins the suppression list (their name
        and the MURAL user ids that carried it, from the snapshots and `user_ids`, as keyed hashes) and the
        database is compacted so no freed page or journal keeps the name."""
        if not self.path.exists() and not apply:  # applied, the list is kept even before the first sync
            return Erasure()
        with self._db() as db:
            db.execute("PRAGMA secure_delete = ON")
            rows = erase_rows(db, eraser, apply=apply)
            boards, merged, ids = set(), 0, set(user_ids)
            for snapshot_id, mural_id, blob in db.execute("SELECT id, mural_id, export FROM snapshots ORDER BY id").fetchall():
                export_json = jsonio.loads(zlib.decompress(blob))
                erased = eraser.json(export_json)
                if erased is export_json:
                    continue
                ids |= eraser.user_ids(export_json)
                boards.add((mural_id, snapshot_id))
                if apply:
                    merged += self._rewrite_snapshot(db, snapshot_id, mural_id, erased)
            if apply:
                suppression_store.add(db, self.path, eraser.name, ids)
        if apply:
            self._compact()
        return Erasure(base=rows["base"], runs=rows["runs"], snapshots=len(boards), merged=merged,
                       boards=tuple(sorted({mural_id for mural_id, _ in boards})), followups=rows["followups"])

    def suppression(self) -> Suppression:
        """The list of forgotten people as every entry of board data applies it (sync/core/suppression.py)."""
        if not self.path.exists():
            return Suppression()
        with self._db() as db:
            return suppression_store.load(db, self.path)

    def suppressed_people(self) -> int:
        """How many names `forget` suppresses (never which)."""
        if not self.path.exists():
            return 0
        with self._db() as db:
            return suppression_store.people(db)

    @staticmethod
    def _rewrite_snapshot(db: sqlite3.Connection, snapshot_id: int, mural_id: str, export_json: dict) -> int:
        """Store the rewritten export under its new hash; 1 when it became identical to another snapshot
        of the board and was folded into it (the survivor keeps the later fetch time)."""
        digest = content_hash(export_json)
        twin = db.execute("SELECT id FROM snapshots WHERE mural_id = ? AND sha256 = ? AND id != ?",
                          (mural_id, digest, snapshot_id)).fetchone()
        if twin:
            db.execute("UPDATE snapshots SET (fetched_at, updated_on) = (SELECT fetched_at, updated_on FROM snapshots"
                       " WHERE id IN (?, ?) ORDER BY fetched_at DESC, id DESC LIMIT 1) WHERE id = ?",
                       (snapshot_id, twin[0], twin[0]))
            db.execute("DELETE FROM snapshots WHERE id = ?", (snapshot_id,))
            return 1
        blob = jsonio.dumps(export_json, sort_keys=True)  # the hash is content_hash's, not the blob's
        db.execute("UPDATE snapshots SET sha256 = ?, export = ? WHERE id = ?", (digest, zlib.compress(blob), snapshot_id))
        return 0

    def _compact(self) -> None:
        """Rebuild the file without free pages (and empty a write-ahead log): deleted text is gone from disk."""
        with self._db() as db:
            db.execute("PRAGMA secure_delete = ON")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a write-ahead log's old frames into the file, then gone
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


    # --- between workshops: change digests, follow-ups, notifications (issue 12) -------------------
    # Added at the end on purpose (other work edits the class above). The follow-up table is created
    # on first use, so databases made before it need no migration.
    _FOLLOWUPS = ("CREATE TABLE IF NOT EXISTS followups (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  " written TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}')")

    def run(self, run_id: int) -> RunRecord | None:
        if not self.path.exists() or not 0 < run_id < 2 ** 63:  # SQLite's ids are 64-bit: a longer number is no run
            return None
        with self._db() as db:
            row = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                             " FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else _run_record(row)

    def runs_after(self, moment: str) -> list[RunRecord]:
        """Runs that started after `moment` ("YYYY-MM-DD HH:MM:SS", as runs are stamped), oldest first."""
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                              " FROM runs WHERE started > ? ORDER BY id", (moment,)).fetchall()
        return [_run_record(row) for row in rows]

    def last_run_before(self, moment: str) -> RunRecord | None:
        """The newest run that wrote to the sheet and started at or before `moment`."""
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT id, started, ended, result, new, changed, removed, conflicts, message, details"
                             " FROM runs WHERE started <= ? AND result IN ('ok', 'partial') ORDER BY id DESC LIMIT 1",
                             (moment,)).fetchone()
        return None if row is None else _run_record(row)

    def record_followup(self, written: str, details: dict) -> int:
        """A follow-up report was written: when, and what it showed (so the next one can say what changed)."""
        with self._db() as db:
            db.execute(self._FOLLOWUPS)
            details = suppression_store.load(db, self.path).json(details)  # a status naming a forgotten person
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
            details["notification"] = suppression_store.load(db, self.path).json(outcome)
            db.execute("UPDATE runs SET details = ? WHERE id = ?", (json.dumps(details, ensure_ascii=False), run_id))

    def record_digest(self, run_id: int | None, sent: str, *, reminder: bool, overdue: list[str], subject: str) -> None:
        """An e-mail digest went out: the next one is measured against it (sync/core/digest_policy.py)."""
        with self._db() as db:
            db.execute("INSERT INTO digests (run_id, sent, reminder, overdue, subject) VALUES (?, ?, ?, ?, ?)",
                       (run_id, sent, int(reminder), json.dumps(sorted(overdue), ensure_ascii=False), subject))

    def last_digest(self) -> LastDigest | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT run_id, sent, overdue FROM digests ORDER BY id DESC LIMIT 1").fetchone()
            reminded = db.execute("SELECT sent FROM digests WHERE reminder = 1 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return LastDigest(row[0], row[1], frozenset(json.loads(row[2] or "[]")), reminded[0][:10] if reminded else "")

    # --- the recap as a WordPress draft (issue 24): which post holds which workshop's recap ---------------------
    # Created on first use, so databases made before it need no migration. Ids and addresses only, never names.
    def published_post(self, site: str, workshop: str) -> tuple[int, dict] | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT post_id, details FROM published_posts WHERE site = ? AND workshop = ?",
                             (site, workshop.casefold())).fetchone()
        return None if row is None else (int(row[0]), json.loads(row[1] or "{}"))

    def record_post(self, site: str, workshop: str, post_id: int, details: dict) -> None:
        with self._db() as db:
            db.execute("INSERT INTO published_posts (site, workshop, post_id, details, updated)"
                       " VALUES (?, ?, ?, ?, datetime('now')) ON CONFLICT (site, workshop) DO UPDATE SET"
                       " post_id = excluded.post_id, details = excluded.details, updated = excluded.updated",
                       (site, workshop.casefold(), post_id, json.dumps(details, ensure_ascii=False)))
