"""Links made in a rendered document, for templates with and without Word's Hyperlink style."""
from __future__ import annotations

import re

import docx

from reports.docx_fixes import link_text, link_urls


def _hyperlinks(document) -> list[str]:
    return [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]


def test_a_template_without_the_hyperlink_style_still_gets_an_underlined_link():
    document = docx.Document()  # python-docx's default template has no Hyperlink style
    assert not any(s.style_id == "Hyperlink" for s in document.styles)
    document.add_paragraph("Bilderna: https://example.org/bilder.pdf, tack!")
    assert link_urls(document) == 1
    assert _hyperlinks(document) == ["https://example.org/bilder.pdf"]
    underline = document.element.body.find(".//" + docx.oxml.ns.qn("w:u"))
    assert underline is not None and underline.get(docx.oxml.ns.qn("w:val")) == "single"
    assert document.paragraphs[0].text == "Bilderna: https://example.org/bilder.pdf, tack!"


def test_file_names_link_to_the_file_with_the_text_kept_around_them():
    document = docx.Document()
    document.add_paragraph("Sammanfattning: 2021-05-04 ci2 – sammanfattning.docx (Word)")
    assert link_text(document, re.compile(re.escape("2021-05-04 ci2 – sammanfattning.docx")), lambda n: n.replace(" ", "%20")) == 1
    assert _hyperlinks(document) == ["2021-05-04%20ci2%20–%20sammanfattning.docx"]
    assert document.paragraphs[0].text == "Sammanfattning: 2021-05-04 ci2 – sammanfattning.docx (Word)"
