"""The ports: what the use cases need from the outside world, and nothing of how it is done.

- `BoardSource`: boards, from MURAL or from saved export files (sync/adapters/mural/source.py).
- `SheetBackend` and its values (`SheetValues`, `CellWrite`, `SheetWrite`, `SheetChanged`): the shared
  planning sheet, Google Sheets or a local .xlsx (sync/adapters/gsheets/, sync/adapters/xlsx/workbook_sheet.py).
- `SnapshotArchive`: pulled boards kept between runs, so an unchanged board is not downloaded again.
- `StatePort`: what a sync keeps between runs: the merge base, the runs, the run lock.
- `DigestLog`, `Mailer`: the e-mail digest's runs and what was sent, and where it goes.
- The state database's other ports (their own section at the end): `SyncedRows`, `RunLog`, `FollowupLog` (with
  `RunLog`: `RunHistory`), `SnapshotHistory`, `ForgottenPeople`, and `StateDatabase`, all of them, as the
  bootstrap hands the store to the CLI and the page.
The SQLite `StateStore` (sync/adapters/sqlite/state_store.py) implements every state port; tests/fakes/in_memory.py
holds the in-memory fakes a contract test (tests/integration/test_state_ports.py) holds to the same behaviour.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.core.digest_message import Mail
from sync.core.digest_policy import LastDigest
from sync.core.errors import SheetInUse
from sync.core.model import Board
from sync.core.redact import NameEraser
from sync.core.sheet.values import LAYOUT, BaseKey, CellValue, CellWrite, Intent, SheetValues, SheetWrite
from sync.core.suppression import NOBODY, Suppression

__all__ = ["LAYOUT", "BaseKey", "CellValue", "CellWrite", "Intent", "SheetValues", "SheetWrite"]  # the values, with the ports

# --- boards ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchivedBoard:
    board: Board
    fetched_at: float | None  # when the snapshot was pulled (epoch seconds); None when unknown


class BoardSource(ABC):
    """Where boards come from (the live MURAL API, a folder of saved exports; another vendor is another adapter),
    each given as the normalised Board, with forgotten people cut before anything reads it (docs/gdpr.md)."""

    @abstractmethod
    def board(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> Board:
        """The board a workshop's board cell names (an id or an address); `workshop` names it in warnings.
        NotFoundError, AccessError or ServiceError when it cannot be had."""

    def archived(self, board_ref: str, *, workshop: str = "", hide: Suppression = NOBODY) -> ArchivedBoard | None:
        """The newest archived snapshot of the board (a recap's fallback when the live board is gone); None when
        this source keeps none."""
        return None


# --- the shared sheet ----------------------------------------------------------------------------

class SheetChanged(Exception):
    """The sheet changed between the read and the moment of writing, and the backend wrote nothing:
    read again, plan again (the workbook's compare-and-swap raises it)."""


class SheetBackend(ABC):
    """A shared planning sheet: Google Sheets or a local .xlsx workbook."""

    name: str  # for messages: a file path or a spreadsheet title/key

    @abstractmethod
    def read(self) -> SheetValues:
        """Every tab's values, in one request where the service allows."""

    def read_workshops(self) -> SheetValues:
        """The Workshops tab alone (to know the boards before the read that plans the write); backends
        fold it into a request they make anyway where they can."""
        from sync.core.sheet.tabs import WORKSHOPS, find_tab

        values = self.read()
        title = find_tab(WORKSHOPS, list(values))
        return {title: values[title]} if title else {}

    @abstractmethod
    def apply(self, write: SheetWrite) -> None:
        """Create the new tabs and write the cells, all or nothing where the service allows.

        Each cell must land in the row of the ID it was planned for, whatever people did since the read:
        a backend either checks before it writes (raising SheetChanged, nothing written) or checks what it
        wrote and repairs in the same call. `warnings` (below) tells the run what it could not repair."""

    def losses(self, write: SheetWrite) -> list[str]:
        """What applying the write cannot keep as it is in the sheet (a text cut to fit a cell): said by
        --dry-run before any write, and recorded in the run's Synklogg row."""
        return []

    def create(self, first_tab: str) -> bool:
        """Make the sheet with one empty tab when it does not exist yet and this backend can (a local workbook,
        never over an existing file); False when it exists or the backend cannot make one (Google's are made by
        people and shared)."""
        return False

    def in_use(self) -> SheetInUse | None:
        """Why the sheet cannot be written now (a workbook open in Excel), checked before a run reads it to plan
        a write; None when nothing holds it. apply() raises the same error when it finds the sheet held."""
        return None

    def settled(self) -> bool:
        """False when the last apply() sent a write that got no answer: Google may still apply it, so its
        intents stay open for the next run to check (see sync/core/sheet/intents.py)."""
        return not getattr(self, "_unsettled", False)

    def take_warnings(self) -> list[str]:
        """What the last apply() could not put right (said in the run's warnings)."""
        warnings: list[str] = getattr(self, "_warnings", [])
        self._warnings: list[str] = []
        return warnings

    def warn(self, line: str) -> None:
        self._warnings = [*getattr(self, "_warnings", []), line]


# --- what is kept between runs -------------------------------------------------------------------


class SnapshotArchive(ABC):
    """Pulled boards. De-duplication by content is the archive's job, not the caller's."""

    @abstractmethod
    def latest(self, mural_id: str) -> tuple[int | None, dict[str, Any]] | None:
        """(updatedOn, export JSON) of the newest snapshot of the board, or None when there is none."""

    def latest_fetched(self, mural_id: str) -> float | None:
        """When the newest snapshot was fetched (epoch seconds); None when unknown (the board is then read again)."""
        return None

    @abstractmethod
    def save(self, mural_id: str, export_json: dict[str, Any], updated_on: int | None, fetched_at: float) -> int:
        """Keep a snapshot (export JSON as written by `export_to_json`); answers its id.

        Saving content identical to a kept snapshot answers that snapshot's id instead of a new one.
        """


class StatePort(ABC):
    """What one sync reads and records: the merge base, the runs, and the lock that keeps syncs apart."""

    @abstractmethod
    def load_base(self, sheet: str) -> dict[BaseKey, str]:
        """The merge base of this sheet (what sync last wrote); empty before the first sync."""

    @abstractmethod
    def record_run(self, run: dict[str, Any], *, sheet: str | None = None, base: dict[BaseKey, str] | None = None) -> int:
        """Store a run and, when given, the base entries it wrote — together or not at all; answers its id."""

    @abstractmethod
    def sync_lock(self, description: str) -> AbstractContextManager[None]:
        """Held for a whole sync; a second one raises BusyError naming the `description` of the first."""

    @abstractmethod
    def record_intents(self, sheet: str, intents: list[Intent]) -> None:
        """Before a positional write is sent: what it will write where (kept until it is seen in place)."""

    @abstractmethod
    def open_intents(self, sheet: str) -> list[Intent]:
        """The intents of writes not yet seen in place (a run that died, or a write that got no answer)."""

    @abstractmethod
    def clear_intents(self, sheet: str) -> None:
        """The writes are verified against the ID column: nothing is left to check."""

    @abstractmethod
    def prune_snapshots(self, now: float | None = None) -> int:
        """After a recorded run: let go of the snapshots the retention setting no longer keeps; how many went."""



@dataclass(frozen=True)
class RunRecord:
    """A recorded sync run, as `backbone runs`, the page and the follow-up report read it."""
    id: int
    started: str
    ended: str
    result: str
    new: int
    changed: int
    removed: int
    conflicts: int
    message: str
    details: dict[str, Any]


# --- documents -----------------------------------------------------------------------------------


class DocumentRenderer(ABC):
    """Recaps and follow-up reports made into documents from their contexts (sync/core/recap_context.py,
    sync/core/followup_context.py): Word from editable templates, and PDF (reports/word_documents.py)."""

    @abstractmethod
    def recap_name(self, context: dict[str, Any]) -> str:
        """The file name a recap gets in the reports folder, e.g. "2021-05-04 CI2 – sammanfattning.docx"."""

    @abstractmethod
    def write_recap(self, context: dict[str, Any], *, template: Path | None, out: Path, author: str, created: dt.datetime) -> Path:
        """Fill the template (None: the bundled one of the context's language) and write it to `out` (a file or a
        folder that gets `recap_name`); InputError naming the template's problem; nothing half-written."""

    @abstractmethod
    def write_followup(self, context: dict[str, Any], *, template: Path | None, out: Path, author: str,
                       created: dt.datetime) -> Path:
        """The follow-up report, as write_recap."""

    @abstractmethod
    def to_pdf(self, document: Path) -> Path:
        """A PDF beside the document; ConfigError when this machine cannot make one."""

    @abstractmethod
    def can_make_pdf(self) -> bool:
        """Whether to_pdf can work here (the page offers PDF only then)."""

    @abstractmethod
    def template_problems(self, template: Path, *, followup: bool = False) -> list[str]:
        """What in a coordinator's template the context cannot fill, one line each ([] when it fits)."""

    @abstractmethod
    def chart_png(self, data: dict[str, Any], lang: str) -> bytes:
        """The follow-up's chart (`chart_data` of its context) as a PNG for a screen."""


class HtmlRenderer(ABC):
    """Recaps and follow-up reports as HTML from the same contexts as the Word documents (reports/html_documents.py):
    clean semantic HTML a web page shows and WordPress's editor keeps."""

    @abstractmethod
    def recap_html(self, context: dict[str, Any], *, document: bool = True, title: bool = True) -> str:
        """The recap; `document`: a whole page (doctype, head, footer), else the article alone; `title`: False gives
        a post's body (no article around it, no h1: the post's title is its own)."""

    @abstractmethod
    def followup_html(self, context: dict[str, Any], *, document: bool = True) -> str:
        """The follow-up report, as recap_html."""

    @abstractmethod
    def write_recap_html(self, context: dict[str, Any], out: Path) -> Path:
        """The recap as an .html page at `out` (a file, or a folder that gets the recap's name with .html)."""


# --- publishing on the initiative's website ------------------------------------------------------


@dataclass(frozen=True)
class PublishedPost:
    id: int
    link: str = ""
    status: str = ""  # "draft" as backbone leaves it; "publish", "future", … once a person acted on it


@dataclass(frozen=True)
class UploadedMedia:
    id: int
    url: str  # its source_url, what the post links to


class Publisher(ABC):
    """A website's posts (WordPress's REST API, sync/adapters/wordpress/): drafts only, a person publishes."""

    @property
    @abstractmethod
    def site(self) -> str:
        """The site's address, what its posts are recorded under in the state database."""

    @abstractmethod
    def check(self) -> None:
        """ConfigError (one line, what to do) when the settings are missing or the site has no REST API here."""

    @abstractmethod
    def category_id(self, name: str) -> int:
        """The id of the category called `name`; InputError when the site has none of that name."""

    @abstractmethod
    def post(self, post_id: int) -> PublishedPost | None:
        """The post as it stands now (None when it is gone)."""

    @abstractmethod
    def upload(self, file: Path) -> UploadedMedia:
        """A file into the site's media library."""

    @abstractmethod
    def media_url(self, media_id: int) -> str | None:
        """Where an uploaded file is now, None when someone deleted it from the media library."""

    @abstractmethod
    def save_draft(self, post_id: int | None, *, title: str, content: str, categories: list[int]) -> PublishedPost:
        """Create a draft (post_id None) or update draft `post_id`; always status draft."""


class PublishedPosts(ABC):
    """Which post on which site holds a workshop's recap (the state database), so a second publish updates it."""

    @abstractmethod
    def published_post(self, site: str, workshop: str) -> tuple[int, dict[str, Any]] | None:
        """(post id, details such as the uploaded slides) or None before the first publish."""

    @abstractmethod
    def record_post(self, site: str, workshop: str, post_id: int, details: dict[str, Any]) -> None: ...


# --- the e-mail digest ---------------------------------------------------------------------------


class DigestLog(ABC):
    """What the e-mail digest reads and records in the state database: the runs it tells of, and what was sent."""

    @abstractmethod
    def run(self, run_id: int) -> RunRecord | None: ...

    @abstractmethod
    def runs(self, limit: int = 20) -> list[RunRecord]:
        """The newest runs first."""

    @abstractmethod
    def last_digest(self) -> LastDigest | None: ...

    @abstractmethod
    def record_digest(self, run_id: int | None, sent: str, *, reminder: bool, overdue: list[str], subject: str) -> None:
        """A digest went out: the next one is measured against it, so nothing is told twice."""

    @abstractmethod
    def record_notification(self, run_id: int, outcome: dict[str, Any]) -> None:
        """What became of a run's digest (sent, skipped or failed), kept in the run's details."""


class Mailer(ABC):
    """Where the e-mail digest goes (sync/adapters/smtp/mailer.py: SMTP with TLS, STARTTLS or a local relay)."""

    @abstractmethod
    def check(self) -> list[str]:
        """The recipients' addresses; ConfigError naming the setting when the server or the addresses are wrong."""

    @abstractmethod
    def attachments(self) -> list[Path]:
        """The documents a digest carries (the newest recaps) when that is asked for; [] otherwise."""

    @abstractmethod
    def send(self, mail: Mail, *, attachments: Sequence[Path] = (), now: dt.datetime) -> list[str]:
        """Send to every recipient; returns their addresses. ConfigError, AccessError or ServiceError naming the
        server (never its password) when it cannot be sent."""


# --- the state database, port by port ------------------------------------------------------------
# Each use case and entry point takes the few it needs; the SQLite StateStore implements them all.


class SyncedRows(ABC):
    """Which rows sync has written to a sheet (the merge base), read without the rest of it: the recap leaves out
    rows a person deleted, the page lists them."""

    @abstractmethod
    def base_row_ids(self, sheet: str, tab: str) -> frozenset[str]:
        """The row IDs of one tab (its key, e.g. "ideas") that sync wrote to this sheet."""

    @abstractmethod
    def base_rows(self, sheet: str, tab: str, row_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """Row ID -> {column key: value} as sync last wrote them, for the rows asked about that it wrote."""


class RunLog(ABC):
    """The recorded sync runs, as `backbone runs`, the page, the digest and the follow-up report read them."""

    @abstractmethod
    def run(self, run_id: int) -> RunRecord | None:
        """One run by its id; None when there is no such run (any number, however large)."""

    @abstractmethod
    def runs(self, limit: int = 20) -> list[RunRecord]:
        """The newest `limit` runs, newest first."""

    @abstractmethod
    def runs_after(self, moment: str) -> list[RunRecord]:
        """Runs that started after `moment` ("YYYY-MM-DD HH:MM:SS", as runs are stamped), oldest first."""

    @abstractmethod
    def last_run_before(self, moment: str) -> RunRecord | None:
        """The newest run that wrote to the sheet (ok or partial) and started at or before `moment`."""


class FollowupLog(ABC):
    """The follow-up reports written: the next one says what changed since the last."""

    @abstractmethod
    def last_followup(self) -> tuple[str, dict[str, Any]] | None:
        """When the last follow-up report was written, and what it showed; None before the first."""

    @abstractmethod
    def record_followup(self, written: str, details: dict[str, Any]) -> int:
        """A follow-up report was written: when, and what it showed; answers its id."""


class RunHistory(RunLog, FollowupLog, ABC):
    """What the follow-up report reads and records: the runs since a moment, and the follow-ups written."""


@dataclass(frozen=True)
class SnapshotInfo:
    """An archived board snapshot, without its content."""
    id: int
    mural_id: str
    fetched_at: float
    updated_on: int | None
    widgets: int


class SnapshotHistory(ABC):
    """The archived snapshots, listed and read back by number (`backbone mural history`, `backbone board --snapshot`)."""

    where: str  # for messages: where the archive is (the state database's file)

    @abstractmethod
    def snapshots(self, mural_id: str) -> list[SnapshotInfo]:
        """The board's snapshots, newest first."""

    @abstractmethod
    def snapshot(self, snapshot_id: int) -> tuple[SnapshotInfo, dict[str, Any]] | None:
        """A snapshot and its export JSON (forgotten people cut out); None when there is none of that number."""


@dataclass(frozen=True)
class Erasure:
    """What erasing a person found (and, when applied, changed) in what backbone keeps."""
    base: int = 0  # merge-base entries
    runs: int = 0  # runs whose message or details named the person
    snapshots: int = 0  # archived snapshots rewritten
    merged: int = 0  # of those, folded into an identical snapshot of the same board
    boards: tuple[str, ...] = ()  # the boards those snapshots belong to
    followups: int = 0  # follow-up records (what a follow-up report showed)


class ForgottenPeople(ABC):
    """The list of forgotten people (keyed hashes, no names: sync/core/suppression.py) and forgetting one more."""

    @abstractmethod
    def suppression(self) -> Suppression:
        """The list as every entry of board data applies it; ConfigError when it cannot be read."""

    @abstractmethod
    def suppressed_people(self) -> int:
        """How many names the list holds (never which)."""

    @abstractmethod
    def erase(self, eraser: NameEraser, *, apply: bool, user_ids: Iterable[str] = ()) -> Erasure:
        """Count (apply=False: nothing changes) or remove the person's name everywhere kept: the merge base, the
        runs, the follow-ups, the digests, the intents, the snapshots. Applied, the person joins the list, with
        the MURAL user ids that carried the name in the snapshots and in `user_ids`."""


class HandedOutFiles(ABC):
    """Files backbone wrote or reads but does not own once written: recaps handed out, board exports saved by
    `pull`. `forget` lists those naming a person for a human to check; it never changes them."""

    @abstractmethod
    def naming(self, eraser: NameEraser) -> list[Path]:
        """The files that name the person (a PDF listed with the .docx it was made from)."""

    @abstractmethod
    def user_ids(self, files: Sequence[Path], eraser: NameEraser) -> set[str]:
        """The vendors' user ids that carry the person's name in the board exports among `files`."""


class StateDatabase(StatePort, SyncedRows, SnapshotArchive, SnapshotHistory, RunHistory, DigestLog, ForgottenPeople,
                    PublishedPosts, ABC):
    """Every state port in one: what the bootstrap hands the CLI and the page. A use case takes the ports above."""
