"""The recap use case: one workshop's Word recap (and PDF) from the sheet, its board and a template.

A live board that is gone or unreachable falls back to its newest archived snapshot, said in the notes:
the content of a workshop outlives its board.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.core.curation import ROW_DELETED, SAID_NO
from sync.core.errors import AccessError, NotFoundError, ServiceError
from sync.core.i18n import _, ngettext
from sync.core.model import Board, Planning, Workshop
from sync.core.privacy import AuthorPolicy
from sync.core.recap_context import build_report_context, left_out_notes
from sync.core.sheet.reading import read_planning
from sync.core.sheet.tabs import WORKSHOPS
from sync.core.suppression import NOBODY, Suppression
from sync.core.text import one_line
from sync.ports import BoardSource, DocumentRenderer, HtmlRenderer, SheetBackend


@dataclass(frozen=True)
class ReportFiles:
    docx: Path
    pdf: Path | None = None
    notes: tuple[str, ...] = ()  # what the person should know, e.g. that an archived snapshot was used
    html: Path | None = None  # the recap as a web page, when asked for


def load_board(workshop: Workshop, boards: BoardSource, *, tz: dt.tzinfo, notes: list[str], hide: Suppression = NOBODY
               ) -> Board | None:
    """The workshop's board, normalised; None when the workshop names no board. A live board that is gone or cannot
    be reached gives its newest archived snapshot instead, said in `notes` with when it was pulled (in `tz`)."""
    ref = workshop.board.strip()
    if not ref:
        return None
    try:
        return boards.board(ref, workshop=workshop.id, hide=hide)
    except (NotFoundError, ServiceError, AccessError) as exc:
        archived = boards.archived(ref, workshop=workshop.id, hide=hide)
        if archived is None:
            raise
        fetched = ("?" if archived.fetched_at is None
                   else dt.datetime.fromtimestamp(archived.fetched_at, tz).strftime("%Y-%m-%d %H:%M"))
        notes.append(_("{problem}; the recap uses the snapshot archived {fetched}").format(problem=exc, fetched=fetched))
        return archived.board


def has_sheet_rows(planning: Planning, workshop_id: str) -> bool:
    """Whether the Idéer or Åtgärder tab holds rows of the workshop: without a board, the recap is made of them."""
    wanted = workshop_id.strip().casefold()
    return (any(row.get("workshop", "").strip().casefold() == wanted for row in planning.ideas.values())
            or any(action.workshop.strip().casefold() == wanted for action in planning.actions))


def no_board_message(workshop_id: str) -> str:
    """Said when a recap is asked of a workshop with no board and nothing of it in the sheet (CLI and web page)."""
    return _("workshop {id} has no board yet: write the board's MURAL address in the {column} column of the "
             "{tab} tab").format(id=workshop_id, column=WORKSHOPS.column("board").header, tab=WORKSHOPS.title)


@dataclass(frozen=True)
class RecapContext:
    """What every rendering of a recap starts from: the template context and what the person should know."""
    context: dict[str, Any]
    notes: tuple[str, ...] = ()


def recap_context(workshop_id: str, sheet: SheetBackend, boards: BoardSource, *, lang: str, tz: dt.tzinfo,
                  now: dt.datetime, organisation: str, authors: str, hide: Suppression = NOBODY,
                  written: frozenset[str] = frozenset()) -> RecapContext:
    """Read the sheet, load the workshop's board and build the recap's context (Word, HTML and WordPress share it).
    `hide`: forgotten people, cut from the board and from what people typed in the sheet.
    `written`: the Idéer rows sync has written (the merge base): one of these a person deleted leaves its note out."""
    hide = hide.in_language(lang)  # a forgotten name's marker in the recap's language
    planning = read_planning(hide.json(sheet.read()), sheet.name)
    workshop = planning.workshop(workshop_id)
    if workshop is None:
        if not planning.workshops:
            raise NotFoundError(_("no workshop {id!r} in the Workshops tab of {sheet}: the tab has no workshop yet; add "
                                  "one row per workshop").format(id=workshop_id, sheet=sheet.name))
        raise NotFoundError(_("no workshop {id!r} in the Workshops tab of {sheet} (IDs there: {known})").format(
            id=workshop_id, sheet=sheet.name, known=", ".join(w.id for w in planning.workshops)))
    if not workshop.board.strip() and not has_sheet_rows(planning, workshop.id):
        raise NotFoundError(no_board_message(workshop.id))
    notes: list[str] = []
    board = load_board(workshop, boards, tz=tz, notes=notes, hide=hide)
    context = build_report_context(workshop, board, planning, lang=lang, organisation=organisation, generated=now,
                                   authors=AuthorPolicy.from_attendees(authors, planning.attendees), written=written)
    notes.extend(left_out_lines([(note.text, why) for note, why in left_out_notes(board, planning, written)]))
    return RecapContext(context, tuple(notes))


def write_recap(workshop_id: str, sheet: SheetBackend, boards: BoardSource, renderer: DocumentRenderer, *, lang: str,
                tz: dt.tzinfo,
                now: dt.datetime, organisation: str, authors: str, template: Path | None, out: Path,
                pdf: bool = False, hide: Suppression = NOBODY, written: frozenset[str] = frozenset(),
                html: HtmlRenderer | None = None) -> ReportFiles:
    """The recap_context filled into the template; `out` is a .docx path or a folder.
    `html`: also write the recap as an .html page beside the .docx."""
    made = recap_context(workshop_id, sheet, boards, lang=lang, tz=tz, now=now, organisation=organisation,
                         authors=authors, hide=hide, written=written)
    docx = renderer.write_recap(made.context, template=template, out=out, author=organisation or "backbone", created=now)
    page = html.write_recap_html(made.context, docx.with_suffix(".html")) if html is not None else None
    return ReportFiles(docx, renderer.to_pdf(docx) if pdf else None, made.notes, page)


def recap_html(workshop_id: str, sheet: SheetBackend, boards: BoardSource, renderer: HtmlRenderer, *, lang: str,
               tz: dt.tzinfo, now: dt.datetime, organisation: str, authors: str, hide: Suppression = NOBODY,
               written: frozenset[str] = frozenset(), document: bool = True) -> str:
    """The recap of a workshop as HTML: a whole page, or (`document=False`) the article a page or a post holds."""
    made = recap_context(workshop_id, sheet, boards, lang=lang, tz=tz, now=now, organisation=organisation,
                         authors=authors, hide=hide, written=written)
    return renderer.recap_html(made.context, document=document)


def left_out_lines(left_out: list[tuple[str, str]], shown: int = 3) -> list[str]:
    """One line per reason a note is not in the recap: how many, why, and the first few notes' texts.
    `left_out`: (the note's text, SAID_NO or ROW_DELETED)."""
    lines = []
    for reason in (SAID_NO, ROW_DELETED):
        notes = [text for text, why in left_out if why == reason]
        if not notes:
            continue
        count = len(notes)
        if reason == SAID_NO:
            line = ngettext("{count} note is left out of the recap because its row in the Idéer tab says "
                            "I sammanfattningen = nej", "{count} notes are left out of the recap because their rows in "
                            "the Idéer tab say I sammanfattningen = nej", count)
        else:
            line = ngettext("{count} note is left out of the recap because a person deleted its row from the Idéer tab "
                            "after a sync wrote it (add a row with its ID to bring it back)",
                            "{count} notes are left out of the recap because a person deleted their rows from the Idéer "
                            "tab after a sync wrote them (add a row with the ID to bring one back)", count)
        texts = ", ".join(repr(one_line(text, 40)) for text in notes[:shown])
        more = _(" and {count} more").format(count=count - shown) if count > shown else ""
        lines.append(line.format(count=count) + f": {texts}{more}")
    return lines
