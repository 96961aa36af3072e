"""The one place where adapters are built from settings and handed to the core.

The CLI and the web service both go through `Backbone`; nothing else constructs an adapter.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import i18n
from .board import board_from_export
from .engine import Progress, RunResult, run_sync
from .errors import AccessError, ConfigError, NotFoundError, ServiceError
from .i18n import _
from .model import Board, Planning, Workshop
from .ports import BoardSource, SheetBackend
from .privacy import AuthorPolicy
from .retention import Retention
from .settings import Settings
from .sheet.read import read_planning, rows_of
from .sheet.tabs import WORKSHOPS
from .state import StateStore

if TYPE_CHECKING:
    from .web.sheet_cache import SheetCache


@dataclass(frozen=True)
class ReportFiles:
    docx: Path
    pdf: Path | None = None
    notes: tuple[str, ...] = ()  # what the person should know, e.g. that an archived snapshot was used


class Backbone:
    def __init__(self, settings: Settings, *, clock: Callable[[], dt.datetime] | None = None,
                 sheet: SheetBackend | None = None, boards: BoardSource | None = None):
        self.settings = settings
        i18n.use(settings.language)  # messages in the sheet, the CLI and the nightly run: BACKBONE_LANGUAGE
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
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

    GOOGLE_READ_INTERVAL = 60.0  # seconds between the page's reads of a Google sheet: 2 requests a minute at most

    @cached_property
    def sheet_cache(self) -> SheetCache:
        """The sheet as the web page lists it: read again when the workbook changes, after a sync, and at
        most once a minute from Google."""
        from .sheet.workbook import WorkbookSheet
        from .web.sheet_cache import SheetCache  # here, not above: importing sync.web loads Flask
        sheet = self.sheet
        if isinstance(sheet, WorkbookSheet):
            return SheetCache(sheet.read, sheet.fingerprint)
        return SheetCache(sheet.read, min_interval=self.GOOGLE_READ_INTERVAL)

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
        try:
            return run_sync(sheet, boards, self.state, sheet_id=self.sheet_id, clock=self.clock, tz=self.tz,
                            dry_run=dry_run, only=workshop, include_hidden=self.settings.include_hidden, progress=progress,
                            authors=self.settings.authors)
        finally:
            if not dry_run and "sheet_cache" in self.__dict__:  # built only where the web page has read the sheet
                self.sheet_cache.invalidate()

    def planning(self) -> Planning:
        return read_planning(self.sheet.read(), self.sheet.name)

    def workshop_rows(self) -> list[dict[str, str]]:
        """The Workshops tab as the web page lists it (ID, title, date, board, notes, last synced)."""
        values = self.sheet_cache.values()
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
        return board_from_export(export, include_hidden=self.settings.include_hidden, workshop=workshop.id,
                                 voting_session=self.settings.mural_voting_session)

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
        found = self.state.snapshot(max(snapshots, key=lambda s: s.fetched_at).id)
        if found is None:  # pruned since the listing
            return None
        newest, export_json = found
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
            raise NotFoundError(_("no workshop {id!r} in the Workshops tab of {sheet} (IDs there: {known})").format(
                id=workshop_id, sheet=self.sheet.name, known=known))
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

    # --- between workshops: the follow-up report and the e-mail digest (issue 12) -----------------
    def followup_since(self, since: str | None):
        """What "new and changed" is measured against: --since DATE, else the last follow-up, from the state."""
        from reports.followup import Since

        from .errors import InputError
        if since is not None:
            try:
                day = dt.date.fromisoformat(since.strip())
            except ValueError:
                raise InputError(f"--since {since!r}: give a date as YYYY-MM-DD, e.g. 2021-06-01") from None
            moment = f"{day.isoformat()} 00:00:00"
            before = self.state.last_run_before(moment)
            statuses = before.details.get("changes", {}).get("statuses") if before else None
            return Since("date", day.isoformat(), statuses, self._digests_after(moment))
        last = self.state.last_followup()
        if last is None:
            return Since("first")
        return Since("followup", last[0], last[1].get("statuses"), self._digests_after(last[0]))

    def _digests_after(self, moment: str) -> list[dict]:
        return [r.details["changes"] for r in self.state.runs_after(moment)
                if r.result in ("ok", "partial") and "changes" in r.details]

    def followup(self, *, since: str | None = None, lang: str | None = None, template: str | Path | None = None,
                 out: str | Path | None = None, pdf: bool = False) -> ReportFiles:
        """Write the follow-up report of the whole series, and remember what it showed for the next one."""
        from reports.context import build_report_context
        from reports.followup import build_followup_context, shown_statuses
        from reports.followup_render import write_followup
        from reports.render import report_filename

        from .engine import stamp
        from .sheet.tabs import ACTIONS

        lang = lang or self.settings.language
        values = self.sheet.read()
        planning = read_planning(values, self.sheet.name)
        owners = {r["id"]: r.get("owner", "") for _, r in rows_of(values, ACTIONS, self.sheet.name) if r.get("id")}
        reports_dir, now = Path(self.settings.reports_dir), self.clock().astimezone(self.tz)
        recaps = {}
        for workshop in planning.workshops:  # the recap's name as `backbone report` writes it, when it is there
            name = report_filename(build_report_context(workshop, None, planning, lang=lang, generated=now))
            if (reports_dir / name).is_file():
                recaps[workshop.id] = name
        chosen = self.followup_since(since)
        context = build_followup_context(planning, chosen, lang=lang, today=now.date(), generated=now,
                                         organisation=self.settings.organisation, owners=owners, recaps=recaps)
        docx = write_followup(context, Path(template) if template else None, Path(out) if out else reports_dir,
                              author=self.settings.organisation or "backbone", created=now)
        self.state.record_followup(stamp(self.clock, self.tz), {"statuses": shown_statuses(planning), "file": docx.name})
        pdf_path = None
        if pdf:
            from reports.pdf import convert_to_pdf
            pdf_path = convert_to_pdf(docx, docx.parent)
        return ReportFiles(docx, pdf_path)

    def notify_after_sync(self, run_id: int | None, *, failure: str = "") -> dict:
        """E-mail the digest of run `run_id` (or of a sync that failed with `failure`) when there is something
        to say. Never raises: the outcome is returned and recorded in the run's details."""
        from .errors import BackboneError
        from .text import one_line
        try:
            return self._notify_after_sync(run_id, failure)
        except BackboneError as exc:  # e.g. the state database unreadable: the sync's own result stands
            return {"sent": False, "error": one_line(str(exc))}

    def _notify_after_sync(self, run_id: int | None, failure: str) -> dict:
        import dataclasses

        from reports.followup import overdue_actions

        from .digest_mail import compose_digest, worth_sending
        from .engine import stamp
        from .errors import BackboneError
        from .notify import build_message, mail_server, newest_recaps, recipients, send
        from .text import one_line

        run = self.state.run(run_id) if run_id is not None else None
        if run is None and failure:  # the engine recorded the failed run; it is the newest one
            newest = self.state.runs(1)
            run = newest[0] if newest and newest[0].result == "failed" and newest[0].message == one_line(failure) else None
        record = dataclasses.asdict(run) if run else {"started": stamp(self.clock, self.tz), "result": "failed",
                                                      "message": one_line(failure), "details": {}}
        lang = self.settings.language
        outcome: dict[str, object] = {"at": stamp(self.clock, self.tz)}
        overdue = []
        if record["result"] != "failed":
            try:
                overdue = overdue_actions(self.planning(), self.clock().astimezone(self.tz).date(), lang)
            except BackboneError:
                pass  # the digest still goes out, without the overdue list
        if not worth_sending(record, overdue):
            outcome.update(sent=False, skipped="nothing to say")
        else:
            try:
                server, (sender, to) = mail_server(self.settings.smtp_url), recipients(self.settings)
                attachments = newest_recaps(Path(self.settings.reports_dir)) if self.settings.mail_attach_recaps else []
                mail = compose_digest(record, overdue, lang, attached=bool(attachments))
                send(server, build_message(mail, sender, to, attachments), timeout=self.settings.http_timeout)
                outcome.update(sent=True, to=len(to), subject=mail.subject)
            except (BackboneError, OSError) as exc:
                outcome.update(sent=False, error=one_line(str(exc)))
        if run is not None:
            self.state.record_notification(run.id, outcome)
        return outcome

    def notify_test(self) -> list[str]:
        """Send the test message; named errors when the settings or the server are wrong. Returns the recipients."""
        from .digest_mail import compose_test
        from .notify import build_message, mail_server, recipients, send

        server, (sender, to) = mail_server(self.settings.smtp_url), recipients(self.settings)
        send(server, build_message(compose_test(self.settings.language), sender, to), timeout=self.settings.http_timeout)
        from email.utils import getaddresses
        return [address for _, address in getaddresses(to)]
