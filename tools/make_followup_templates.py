"""Builds templates/followup.sv.docx and templates/followup.en.docx, the bundled follow-up templates.

Run `python tools/make_followup_templates.py` after changing this script and commit the .docx files.
Ordinary Word documents: restyle and reword them in Word. The {{ }} placeholders and the {%p %}
lines (one per paragraph) are filled by reports/docx_recap.py from the context described at the top of
sync/core/followup_context.py. Kept apart from tools/make_templates.py (the recap templates).
"""
from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.template_words import followup_template_words
from sync.core.i18n import LANGUAGES

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, the recap templates' generator
from make_templates import save_reproducibly  # noqa: E402  (one way to write reproducible .docx files)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Calibri"
INK, ACCENT, LATE = RGBColor(0x1F, 0x2A, 0x37), RGBColor(0x1F, 0x4E, 0x79), RGBColor(0xB4, 0x23, 0x18)

def _font(style, size: float, *, bold: bool = False, colour: RGBColor = INK) -> None:
    style.font.name, style.font.size, style.font.bold, style.font.color.rgb = FONT, Pt(size), bold, colour
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # theme fonts would override the named one
    fonts.set(qn("w:cs"), FONT)


def _styles(document, language: str) -> None:
    styles = document.styles
    _font(styles["Normal"], 11)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    _font(styles["Title"], 22, colour=ACCENT)
    _font(styles["Heading 1"], 15, bold=True, colour=ACCENT)
    styles["Heading 1"].paragraph_format.space_before = Pt(16)
    _font(styles["Heading 2"], 13, bold=True, colour=ACCENT)
    styles["Heading 2"].paragraph_format.space_before = Pt(10)
    _font(styles["Heading 3"], 11, bold=True)
    detail = styles.add_style("Action Detail", WD_STYLE_TYPE.PARAGRAPH)
    detail.base_style = styles["Normal"]
    detail.paragraph_format.space_after = Pt(1)
    detail.paragraph_format.left_indent = Cm(0.6)
    _font(styles["Footer"], 8, colour=RGBColor(0x6B, 0x72, 0x80))
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language)  # Word's spell checking follows this


def _para(document, text: str = "", style: str | None = None, *, label: str = "", colour: RGBColor | None = None):
    paragraph = document.add_paragraph(style=style)
    if label:
        paragraph.add_run(label + " ").bold = True
    run = paragraph.add_run(text)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def _lines(document, *lines: str) -> None:
    for line in lines:
        _para(document, line)


def _action(document, w: dict, name: str, level: int) -> None:
    """One action: its title (a heading one level below its section's, marked when overdue), then
    workshop, HUR/NÄR/VEM and owner."""
    title = _para(document, "{{ %s.title }}" % name, f"Heading {level}")
    late = title.add_run("{%% if %s.overdue %%} – %s{%% endif %%}" % (name, w["late"]))
    late.font.color.rgb = LATE
    _para(document, "{{ %s.workshop_title }}" % name, "Action Detail", label=w["workshop"])
    _para(document, "{{ %s.how_display }}" % name, "Action Detail", label=w["how"])
    _para(document, "{{ %s.when_display }}{%% if %s.due_text %%} ({{ %s.due_text }}){%% endif %%}" % (name, name, name),
          "Action Detail", label=w["when"])
    _para(document, "{{ %s.who_display }}" % name, "Action Detail", label=w["who"])
    _para(document, "{{ %s.owner_display }}" % name, "Action Detail", label=w["owner"])


