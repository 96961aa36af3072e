"""A Miro board's recap (Word and HTML) says why it has no votes and no comments; a MURAL board's does not."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document

from reports.docx_recap import bundled_template, render_report
from reports.html_documents import HtmlDocuments
from sync.adapters.miro.source import MiroBoardSource
from sync.adapters.mural.export_files import load_export_file
from sync.adapters.sqlite.state_store import StateStore
from sync.core.board import board_from_export
from sync.core.board.miro import board_from_miro, export_from_miro
from sync.core.model import MIRO, MURAL, Board, Planning, Workshop
from sync.core.recap_context import build_report_context

ROOT = Path(__file__).resolve().parents[2]
MIRO_EXPORT = ROOT / "tests" / "data" / "miro" / "uXjVPbiskop=.json"
MURAL_EXPORT = ROOT / "examples" / "biskopsgarden" / "boards" / "biskopsgarden2021.1620111600000.json"
CREATED = datetime(2024, 6, 12, 12, 5, tzinfo=UTC)
SAID = {"sv": "Röster och kommentarer finns inte för Miro-tavlor (Miros API ger dem inte).",
        "en": "Votes and comments are not available for Miro boards (Miro's API does not provide them)."}
WORKSHOP = Workshop(id="CI2", title="Collective Impact 2", date="2021-05-04", board_intro="Tavlan i korthet:")


def miro_board() -> Board:
    return board_from_miro(export_from_miro(json.loads(MIRO_EXPORT.read_text("utf-8")), str(MIRO_EXPORT)), workshop="CI2")


def mural_board() -> Board:
    return board_from_export(load_export_file(MURAL_EXPORT), workshop="CI2")


def context(board: Board | None, lang: str) -> dict:
    return build_report_context(WORKSHOP, board, Planning(), lang=lang, generated=CREATED)


def word_text(tmp_path: Path, board: Board, lang: str) -> list[str]:
    filled = context(board, lang)
    out = render_report(filled, bundled_template(lang), tmp_path / f"recap.{lang}.docx", title=filled["title"],
                        author="RISE", created=CREATED)
    return [p.text for p in Document(str(out)).paragraphs]


def test_boards_know_their_vendor():
    assert miro_board().vendor == MIRO and mural_board().vendor == MURAL


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_miro_recap_says_why_votes_and_comments_are_missing(tmp_path, lang):
    paragraphs = word_text(tmp_path, miro_board(), lang)
    assert SAID[lang] in paragraphs
    # Where the board's summary starts: after its introduction, before the first exercise.
    assert paragraphs.index(SAID[lang]) == paragraphs.index("Tavlan i korthet:") + 1
    html = HtmlDocuments().recap_html(context(miro_board(), lang))
    assert f"<p>{SAID[lang]}</p>".replace("'", "&#39;") in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_mural_recap_and_one_without_a_board_say_nothing_of_it(tmp_path, lang):
    text = "\n".join(word_text(tmp_path, mural_board(), lang))
    assert SAID["sv"] not in text and SAID["en"] not in text and "Miro" not in text
    for board in (mural_board(), None):
        filled = context(board, lang)
        assert filled["missing_votes_comments_text"] == ""
        html = HtmlDocuments().recap_html(filled)
        assert "Miro" not in html


def test_a_miro_board_read_back_from_its_archived_snapshot_is_still_miro(tmp_path):
    state = StateStore(tmp_path / "state.sqlite3")
    state.save("uXjVPbiskop=", json.loads(MIRO_EXPORT.read_text("utf-8")), None, 1_700_000_000.0)
    archived = MiroBoardSource(client=None, archive=state).archived("https://miro.com/app/board/uXjVPbiskop=/")  # type: ignore[arg-type]
    assert archived is not None and archived.board.vendor == MIRO
    assert context(archived.board, "sv")["missing_votes_comments_text"] == SAID["sv"]
