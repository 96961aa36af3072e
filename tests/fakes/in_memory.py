"""In-memory fakes of the ports (sync/ports.py), for use-case tests that touch no file, database or process.

`InMemoryState` is every state port at once, as the SQLite StateStore is: one sync's run record, its merge base and
the list of forgotten people meet in the same store (a run naming a forgotten person is recorded without the name,
whichever port recorded it). It behaves as the real store does, and tests/integration/test_state_ports.py runs the
same assertions against both:
- the merge base is kept per sheet, and a run's base entries add to it (an entry not written again stays);
- the run lock refuses a second holder, naming the first (BusyError), and is free again once left;
- what is recorded is stored as JSON is (tuples come back as lists), never as the caller's object;
- a snapshot of content already archived is the same snapshot, newest again; forgotten people are cut out of
  what is recorded and what is read back; ids count up from 1, and out-of-range ids find nothing.

`InMemoryBoards` is a board source from exports kept in a dict, failing as a real source does for a board it
does not have (NotFoundError); `InMemoryMailer` keeps the mails it is given; `InMemoryDocuments` keeps the contexts
it is given to render, writing no file. The in-memory sheet is
tests/fakes/memory_sheet.py's MemorySheet.
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sync.core.board import board_from_export
from sync.core.board_export import BoardExport, saved_widget_count
from sync.core.digest_message import Mail
from sync.core.digest_policy import LastDigest
from sync.core.errors import BusyError, ConfigError, InputError, NotFoundError, ServiceError
from sync.core.i18n import _
from sync.core.model import Board
from sync.core.redact import NameEraser
from sync.core.retention import KEEP_ALL, Retention
from sync.core.sheet.values import BaseKey, Intent
from sync.core.suppression import NAME, NOBODY, USER, Suppression, digest
from sync.ports import (
    ArchivedBoard,
    BoardSource,
    DocumentRenderer,
    Erasure,
    HandedOutFiles,
    Mailer,
    RunRecord,
    SnapshotInfo,
    StateDatabase,
)


def _as_stored(value: Any) -> Any:
    """What a JSON column gives back: a fresh copy, tuples as lists."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _content_hash(export_json: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(export_json, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


@dataclass
class _Run:
    id: int
    started: str
    ended: str
    result: str
    new: int
    changed: int
    removed: int
    conflicts: int
    message: str
    details: Any

    def record(self) -> RunRecord:
        return RunRecord(self.id, self.started, self.ended, self.result, self.new, self.changed, self.removed,
                         self.conflicts, self.message, _as_stored(self.details))


@dataclass
class _Snapshot:
    id: int
    mural_id: str
    fetched_at: float
    updated_on: int | None
    sha256: str
    export: dict[str, Any]

    def info(self) -> SnapshotInfo:
        return SnapshotInfo(self.id, self.mural_id, self.fetched_at, self.updated_on, saved_widget_count(self.export))


@dataclass
class _Digest:
    run_id: int | None
    sent: str
    reminder: bool
    overdue: list[str]
    subject: str