def build(lang: str) -> Document:
    w = followup_template_words(lang)
    document = Document()
    _styles(document, w["language"])
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
        section.left_margin = section.right_margin = Cm(2.5)
        section.footer.paragraphs[0].text = w["footer"]
        section.footer.paragraphs[0].style = document.styles["Footer"]
    _para(document, "{{ title }}", "Title")
    _para(document, w["made"] + " {{ summary_text }}")
    _lines(document, "{%p if chart %}", "{{ chart }}", "{%p endif %}", "{%p if overdue %}")
    _para(document, w["overdue"], "Heading 1", colour=LATE)
    _lines(document, "{%p for action in overdue %}")
    _action(document, w, "action", 2)
    _para(document, "{{ action.status or '–' }}", "Action Detail", label=w["status"])
    _lines(document, "{%p endfor %}", "{%p endif %}")

    _para(document, w["new"], "Heading 1")
    _lines(document, "{%p if since.note %}", "{{ since.note }}", "{%p endif %}",
           "{%p if since.nothing_new %}", "{{ since.nothing_new }}", "{%p endif %}", "{%p if since.actions_added %}")
    _para(document, w["added"], "Heading 2")
    _lines(document, "{%p for action in since.actions_added %}")
    _para(document, "{{ action.title }} ({{ action.workshop_title }}){% if action.status %}: {{ action.status }}{% endif %}",
          "List Bullet")
    _lines(document, "{%p endfor %}", "{%p endif %}", "{%p if since.status_changes %}")
    _para(document, w["status_changes"], "Heading 2")
    _lines(document, "{%p for change in since.status_changes %}")
    _para(document, "{{ change.action.title }} ({{ change.action.workshop_title }}): {{ change.old }} → {{ change.new }}",
          "List Bullet")
    _lines(document, "{%p endfor %}", "{%p endif %}", "{%p if since.actions_changed %}")
    _para(document, w["actions_changed"], "Heading 2")
    _lines(document, "{%p for change in since.actions_changed %}")
    _para(document, "{{ change.text }} ({{ change.workshop_title }})", "List Bullet")
    _lines(document, "{%p endfor %}", "{%p endif %}", "{%p if since.boards %}")
    _para(document, w["boards"], "Heading 2")
    _lines(document, "{%p for board in since.boards %}")
    _para(document, "{{ board.workshop_title }}: {{ board.text }}", "List Bullet")
    _lines(document, "{%p endfor %}", "{%p endif %}")

    _para(document, w["by_status"], "Heading 1")
    _lines(document, "{%p for group in status_groups %}")
    _para(document, "{{ group.status }} ({{ group.count }})", "Heading 2")
    _lines(document, "{%p for action in group.actions %}")
    _action(document, w, "action", 3)
    _lines(document, "{%p endfor %}", "{%p if group.overdue %}")
    _para(document, "{{ group.overdue_titles }}", label=w["overdue_here"])
    _lines(document, "{%p endif %}", "{%p endfor %}")

    _para(document, w["attendance"], "Heading 1")
    _lines(document, "{{ attendance.text }}", "{%p for row in attendance.workshops %}")
    _para(document, "{{ row.title }}, {{ row.date_text }}: {{ row.text }}", "List Bullet")
    _lines(document, "{%p if row.new_organisations %}")
    _para(document, "({{ row.new_organisations | length }}): {{ row.new_organisations | join(', ') }}", "Action Detail",
          label=w["new_orgs"])
    _lines(document, "{%p endif %}", "{%p if row.not_back %}")
    _para(document, "({{ row.not_back | length }}): {{ row.not_back | join(', ') }}", "Action Detail", label=w["not_back"])
    _lines(document, "{%p endif %}", "{%p endfor %}")

    _para(document, w["workshops"], "Heading 1")
    _lines(document, "{%p for workshop in workshops %}")
    _para(document, "{{ workshop.date_text }}{% if workshop.date_text %} – {% endif %}{{ workshop.title }}"
          "{% if workshop.theme %}: {{ workshop.theme }}{% endif %} ({{ workshop.notes }}, {{ workshop.actions }})."
          "{% if workshop.recap %} " + w["recap"] + " {{ workshop.recap }}{% endif %}", "List Bullet")
    _lines(document, "{%p endfor %}")

    properties = document.core_properties
    properties.title = properties.subject = w["name"]
    properties.author = properties.last_modified_by = "backbone"
    properties.comments = "Template for backbone follow-up reports; see sync/core/followup_context.py for the placeholders."
    properties.language, properties.revision = w["language"], 1
    properties.created = properties.modified = datetime(2026, 1, 1, tzinfo=UTC)  # reproducible bytes
    return document


def main() -> int:
    TEMPLATES.mkdir(exist_ok=True)
    for lang in LANGUAGES:
        path = TEMPLATES / f"followup.{lang}.docx"
        save_reproducibly(build(lang), path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
