"""The recap as HTML (`backbone report --html`, reports/html_documents.py): valid HTML, the seed recap paragraph by
paragraph, untrusted text escaped."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import html5lib
import pytest

from reports.html_documents import HtmlDocuments
from reports.sample import sample_board, sample_planning, sample_workshop
from sync.core.recap_context import build_report_context
from sync.entry.cli.main import main
from tests.e2e.test_cli_example import seed_paragraphs
from tests.html_blocks import blocks, links, parse

SLIDES = "https://vhbasket.se/wp-content/uploads/2021/05/CI-workshop-2.pdf"
NOW = dt.datetime(2021, 5, 5, 12, 0, tzinfo=dt.UTC)


def without_slides_link(got: list[str]) -> list[str]:
    """The published page linked its slides from the sentence; the recap gives the link on the next line."""
    slides = got.index("Här är bilderna som visades under workshopen för nerladdning:") + 1
    assert got.pop(slides) == SLIDES
    return got


def test_report_html_writes_the_seed_recap_as_a_valid_page(example, capsys):
    assert main(["sync"]) == 0
    capsys.readouterr()
    assert main(["report", "ci2", "--html"]) == 0
    written = [Path(line.removeprefix("Skrev ")) for line in capsys.readouterr().out.split("\n") if line]
    assert [p.suffix for p in written] == [".docx", ".html"]
    page = written[1]
    assert page.name == "2021-05-04 Collective Impact 2 – sammanfattning.html"
    html = page.read_text("utf-8")
    parse(html)  # strict: any parse error fails
    got = without_slides_link(blocks(html, inside="article"))
    assert got == seed_paragraphs()
    assert SLIDES in links(html)
    assert '<html lang="sv">' in html and "style=" not in html
    assert "Skapad av backbone för Collective Impact Biskopsgården" in html  # the footer, outside the article


def test_the_article_alone_is_a_valid_fragment_with_only_semantic_tags():
    context = build_report_context(sample_workshop(), sample_board(), sample_planning(), generated=NOW)
    article = HtmlDocuments().recap_html(context, document=False)
    tree = parse(article, fragment=True)
    tags = {e.tag.split("}")[-1] for e in tree.iter() if isinstance(e.tag, str)}
    assert tags <= {"DOCUMENT_FRAGMENT", "article", "h1", "h2", "h3", "p", "ol", "ul", "li", "a", "strong", "br"}
    assert {"h1", "h2", "h3", "ol", "ul", "li", "a"} <= tags
    untitled = HtmlDocuments().recap_html(context, document=False, title=False)
    assert "<h1>" in article and "<h1>" not in untitled


def test_english_words_come_from_the_catalogs():
    context = build_report_context(sample_workshop(), sample_board(), sample_planning(), lang="en", generated=NOW)
    html = HtmlDocuments().recap_html(context)
    assert '<html lang="en">' in html
    assert "Here are the slides shown during the workshop, for download:" in html
    assert "<strong>HOW:</strong>" in html and "HUR" not in html


UNTRUSTED = "<script>alert('x')</script> R&D \x00\x07\x1b\x7f\ufffe slut"


def test_untrusted_text_is_escaped_and_control_characters_dropped():
    workshop = sample_workshop()
    board = sample_board()
    first = board.exercises[0].groups[0]
    note = first.notes[0]
    from dataclasses import replace
    board = replace(board, exercises=(replace(board.exercises[0], groups=(
        replace(first, title=UNTRUSTED, notes=(replace(note, text=UNTRUSTED),) + first.notes[1:]),)
        + board.exercises[0].groups[1:]),) + board.exercises[1:])
    workshop = replace(workshop, title=UNTRUSTED, slides="javascript:alert(1)", purpose="a & b < c")
    context = build_report_context(workshop, board, sample_planning(), generated=NOW)
    for html in (HtmlDocuments().recap_html(context), HtmlDocuments().recap_html(context, document=False)):
        parse(html, fragment="<!DOCTYPE" not in html)
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "R&amp;D" in html and "a &amp; b &lt; c" in html
        assert not any(ch in html for ch in "\x00\x07\x1b\x7f\ufffe")
        assert "javascript:" not in " ".join(links(html, fragment="<!DOCTYPE" not in html))
        assert "javascript:alert(1)" in html  # shown as text, not followed
    texts = blocks(HtmlDocuments().recap_html(context))
    assert "<script>alert('x')</script> R&D slut" in texts


def test_the_follow_up_as_html_is_valid_and_has_every_heading(example, backbone):
    backbone.sync()
    html = backbone.followup_html()
    parse(html)
    got = blocks(html, inside="article")
    assert got[0].startswith("Uppföljning")
    for heading in ("Åtgärder per status", "Deltagande", "Workshopparna"):
        assert heading in got
    assert any(line.startswith("Utse/bilda processgrupp") for line in got)  # an action of the example


def test_html5lib_strict_parsing_finds_errors():
    """The check the tests above rely on can fail."""
    with pytest.raises(html5lib.html5parser.ParseError):
        parse("<p>unclosed <b>bold</p>", fragment=True)