class InMemoryState(StateDatabase):
    """Every state port in memory (see the module's docstring for what it keeps as the real store does)."""

    def __init__(self, *, retention: Retention = KEEP_ALL, where: str = "memory") -> None:
        self.where = where
        self.retention = retention
        self.base: dict[str, dict[BaseKey, str]] = {}  # sheet -> its merge base
        self.intents: dict[str, list[Intent]] = {}
        self.run_rows: list[_Run] = []
        self.snapshot_rows: list[_Snapshot] = []
        self.followups: list[tuple[int, str, Any]] = []
        self.digests: list[_Digest] = []
        self.lock_holder: str | None = None
        self._key = secrets.token_bytes(32)
        self._names: set[str] = set()
        self._users: set[str] = set()
        self._snapshot_ids = 0  # as SQLite's AUTOINCREMENT: a deleted snapshot's id is never given again
        self.fail_next_record: Exception | None = None  # the state refuses the next record_run (a full disk)
        self.posts: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}  # (site, workshop case-folded) -> post

    # --- the WordPress drafts published (PublishedPosts) ------------------------------------------------
    def published_post(self, site: str, workshop: str) -> tuple[int, dict[str, Any]] | None:
        found = self.posts.get((site, workshop.casefold()))
        return None if found is None else (found[0], dict(found[1]))

    def record_post(self, site: str, workshop: str, post_id: int, details: dict[str, Any]) -> None:
        self.posts[site, workshop.casefold()] = (post_id, dict(details))

    # --- the merge base, the runs recorded, the intents, the lock (StatePort, SyncedRows) -------------------
    def load_base(self, sheet: str) -> dict[BaseKey, str]:
        return dict(self.base.get(sheet, {}))

    def base_row_ids(self, sheet: str, tab: str) -> frozenset[str]:
        return frozenset(row_id for (t, row_id, col) in self.base.get(sheet, {}) if t == tab and col == "id")

    def base_rows(self, sheet: str, tab: str, row_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        wanted = set(row_ids)
        found: dict[str, dict[str, str]] = {}
        for (t, row_id, col), value in self.base.get(sheet, {}).items():
            if t == tab and row_id in wanted:
                found.setdefault(row_id, {})[col] = value
        return found

    def record_run(self, run: dict[str, Any], *, sheet: str | None = None,
                   base: dict[BaseKey, str] | None = None) -> int:
        if self.fail_next_record is not None:
            error, self.fail_next_record = self.fail_next_record, None
            raise error
        hide = self.suppression()
        if base:
            self.base.setdefault(str(sheet), {}).update({key: hide.text(value) for key, value in base.items()})
        row = _Run(len(self.run_rows) + 1, run["started"], run["ended"], run["result"], run.get("new", 0),
                   run.get("changed", 0), run.get("removed", 0), run.get("conflicts", 0),
                   hide.text(run.get("message", "")), _as_stored(hide.json(run.get("details", {}))))
        self.run_rows.append(row)
        return row.id

    def record_intents(self, sheet: str, intents: list[Intent]) -> None:
        self.intents.setdefault(sheet, []).extend(intents)

    def open_intents(self, sheet: str) -> list[Intent]:
        return list(self.intents.get(sheet, []))

    def clear_intents(self, sheet: str) -> None:
        self.intents.pop(sheet, None)

    @contextmanager
    def sync_lock(self, description: str) -> Iterator[None]:
        if self.lock_holder is not None:
            raise BusyError(_("a sync is already running ({holder}); wait for it to finish").format(holder=self.lock_holder))
        self.lock_holder = description
        try:
            yield
        finally:
            self.lock_holder = None

    def prune_snapshots(self, now: float | None = None, keep: Retention | None = None) -> int:
        keep = self.retention if keep is None else keep
        doomed = set(keep.doomed([(s.id, s.mural_id, s.fetched_at) for s in self.snapshot_rows],
                                 time.time() if now is None else now))
        self.snapshot_rows = [s for s in self.snapshot_rows if s.id not in doomed]
        return len(doomed)

    # --- the runs read back (RunLog) --------------------------------------------------------------
    def run(self, run_id: int) -> RunRecord | None:
        return next((r.record() for r in self.run_rows if r.id == run_id), None)

    def runs(self, limit: int = 20) -> list[RunRecord]:
        return [r.record() for r in reversed(self.run_rows)][:max(limit, 0)]

    def runs_after(self, moment: str) -> list[RunRecord]:
        return [r.record() for r in self.run_rows if r.started > moment]

    def last_run_before(self, moment: str) -> RunRecord | None:
        wrote = [r for r in self.run_rows if r.started <= moment and r.result in ("ok", "partial")]
        return wrote[-1].record() if wrote else None

    def add_run(self, started: str, result: str = "ok", **details: object) -> RunRecord:
        """A run as a sync records it, for tests that need a history: started and ended at `started`."""
        run_id = self.record_run({"started": started, "ended": started, "result": result, "details": details})
        record = self.run(run_id)
        assert record is not None
        return record

    # --- follow-ups and digests (FollowupLog, DigestLog) -------------------------------------------------
    def last_followup(self) -> tuple[str, dict[str, Any]] | None:
        if not self.followups:
            return None
        _id, written, details = self.followups[-1]
        return written, _as_stored(details)

    def record_followup(self, written: str, details: dict[str, Any]) -> int:
        self.followups.append((len(self.followups) + 1, written, _as_stored(self.suppression().json(details))))
        return len(self.followups)

    def last_digest(self) -> LastDigest | None:
        if not self.digests:
            return None
        newest = self.digests[-1]
        reminded = [d for d in self.digests if d.reminder]
        return LastDigest(newest.run_id, newest.sent, frozenset(newest.overdue), reminded[-1].sent[:10] if reminded else "")

    def record_digest(self, run_id: int | None, sent: str, *, reminder: bool, overdue: list[str], subject: str) -> None:
        self.digests.append(_Digest(run_id, sent, reminder, sorted(overdue), subject))

    def record_notification(self, run_id: int, outcome: dict[str, Any]) -> None:
        row = next((r for r in self.run_rows if r.id == run_id), None)
        if row is not None:
            row.details = {**row.details, "notification": _as_stored(self.suppression().json(outcome))}

    # --- the snapshot archive (SnapshotArchive, SnapshotHistory) --------------------------------------
    def latest(self, mural_id: str) -> tuple[int | None, dict[str, Any]] | None:
        mine = [s for s in self.snapshot_rows if s.mural_id == mural_id]
        if not mine:
            return None
        newest = max(mine, key=lambda s: (s.fetched_at, s.id))
        return newest.updated_on, self.suppression().json(copy.deepcopy(newest.export))

    def latest_fetched(self, mural_id: str) -> float | None:
        return max((s.fetched_at for s in self.snapshot_rows if s.mural_id == mural_id), default=None)

    def save(self, mural_id: str, export_json: dict[str, Any], updated_on: int | None,
             fetched_at: float | None = None) -> int:
        fetched_at = time.time() if fetched_at is None else fetched_at
        stored = _as_stored(self.suppression().json(export_json))
        sha = _content_hash(stored)
        for snapshot in self.snapshot_rows:
            if snapshot.mural_id == mural_id and snapshot.sha256 == sha:
                snapshot.fetched_at, snapshot.updated_on = fetched_at, updated_on
                return snapshot.id
        self._snapshot_ids += 1
        self.snapshot_rows.append(_Snapshot(self._snapshot_ids, mural_id, fetched_at, updated_on, sha, stored))
        return self._snapshot_ids

    def snapshots(self, mural_id: str) -> list[SnapshotInfo]:
        return [s.info() for s in sorted(self.snapshot_rows, key=lambda s: -s.id) if s.mural_id == mural_id]

    def snapshot(self, snapshot_id: int) -> tuple[SnapshotInfo, dict[str, Any]] | None:
        found = next((s for s in self.snapshot_rows if s.id == snapshot_id), None)
        return None if found is None else (found.info(), self.suppression().json(copy.deepcopy(found.export)))

    # --- forgotten people (ForgottenPeople) ------------------------------------------------------------
    def suppression(self) -> Suppression:
        return Suppression(self._key, frozenset(self._names), frozenset(self._users))

    def suppressed_people(self) -> int:
        return len(self._names)

    def erase(self, eraser: NameEraser, *, apply: bool, user_ids: Iterable[str] = ()) -> Erasure:
        counts = {"base": 0, "runs": 0, "followups": 0}
        for sheet, entries in self.base.items():
            erased = {key: eraser.text(value) for key, value in entries.items()}
            counts["base"] += sum(erased[key] != value for key, value in entries.items())
            if apply:
                self.base[sheet] = erased
        for row in self.run_rows:
            message, details = eraser.text(row.message), eraser.json(row.details)
            if message != row.message or details is not row.details:
                counts["runs"] += 1
                if apply:
                    row.message, row.details = message, details
        for number, (followup_id, written, details) in enumerate(self.followups):
            erased_details = eraser.json(details)
            if erased_details is not details:
                counts["followups"] += 1
                if apply:
                    self.followups[number] = (followup_id, written, erased_details)
        if apply:
            for d in self.digests:
                d.subject = eraser.text(d.subject)
            for sheet, intents in self.intents.items():
                self.intents[sheet] = [replace(i, value=eraser.text(i.value), base=eraser.text(i.base)) for i in intents]
        boards: set[tuple[str, int]] = set()
        merged, ids = 0, set(user_ids)
        for snapshot in sorted(self.snapshot_rows, key=lambda s: s.id):
            erased_export = eraser.json(snapshot.export)
            if erased_export is snapshot.export:
                continue
            ids |= eraser.user_ids(snapshot.export)
            boards.add((snapshot.mural_id, snapshot.id))
            if apply:
                merged += self._rewrite(snapshot, erased_export)
        if apply:
            self._names.add(digest(self._key, NAME, eraser.name))
            self._users.update(digest(self._key, USER, u) for u in ids)
        return Erasure(base=counts["base"], runs=counts["runs"], snapshots=len(boards), merged=merged,
                       boards=tuple(sorted({mural_id for mural_id, _ in boards})), followups=counts["followups"])

    def _rewrite(self, snapshot: _Snapshot, export: dict[str, Any]) -> int:
        sha = _content_hash(export)
        twin = next((s for s in self.snapshot_rows if s.mural_id == snapshot.mural_id and s.sha256 == sha
                     and s.id != snapshot.id), None)
        if twin is None:
            snapshot.sha256, snapshot.export = sha, export
            return 0
        later = max((snapshot, twin), key=lambda s: (s.fetched_at, s.id))
        twin.fetched_at, twin.updated_on = later.fetched_at, later.updated_on
        self.snapshot_rows.remove(snapshot)
        return 1


class InMemoryBoards(BoardSource):
    """Boards by reference (what the Workshops tab's Mural cell says), kept as exports and normalised as a real source
    does, forgotten people cut before the board is handed out. `unreachable` refs fail as a live service that does
    not answer does (ServiceError), `failing` ones raise what they are given; an unknown ref is not found, as a real
    source says. `fetched` lists the refs asked for, in order."""

    def __init__(self, boards: dict[str, BoardExport] | None = None) -> None:
        self.boards: dict[str, BoardExport] = dict(boards or {})
        self.unreachable: set[str] = set()
        self.failing: dict[str, Exception] = {}  # ref -> what fetching it raises (a bug in a source, say)
        self.fetched: list[str] = []
        self.archive: dict[str, tuple[BoardExport, float | None]] = {}  # ref -> its newest snapshot, when pulled

    def board(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> Board:
        self.fetched.append(board_ref)
        if board_ref in self.failing:
            raise self.failing[board_ref]
        if board_ref in self.unreachable:
            raise ServiceError(f"MURAL did not answer for {board_ref}; try again later")
        if board_ref not in self.boards:
            raise NotFoundError(f"no board {board_ref}")
        return board_from_export(hide.export(self.boards[board_ref]), workshop=workshop)

    def archived(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> ArchivedBoard | None:
        if board_ref not in self.archive:
            return None
        export, fetched_at = self.archive[board_ref]
        return ArchivedBoard(board_from_export(hide.export(export), workshop=workshop), fetched_at)


@dataclass
class SentMail:
    mail: Mail
    to: list[str]
    attachments: list[Path]
    at: dt.datetime


class InMemoryMailer(Mailer):
    """A mailer that keeps what it sends. `refuse_next`: the server's answer to the next send (nothing is sent), as
    SMTP refusing a login or timing out; `recaps`: the documents a digest carries when that is asked for."""

    def __init__(self, to: Sequence[str] = ("samordnare@example.org", "styrgrupp@example.org"),
                 recaps: Sequence[Path] = ()) -> None:
        self.to = list(to)
        self.recaps = list(recaps)
        self.sent: list[SentMail] = []
        self.refuse_next: Exception | None = None

    def check(self) -> list[str]:
        return list(self.to)

    def attachments(self) -> list[Path]:
        return list(self.recaps)

    def send(self, mail: Mail, *, attachments: Sequence[Path] = (), now: dt.datetime) -> list[str]:
        if self.refuse_next is not None:
            error, self.refuse_next = self.refuse_next, None
            raise error
        self.sent.append(SentMail(mail, list(self.to), list(attachments), now))
        return list(self.to)


@dataclass
class Rendered:
    kind: str  # "recap" or "followup"
    context: dict[str, Any]
    path: Path
    template: Path | None


class InMemoryDocuments(DocumentRenderer):
    """A renderer that keeps the contexts it is asked to render and writes no file: a use case's test reads what the
    document would say. Named as the Word renderer names recaps; `refuse_template` is a template's problem."""

    def __init__(self, *, pdf: bool = True) -> None:
        self.rendered: list[Rendered] = []
        self.pdfs: list[Path] = []
        self.pdf = pdf
        self.refuse_template: str = ""

    def recap_name(self, context: dict[str, Any]) -> str:
        day = context.get("date_iso") or str(context.get("generated", ""))[:10]
        return f"{day} {context.get('title', '')}.docx".strip()

    def _render(self, kind: str, context: dict[str, Any], template: Path | None, out: Path) -> Path:
        if template is not None and self.refuse_template:
            raise InputError(f"{template}: {self.refuse_template}")
        path = out if out.suffix.lower() == ".docx" else out / (self.recap_name(context) if kind == "recap"
                                                               else f"uppföljning {context.get('generated', '')[:10]}.docx")
        self.rendered.append(Rendered(kind, context, path, template))
        return path

    def write_recap(self, context: dict[str, Any], *, template: Path | None, out: Path, author: str,
                    created: dt.datetime) -> Path:
        return self._render("recap", context, template, out)

    def write_followup(self, context: dict[str, Any], *, template: Path | None, out: Path, author: str,
                       created: dt.datetime) -> Path:
        return self._render("followup", context, template, out)

    def to_pdf(self, document: Path) -> Path:
        if not self.pdf:
            raise ConfigError("no LibreOffice (soffice) on this machine; install it to make PDFs")
        self.pdfs.append(document.with_suffix(".pdf"))
        return self.pdfs[-1]

    def can_make_pdf(self) -> bool:
        return self.pdf

    def template_problems(self, template: Path, *, followup: bool = False) -> list[str]:
        return [self.refuse_template] if self.refuse_template else []

    def chart_png(self, data: dict[str, Any], lang: str) -> bytes:
        return b"\x89PNG\r\n\x1a\n"


class InMemoryFiles(HandedOutFiles):
    """Handed-out files as {path: text}: recaps as their words, board exports as JSON text."""

    def __init__(self, files: dict[Path, str] | None = None):
        self.files = dict(files or {})

    def naming(self, eraser: NameEraser) -> list[Path]:
        named = []
        for path, text in sorted(self.files.items()):
            if path.suffix == ".json":
                data = json.loads(text)
                if eraser.json(data) is not data:
                    named.append(path)
            elif eraser.mentions(text):
                named.append(path)
        return named

    def user_ids(self, files: Sequence[Path], eraser: NameEraser) -> set[str]:
        return set().union(*(eraser.user_ids(json.loads(self.files[p])) for p in files if p.suffix == ".json"))
