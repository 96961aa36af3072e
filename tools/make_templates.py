"""Builds templates/recap.sv.docx and templates/recap.en.docx, the bundled recap templates.

Run `python tools/make_templates.py` after changing this script or sync/core/recap_context.py, and commit the
.docx files and docs/templates.md (the page listing every placeholder) too.
The output is an ordinary Word document: coordinators may restyle and reword it in Word; the
{{ }} placeholders and {%p %} lines (one per paragraph) are filled by reports/docx_recap.py from the
context described in sync/core/recap_context.py.
"""
from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.template_words import recap_template_words
from sync.core.i18n import LANGUAGES

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Calibri"
INK = RGBColor(0x1F, 0x2A, 0x37)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)

def _font(style, size: float, *, bold: bool = False, colour: RGBColor = INK) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = colour
    # Headings in the default template use theme fonts; name the font for every script so Word obeys.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:cs"), FONT)


def _spacing(style, before: float, after: float) -> None:
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)


def _set_language(document, language: str) -> None:
    """Spell checking in Word follows the document defaults' language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language)


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, 11)
    _spacing(normal, 0, 8)
    normal.paragraph_format.line_spacing = 1.15
    _font(styles["Title"], 24, colour=ACCENT)
    _spacing(styles["Title"], 0, 12)
    _font(styles["Heading 1"], 15, bold=True, colour=ACCENT)
    _spacing(styles["Heading 1"], 18, 6)
    _font(styles["Heading 2"], 12.5, bold=True)
    _spacing(styles["Heading 2"], 12, 4)
    for name in ("List Bullet", "List Number"):
        # Contextual spacing (set in these styles) keeps items tight; the space shows after the list.
        _spacing(styles[name], 0, 8)
    detail = styles.add_style("Action Detail", WD_STYLE_TYPE.PARAGRAPH)
    detail.base_style = normal
    _spacing(detail, 0, 2)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    _font(styles["Footer"], 8, colour=RGBColor(0x6B, 0x72, 0x80))


def _para(document, text: str = "", style: str | None = None, *, label: str = ""):
    paragraph = document.add_paragraph(style=style)
    if label:
        paragraph.add_run(label).bold = True
        text = " " + text
    paragraph.add_run(text)
    return paragraph


def _action_lines(document, w: dict, loop: str) -> None:
    _para(document, f"{{%p for action in {loop} %}}")
    _para(document, "{{ action.title }}", "Heading 2")
    for key in ("how", "when", "who"):
        # As published: an empty field stays empty ("HUR:"), to be filled in by whoever knows.
        line = _para(document, f"{{{{ action.{key} }}}}", "Action Detail", label=w[key])
        # HUR/NÄR/VEM read as one block: no page break inside it (after VEM one may come).
        line.paragraph_format.keep_with_next = key != "who"
    # No Status: the recap goes to partners; a template may add {{ action.status }}.
    _para(document, "{%p endfor %}")


def build(lang: str) -> Document:
    w = recap_template_words(lang)
    document = Document()
    _styles(document)
    _set_language(document, w["language"])
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, not python-docx's Letter
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        section.footer.paragraphs[0].text = w["footer"]
        section.footer.paragraphs[0].style = document.styles["Footer"]
    title = _para(document, "{{ title }}{% if theme %}", "Title")
    title.add_run().add_break()  # the theme on the title's second line, as published
    title.add_run("{{ theme }}{% endif %}")
    _para(document, "{% if took_place_text %}{{ took_place_text }} {% endif %}{{ attendance.text }}")
    _para(document, "{%p if purpose %}")
    _para(document, "{{ purpose }}")
    _para(document, "{%p endif %}")
    for line in ("{%p for block in intro %}", "{%p if block.kind == 'numbered' %}",
                 "{%p for entry in block.entries %}"):
        _para(document, line)
    _para(document, "{{ entry }}", "List Number")
    for line in ("{%p endfor %}", "{%p else %}"):
        _para(document, line)
    _para(document, "{{ block.text }}")
    for line in ("{%p endif %}", "{%p endfor %}", "{%p if slides %}"):
        _para(document, line)
    _para(document, w["slides"])
    _para(document, "{{ slides }}")
    _para(document, "{%p endif %}")
    _para(document, "{%p if board_intro %}")
    _para(document, "{{ board_intro }}")
    _para(document, "{%p endif %}")
    # Before the board's summary: why a Miro board's recap has no votes and no comments.
    _para(document, "{%p if missing_votes_comments_text %}")
    _para(document, "{{ missing_votes_comments_text }}")
    _para(document, "{%p endif %}")
    _para(document, "{%p for exercise in exercises %}")
    _para(document, "{{ exercise.title }}", "Heading 1")
    _para(document, "{%p for group in exercise.groups %}")
    _para(document, "{{ group.title }}{% if group.description %} {{ group.description }}{% endif %}", "Heading 2")
    _para(document, "{%p for note in group.notes %}")
    _para(document, "{{ note.text }}", "List Bullet")
    _para(document, "{%p endfor %}")
    _para(document, "{%p endfor %}")
    _action_lines(document, w, "exercise.actions")
    _para(document, "{%p endfor %}")
    _para(document, "{%p if prioritised %}")
    _para(document, w["prioritised"], "Heading 1")
    _action_lines(document, w, "prioritised")
    _para(document, "{%p endif %}")
    _para(document, "{%p if other_notes %}")
    _para(document, w["other_notes"], "Heading 1")
    _para(document, "{%p for note in other_notes %}")
    _para(document, "{{ note.text }}", "List Bullet")
    _para(document, "{%p endfor %}")
    _para(document, "{%p endif %}")
    properties = document.core_properties
    properties.title, properties.subject = w["name"], w["name"]
    properties.author = properties.last_modified_by = "backbone"
    properties.comments = "Template for backbone workshop recaps; see sync/core/recap_context.py for the placeholders."
    properties.language, properties.revision = w["language"], 1
    # A fixed date keeps the committed files identical between runs of this script.
    properties.created = properties.modified = datetime(2026, 1, 1, tzinfo=UTC)
    return document


def save_reproducibly(document, path: Path) -> None:
    """Zip entries carry the time they were written; fix it so an unchanged template is an unchanged file."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(zipfile.ZipInfo(entry.filename, date_time=(2026, 1, 1, 0, 0, 0)),
                            source.read(entry), zipfile.ZIP_DEFLATED)


DOCS = Path(__file__).resolve().parents[1] / "docs" / "templates.md"


def main() -> int:
    TEMPLATES.mkdir(exist_ok=True)
    for lang in LANGUAGES:
        path = TEMPLATES / f"recap.{lang}.docx"
        save_reproducibly(build(lang), path)
        print(path)
    from reports.placeholder_docs import placeholder_docs  # the page listing every placeholder
    DOCS.write_text(placeholder_docs(), encoding="utf-8")
    print(DOCS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
