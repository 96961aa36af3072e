"""The one place where adapters are built from settings and handed to the core.

The CLI and the web service both go through `Backbone`; nothing else constructs an adapter.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.adapters.mural.mural_config import MuralConfig
from sync.adapters.retry import RetryPolicy
from sync.adapters.sqlite.state_store import StateStore
from sync.core import i18n
from sync.core.board_export import BoardExport
from sync.core.errors import ConfigError
from sync.core.model import MIRO, MURAL, Planning
from sync.core.retention import Retention
from sync.core.run_result import RunResult, stamp
from sync.core.sheet.reading import read_planning
from sync.ports import (
    BoardSource,
    DocumentRenderer,
    HandedOutFiles,
    HtmlRenderer,
    Mailer,
    Publisher,
    SheetBackend,
    SheetValues,
    StateDatabase,
)
from sync.settings import Settings
from sync.usecases.board_loading import Progress
from sync.usecases.followup_report import followup_context, write_followup
from sync.usecases.recap import ReportFiles, recap_html, write_recap
from sync.usecases.send_digest import DigestOptions
from sync.usecases.sync_run import SheetWait, run_sync
from sync.usecases.workshop_cards import left_out_of_recaps, workshop_rows, workshops_in_sheet_tabs

if TYPE_CHECKING:
    from sync.adapters.miro.client import MiroClient
    from sync.adapters.miro.miro_config import MiroConfig
    from sync.adapters.sheet_cache import SheetCache
    from sync.usecases.publish import Publication


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(tries=max(1, settings.http_retries))


def mural_config(settings: Settings, retry: RetryPolicy | None = None) -> MuralConfig:
    """The MURAL adapter's values from the settings; `mural pull` writes to the BACKBONE_BOARDS=files:DIR folder."""
    kind, _, folder = settings.boards.partition(":")
    return MuralConfig(api_url=settings.mural_api_url, client_id=settings.mural_client_id,
                       client_secret=settings.mural_client_secret, client_auth=settings.mural_client_auth,
                       token_file=Path(settings.mural_token_file), callback_port=settings.mural_callback_port,
                       redirect_url=settings.mural_redirect_url, timeout=settings.http_timeout,
                       retry=retry or retry_policy(settings), max_reuse_hours=settings.mural_max_reuse,
                       voting_session=settings.mural_voting_session,
                       exports_folder=Path(folder if kind == "files" and folder else "."))


