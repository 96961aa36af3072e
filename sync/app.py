"""The one place where adapters are built from settings and handed to the core.

The CLI and the web service both go through `Backbone`; nothing else constructs an adapter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .board import normalise
from .boards import BoardSource
from .engine import Progress, RunResult, run_sync
from .errors import AccessError, ConfigError, NotFoundError, ServiceError
from .model import Board, Planning, Workshop
from .settings import Settings
from .sheet.port import SheetBackend
from .sheet.read import read_planning, rows_of
from .sheet.tabs import WORKSHOPS
from .privacy import AuthorPolicy
from .retention import Retention
from .state import StateStore


@dataclass(frozen=True)
class ReportFiles:
    docx: Path
    pdf: Path | None = None
    notes: tuple[str, ...] = ()  # what the person should know, e.g. that an archived snapshot was used


class Backbone:
    def __init__(self, settings: Settings, *, clock: Callable[[], dt.datetime] | None = None,
                 sheet: SheetBackend | None = None, boards: BoardSource | None = None):
        self.settings = settings
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self._sheet, self._boards = sheet, boards
        self._injected_sheet, self._injected_boards = sheet, boards

    @cached_property
    def tz(self) -> dt.tzinfo:
        try:
            return ZoneInfo(self.settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"BACKBONE_TIMEZONE={self.settings.timezone!r}: not a time zone name such as Europe/Stockholm") from None

    @cached_property
    def state(self) -> StateStore:
        store = StateStore(self.settings.state)
        store.retention = Retention.parse(self.settings.keep_snapshots)
        return store

    @property
    def sheet(self) -> SheetBackend:
        """The sheet for reading (pages, recaps); kept, so Google's sign-in is reused."""
        if self._sheet is None:
            self._sheet = self._new_sheet()
        return self._sheet

    def _new_sheet(self) -> SheetBackend:
        kind, where = self.settings.sheet_kind()
        if kind == "xlsx":
            from .sheet.workbook import WorkbookSheet
            return WorkbookSheet(where)
        from .sheet.google import GoogleSheet
        return GoogleSheet.from_settings(self.settings)

    @property
    def sheet_id(self) -> str:
        """What the merge base is keyed by, so switching sheets never mixes their histories."""
        kind, where = self.settings.sheet_kind()
        if kind == "xlsx":
            return f"xlsx:{Path(where).resolve()}"
        from .sheet.google import spreadsheet_key
        return f"gsheet:{spreadsheet_key(where)}"

    @property
    def boards(self) -> BoardSource:
        if self._boards is None:
            self._boards = self._new_boards(archive=True)
        return self._boards

    def _new_boards(self, *, archive: bool) -> BoardSource:
        """Saved exports, or the live API archiving every pull (a dry run reads the archive, adds nothing)."""
        kind, where = self.settings.boards_kind()
        if kind == "files":
            from .mural.source import FileBoardSource
            return FileBoardSource(Path(where), voting_session=self.settings.mural_voting_session)
        from .mural.archive import ReadOnlyArchive
        from .mural.client import MuralClient
        from .mural.source import MuralBoardSource
        return MuralBoardSource(MuralClient(self.settings), archive=self.state if archive else ReadOnlyArchive(self.state),
                                max_reuse_hours=self.settings.mural_max_reuse, voting_session=self.settings.mural_voting_session)

    # --- what the commands and pages do --------------------------------------------------------
    def sync(self, *, dry_run: bool = False, workshop: str | None = None, progress: Progress = lambda _: None) -> RunResult:
        # A run gets a backend of its own: what it read must stay what it checks before writing,
        # even while the web page reads the sheet in another thread.
        sheet = self._injected_sheet or self._new_sheet()
        boards = self._injected_boards or (self._new_boards(archive=False) if dry_run else self.boards)
        return run_sync(sheet, boards, self.state, sheet_id=self.sheet_id, clock=self.clock, tz=self.tz,
                        dry_run=dry_run, only=workshop, include_hidden=self.settings.include_hidden, progress=progress,
                        authors=self.settings.authors)

    def planning(self) -> Planning:
        return read_planning(self.sheet.read(), self.sheet.name)

    def workshop_rows(self) -> list[dict[str, str]]:
        """The Workshops tab as the web page lists it (ID, title, date, board, notes, last synced)."""
        values = self.sheet.read()
        return [record for _, record in rows_of(values, WORKSHOPS, self.sheet.name, required=True) if record.get("id")]

    def board_for(self, workshop: Workshop, notes: list[str] | None = None) -> Board | None:
        """The workshop's board, normalised. A live board that is gone or unreachable falls back to its
        newest archived snapshot (said in `notes`): the content of a workshop outlives its board."""
        if not workshop.board.strip():
            return None
        try:
            export = self.boards.fetch(workshop.board.strip())
        except (NotFoundError, ServiceError, AccessError) as exc:
            export = self._archived(workshop.board.strip())
            if export is None:
                raise
            if notes is not None:
                notes.append(f"{exc}; the recap uses the snapshot archived {export[1]}")
            export = export[0]
        return normalise(list(export.widgets), board_id=export.id, title=export.title, updated=export.updated,
                         tags=export.tags, include_hidden=self.settings.include_hidden, workshop=workshop.id,
                         votes=export.votes(self.settings.mural_voting_session))

    def _archived(self, board_ref: str):
        """(the newest archived export of a live board, when it was fetched) or None."""
        if self.settings.boards_kind()[0] != "mural":
            return None
        from .mural.export import export_from_json
        from .mural.refs import mural_id_from_ref
        mural_id = mural_id_from_ref(board_ref)
        snapshots = self.state.snapshots(mural_id)
        if not snapshots:
            return None
        newest, export_json = self.state.snapshot(max(snapshots, key=lambda s: s.fetched_at).id)
        fetched = dt.datetime.fromtimestamp(newest.fetched_at, self.tz).strftime("%Y-%m-%d %H:%M")
        return export_from_json(export_json, f"the archived snapshot of {mural_id}", mural_id), fetched

    def report(self, workshop_id: str, *, lang: str | None = None, template: str | Path | None = None,
               out: str | Path | None = None, pdf: bool = False) -> ReportFiles:
        from reports.context import build_report_context
        from reports.render import bundled_template, render_report, report_filename

        lang = lang or self.settings.language
        planning = self.planning()
        workshop = planning.workshop(workshop_id)
        if workshop is None:
            known = ", ".join(w.id for w in planning.workshops) or "none"
            raise NotFoundError(f"no workshop {workshop_id!r} in the Workshops tab of {self.sheet.name} (IDs there: {known})")
        now = self.clock().astimezone(self.tz)
        notes: list[str] = []
        context = build_report_context(workshop, self.board_for(workshop, notes), planning, lang=lang,
                                       organisation=self.settings.organisation, generated=now,
                                       authors=AuthorPolicy.from_attendees(self.settings.authors, planning.attendees))
        template_path = Path(template or self.settings.template or bundled_template(lang))
        out_path = Path(out) if out else Path(self.settings.reports_dir)
        if out_path.is_dir() or out_path.suffix.lower() != ".docx":  # a folder, existing or to be made
            out_path = out_path / report_filename(context)
        docx = render_report(context, template_path, out_path, title=context["title"],
                             author=self.settings.organisation or "backbone", created=now)
        pdf_path = None
        if pdf:
            from reports.pdf import convert_to_pdf
            pdf_path = convert_to_pdf(docx, docx.parent)
        return ReportFiles(docx, pdf_path, tuple(notes))