class Backbone:
    def __init__(self, settings: Settings, *, clock: Callable[[], dt.datetime] | None = None,
                 sheet: SheetBackend | None = None, boards: BoardSource | None = None,
                 sleep: Callable[[float], None] = time.sleep, monotonic: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.sleep = sleep  # how a sync waits for a workbook open in Excel (BACKBONE_WORKBOOK_WAIT)
        self.monotonic = monotonic  # what the page's sheet cache counts Google's turns by (GOOGLE_READ_INTERVAL)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._sheet, self._boards = sheet, boards
        self._injected_sheet, self._injected_boards = sheet, boards

    def speaking(self) -> AbstractContextManager[None]:
        """A block whose messages are in BACKBONE_LANGUAGE (the sheet, the terminal, the nightly run): entered by the
        CLI around a command and by the service around a sync; building the app never changes the language."""
        return i18n.speaking(self.settings.language)

    @cached_property
    def tz(self) -> dt.tzinfo:
        try:
            return ZoneInfo(self.settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(i18n._("BACKBONE_TIMEZONE={value!r}: not a time zone name such as Europe/Stockholm").format(
                value=self.settings.timezone)) from None

    @cached_property
    def state(self) -> StateDatabase:
        """The state database (every state port, sync/ports.py); use cases get the ports they need from it."""
        store = StateStore(self.settings.state)
        store.retention = Retention.parse(self.settings.keep_snapshots)
        return store

    @property
    def sheet(self) -> SheetBackend:
        """The sheet for reading (pages, recaps); kept, so Google's sign-in is reused."""
        if self._sheet is None:
            self._sheet = self._new_sheet()
        return self._sheet

    GOOGLE_READ_INTERVAL = 60.0  # seconds between the page's reads of a Google sheet: 2 requests a minute at most

    @cached_property
    def sheet_cache(self) -> SheetCache:
        """The sheet as the web page lists it: read again when the workbook changes, after a sync, and at
        most once a minute from Google."""
        from sync.adapters.sheet_cache import SheetCache
        from sync.adapters.xlsx.workbook_sheet import WorkbookSheet
        sheet = self.sheet
        if isinstance(sheet, WorkbookSheet):
            return SheetCache(sheet.read, sheet.fingerprint)
        return SheetCache(sheet.read, min_interval=self.GOOGLE_READ_INTERVAL, clock=self.monotonic)

    @cached_property
    def documents(self) -> DocumentRenderer:
        """How recaps and follow-up reports become files: Word from the templates, PDF through LibreOffice."""
        from reports.word_documents import WordDocuments
        return WordDocuments()

    @cached_property
    def html(self) -> HtmlRenderer:
        """How recaps and follow-up reports become HTML: for the web page, `report --html` and WordPress."""
        from reports.html_documents import HtmlDocuments
        return HtmlDocuments()

    @cached_property
    def sheet_place(self) -> tuple[str, str]:
        """BACKBONE_SHEET, parsed once: ("xlsx", path) or ("gsheet", key or address)."""
        return self.settings.sheet_kind()

    @cached_property
    def boards_place(self) -> tuple[str, str]:
        """BACKBONE_BOARDS, parsed once: ("files", folder) or ("mural", "")."""
        return self.settings.boards_kind()

    @cached_property
    def retry(self) -> RetryPolicy:
        """The one retry policy of every HTTP call (Google, MURAL)."""
        return retry_policy(self.settings)

    @cached_property
    def mural_config(self) -> MuralConfig:
        return mural_config(self.settings, self.retry)

    def _new_sheet(self) -> SheetBackend:
        kind, where = self.sheet_place
        if kind == "xlsx":
            from sync.adapters.xlsx.workbook_sheet import WorkbookSheet
            return WorkbookSheet(where)
        from sync.adapters.gsheets import GoogleSheet
        return GoogleSheet(where, self.settings.google_credentials, api_url=self.settings.sheets_api_url,
                           timeout=self.settings.http_timeout, retry=self.retry)

    @property
    def sheet_id(self) -> str:
        """What the merge base is keyed by, so switching sheets never mixes their histories."""
        kind, where = self.sheet_place
        if kind == "xlsx":
            return f"xlsx:{Path(where).resolve()}"
        from sync.adapters.gsheets import spreadsheet_key
        return f"gsheet:{spreadsheet_key(where)}"

    @property
    def boards(self) -> BoardSource:
        """Where boards come from, kept (MURAL's sign-in is reused). Each use case hands it the list of forgotten
        people to cut at entry (docs/gdpr.md)."""
        if self._boards is None:
            self._boards = self._new_boards(archive=True)
        return self._boards

    def _new_boards(self, *, archive: bool) -> BoardSource:
        """Saved exports, or the live API archiving every pull (a dry run reads the archive, adds nothing)."""
        from sync.adapters.dry_run_archive import ReadOnlyArchive
        kind, where = self.boards_place
        if kind == "files":  # MURAL and Miro exports side by side; a Miro address in the sheet reads the Miro one
            from sync.adapters.miro.source import BoardFiles
            return BoardFiles(Path(where), voting_session=self.settings.mural_voting_session,
                              include_hidden=self.settings.include_hidden)
        if kind == "miro":
            from sync.adapters.miro.source import MiroBoardSource
            return MiroBoardSource(self.miro_client(), archive=self.state if archive else ReadOnlyArchive(self.state),
                                   include_hidden=self.settings.include_hidden)
        from sync.adapters.mural.client import MuralClient
        from sync.adapters.mural.source import MuralBoardSource
        config = self.mural_config
        return MuralBoardSource(MuralClient(config), archive=self.state if archive else ReadOnlyArchive(self.state),
                                max_reuse_hours=config.max_reuse_hours, voting_session=config.voting_session,
                                include_hidden=self.settings.include_hidden)

    def board_export(self, file: str | None, snapshot: int | None) -> BoardExport:
        """`backbone board`: an export FILE or snapshot N of the state database, forgotten people cut."""
        from sync.adapters.mural.export_files import export_to_read
        return self.state.suppression().export(export_to_read(file, snapshot, self.state))

    def archived_board(self, ref: str, *, miro: bool = False) -> tuple[str, str]:
        """(vendor, board id) of the board an address or id names, as the snapshot archive keys it: `backbone miro
        history` reads a Miro one; `backbone mural history` a MURAL one, or a Miro one (no MURAL ref looks like it)."""
        from sync.core.board.miro import is_miro_ref, miro_id_from_ref
        if miro or is_miro_ref(ref):
            return MIRO, miro_id_from_ref(ref)
        from sync.adapters.mural.board_refs import mural_id_from_ref
        return MURAL, mural_id_from_ref(ref)

    # --- what the commands and pages do --------------------------------------------------------
    def mural_login(self, announce: Callable[[str], object] = print) -> str:
        """Sign in to MURAL in the browser and keep the tokens; one line to show, without them."""
        from sync.adapters.mural.access import login
        return login(self.mural_config, announce)

    @cached_property
    def handed_out_files(self) -> HandedOutFiles:
        """The recaps' folder and the BACKBONE_BOARDS=files:DIR exports, as `forget` lists what names a person."""
        from sync.adapters.handed_out_files import FolderFiles
        kind, where = self.boards_place
        return FolderFiles([Path(self.settings.reports_dir), *([Path(where)] if kind == "files" else [])])

    @cached_property
    def miro_config(self) -> MiroConfig:
        from sync.adapters.miro.miro_config import MiroConfig
        settings = self.settings
        return MiroConfig(api_url=settings.miro_api_url, authorize_url=settings.miro_authorize_url,
                          client_id=settings.miro_client_id, client_secret=settings.miro_client_secret,
                          token=settings.miro_token, token_file=Path(settings.miro_token_file),
                          callback_port=settings.miro_callback_port, timeout=settings.http_timeout, retry=self.retry)

    def miro_client(self) -> MiroClient:
        """One client per use: BACKBONE_MIRO_TOKEN when set, else the saved sign-in, refreshed as it expires."""
        import requests

        from sync.adapters.miro.auth import signed_in
        from sync.adapters.miro.client import MiroClient
        config, session = self.miro_config, requests.Session()
        return MiroClient(signed_in(config, session, config.retry), config.api_url, timeout=config.timeout,
                          policy=config.retry, session=session)

    def miro_login(self, announce: Callable[[str], object] = print) -> str:
        """Sign in to Miro in the browser and keep the tokens; one line to show, without them."""
        from sync.adapters.miro.signin import login
        return login(self.miro_config, announce)

    def miro_pull(self, ref: str, out: str | Path | None = None, progress: Progress = lambda _: None) -> str:
        """`backbone miro pull`: a Miro board to a saved export (archived as well); one summary line."""
        from sync.adapters.miro.source import pull
        kind, folder = self.settings.boards.partition(":")[::2]
        return pull(self.miro_client(), ref, out, Path(folder if kind == "files" and folder else "."), archive=self.state,
                    hide=self.state.suppression(), progress=progress)[1]

    def mural_pull(self, ref: str, out: str | Path | None = None, progress: Progress = lambda _: None) -> str:
        """Download a board to an export file (archived as well); one summary line."""
        from sync.adapters.mural.access import pull
        return pull(self.mural_config, ref, out, archive=self.state, hide=self.state.suppression(), progress=progress)[1]

    def sync(self, *, dry_run: bool = False, workshop: str | None = None, progress: Progress = lambda _: None) -> RunResult:
        # A run gets a backend of its own: what it read must stay what it checks before writing,
        # even while the web page reads the sheet in another thread.
        if self._injected_boards is None and self.boards_place[0] == "files" and not Path(self.boards_place[1]).is_dir():
            from sync.adapters.mural.source import missing_folder
            raise missing_folder(Path(self.boards_place[1]))  # before the run: a setting to fix, no run to record
        sheet = self._injected_sheet or self._new_sheet()
        boards = self.boards if (self._injected_boards or not dry_run) else self._new_boards(archive=False)
        try:
            return run_sync(sheet, boards, self.state, sheet_id=self.sheet_id, clock=self.clock, tz=self.tz,
                            dry_run=dry_run, only=workshop, progress=progress,
                            authors=self.settings.authors, hide=self.state.suppression,
                            wait=SheetWait(limit=self.settings.workbook_wait * 60, sleep=self.sleep))
        finally:
            if not dry_run and "sheet_cache" in self.__dict__:  # built only where the web page has read the sheet
                self.sheet_cache.invalidate()

    def init(self):
        """`backbone init`: every tab with its header, the frozen headers and the Status drop-down; a local workbook
        is made when missing (refused when it holds data), a Google spreadsheet gets its missing tabs."""
        from sync.usecases.new_sheet import initialise
        kind, where = self.sheet_place
        sheet = self._injected_sheet or self._new_sheet()
        done = initialise(sheet, refuse_data=kind == "xlsx" and self._injected_sheet is None)
        if "sheet_cache" in self.__dict__:
            self.sheet_cache.invalidate()
        return done

    def make_boards_folder(self) -> Path | None:
        """`backbone init` with BACKBONE_BOARDS=files:DIR: the folder for the boards' export files, made when
        missing so the next `backbone sync` finds it; None when boards come from elsewhere or it is there."""
        kind, where = self.boards_place
        if kind != "files" or self._injected_boards is not None or Path(where).is_dir():
            return None
        Path(where).mkdir(parents=True)
        return Path(where).resolve()

    def planning(self) -> Planning:
        return read_planning(self.sheet.read(), self.sheet.name)

    def workshop_rows(self) -> list[dict[str, str]]:
        """The Workshops tab as the web page lists it; worked out once per read of the sheet (shared: read only)."""
        return self.sheet_cache.derived(("workshop_rows",), lambda values: workshop_rows(values, self.sheet.name))

    def workshops_in_sheet_tabs(self) -> frozenset[str]:
        """The workshops with rows in Idéer or Åtgärder; worked out once per read of the sheet."""
        return self.sheet_cache.derived(("in_sheet_tabs",), lambda values: workshops_in_sheet_tabs(values, self.sheet.name))

    def left_out_of_recaps(self, run_id: int | None) -> dict[str, list[tuple[str, str]]]:
        """What each workshop's recap leaves out, for the page's cards; worked out once per read of the sheet and
        sync run (`run_id`: the last one)."""
        from sync.core.sheet.tabs import IDEAS

        def build(values: SheetValues) -> dict[str, list[tuple[str, str]]]:
            return left_out_of_recaps(values, self.sheet.name, self.state.base_row_ids(self.sheet_id, IDEAS.key),
                                      lambda ids: self.state.base_rows(self.sheet_id, IDEAS.key, ids),
                                      self.state.suppression())
        return self.sheet_cache.derived(("left_out", run_id), build)

    def report(self, workshop_id: str, *, lang: str | None = None, template: str | Path | None = None,
               out: str | Path | None = None, pdf: bool = False, html: bool = False) -> ReportFiles:
        """`html`: the recap as a web page too, beside the .docx."""
        chosen = template or self.settings.template
        return write_recap(workshop_id, self.sheet, self.boards, self.documents, lang=lang or self.settings.language, tz=self.tz,
                           now=self.clock().astimezone(self.tz), organisation=self.settings.organisation,
                           authors=self.settings.authors, template=Path(chosen) if chosen else None,
                           out=Path(out) if out else Path(self.settings.reports_dir), pdf=pdf, hide=self.state.suppression(),
                           written=self.written_ideas(), html=self.html if html else None)

    def recap_html(self, workshop_id: str, *, lang: str | None = None, document: bool = True) -> str:
        """A workshop's recap as HTML (the web page's view, WordPress's post)."""
        return recap_html(workshop_id, self.sheet, self.boards, self.html, lang=lang or self.settings.language, tz=self.tz,
                          now=self.clock().astimezone(self.tz), organisation=self.settings.organisation,
                          authors=self.settings.authors, hide=self.state.suppression(), written=self.written_ideas(),
                          document=document)

    @cached_property
    def publisher(self) -> Publisher:
        """The WordPress site drafts go to: BACKBONE_WORDPRESS_URL, _USER, _APP_PASSWORD (checked when used)."""
        from sync.adapters.wordpress import WordPressClient
        return WordPressClient(self.settings.wordpress_url, self.settings.wordpress_user,
                               self.settings.wordpress_app_password, timeout=self.settings.http_timeout, retry=self.retry)

    def publish(self, workshop_id: str, *, dry_run: bool = False, lang: str | None = None) -> Publication:
        """`backbone publish`: the recap as a WordPress draft, the same draft each time; never published."""
        from sync.usecases.publish import publish_recap
        from sync.usecases.recap import recap_context
        made = recap_context(workshop_id, self.sheet, self.boards, lang=lang or self.settings.language, tz=self.tz,
                             now=self.clock().astimezone(self.tz), organisation=self.settings.organisation,
                             authors=self.settings.authors, hide=self.state.suppression(), written=self.written_ideas())
        kind, where = self.sheet_place
        base = Path(where).resolve().parent if kind == "xlsx" else Path.cwd()  # where a Bilder file name is looked for
        return publish_recap(made, self.publisher, self.state, self.html, category=self.settings.wordpress_category,
                             base=base, dry_run=dry_run)

    def followup_html(self, *, lang: str | None = None, document: bool = True) -> str:
        """The follow-up report as HTML, since the last follow-up written; records nothing."""
        context = followup_context(self.sheet, self.state, self.documents, since=None, lang=lang or self.settings.language,
                                   now=self.clock().astimezone(self.tz), organisation=self.settings.organisation,
                                   reports_dir=Path(self.settings.reports_dir), hide=self.state.suppression())
        return self.html.followup_html(context, document=document)

    def written_ideas(self) -> frozenset[str]:
        """The Idéer rows sync has written to this sheet (the merge base): a recap leaves out those a person deleted."""
        from sync.core.sheet.tabs import IDEAS
        return self.state.base_row_ids(self.sheet_id, IDEAS.key)

    # --- between workshops: the follow-up report and the e-mail digest (issue 12) -----------------
    def followup(self, *, since: str | None = None, lang: str | None = None, template: str | Path | None = None,
                 out: str | Path | None = None, pdf: bool = False) -> ReportFiles:
        return write_followup(self.sheet, self.state, self.documents, since=since, lang=lang or self.settings.language,
                              now=self.clock().astimezone(self.tz), stamp=stamp(self.clock, self.tz),
                              organisation=self.settings.organisation, reports_dir=Path(self.settings.reports_dir),
                              template=Path(template) if template else None, out=Path(out) if out else None, pdf=pdf,
                              hide=self.state.suppression())

    def notify_after_sync(self, run_id: int | None, *, failure: str = "") -> dict:
        """E-mail the digest of run `run_id` (or of a sync that failed with `failure`) when there is something
        to say. Never raises: the outcome is returned and recorded in the run's details."""
        from sync.core.errors import BackboneError
        from sync.core.text import one_line
        try:
            return self._notify_after_sync(run_id, failure)
        except BackboneError as exc:  # e.g. the state database unreadable: the sync's own result stands
            return {"sent": False, "error": one_line(str(exc))}

    def _notify_after_sync(self, run_id: int | None, failure: str) -> dict:
        from sync.usecases.send_digest import notify_after_sync
        return notify_after_sync(self.state, self.mailer, self.planning, self.state.suppression, self.digest_options,
                                 run_id, failure)

    @cached_property
    def mailer(self) -> Mailer:
        """The e-mail digest's way out: BACKBONE_SMTP_URL, BACKBONE_MAIL_FROM, BACKBONE_MAIL_TO (checked when used)."""
        from sync.adapters.smtp.mailer import SmtpMailer
        return SmtpMailer(self.settings.smtp_url, self.settings.mail_from, self.settings.mail_to,
                          timeout=self.settings.mail_timeout,
                          recaps=Path(self.settings.reports_dir) if self.settings.mail_attach_recaps else None)

    @property
    def digest_options(self) -> DigestOptions:
        return DigestOptions(self.settings.language, self.clock, self.tz, self.settings.mail_reminder_day,
                             self.settings.web_url)

    def notify_test(self) -> list[str]:
        """Send the test message; named errors when the settings or the server are wrong. Returns the recipients."""
        from sync.usecases.send_digest import send_test_message
        return send_test_message(self.mailer, self.digest_options)
