"""The committed templates are what tools/make_templates.py builds, and they are usable Word files."""
from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from reports.docx_recap import TEMPLATES, bundled_template, render_report
from sync.core.errors import InputError
from sync.core.model import Planning, Workshop
from sync.core.recap_context import build_report_context

MAKER = Path(__file__).resolve().parents[2] / "tools" / "make_templates.py"


def _maker():
    spec = importlib.util.spec_from_file_location("make_templates", MAKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_committed_templates_are_up_to_date(tmp_path, lang):
    rebuilt = tmp_path / f"recap.{lang}.docx"
    _maker().save_reproducibly(_maker().build(lang), rebuilt)
    assert rebuilt.read_bytes() == bundled_template(lang).read_bytes(), "run tools/make_templates.py and commit"


@pytest.mark.parametrize("lang, language", [("sv", "sv-SE"), ("en", "en-GB")])
def test_templates_are_styled_a4_documents_with_backbone_properties(lang, language):
    document = Document(bundled_template(lang))
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Number", "Action Detail"} <= {
        p.style.name for p in document.paragraphs}
    assert document.core_properties.author == "backbone" and document.core_properties.language == language
    assert bundled_template(lang).parent.name == TEMPLATES and (bundled_template(lang).parent / "__init__.py").is_file()


def test_bundled_template_refuses_unknown_languages():
    with pytest.raises(InputError, match="'fi'"):
        bundled_template("fi")


def test_a_bare_workshop_renders_without_optional_sections(tmp_path):
    """No date, theme, intro, slides, board, attendees or organisation: nothing dangling is left."""
    context = build_report_context(Workshop(id="W1", title="Uppstart"), None, Planning(), generated=datetime(2024, 1, 2, 9, 0))
    document = Document(render_report(context, bundled_template("sv"), tmp_path / "r.docx",
                                      title=context["title"], author="", created=datetime(2024, 1, 2, 9, 0)))
    assert [p.text for p in document.paragraphs] == ["Uppstart – sammanfattning",
                                                     "Inga deltagare finns registrerade för workshopen."]
    assert document.sections[0].footer.paragraphs[0].text == "Skapad av backbone, 2 januari 2024 kl. 09:00"
    assert document.core_properties.author == "backbone"


@pytest.mark.parametrize(("lang", "footer"), [("sv", "Skapad av backbone för RISE, 2 januari 2024 kl. 09:00"),
                                              ("en", "Created by backbone for RISE, 2 January 2024 at 09:00")])
def test_the_footer_names_the_organisation_in_the_template_s_language(tmp_path, lang, footer):
    """The templates' words come from the catalogs (reports/template_words.py): the footer is one whole sentence."""
    context = build_report_context(Workshop(id="W1", title="Uppstart"), None, Planning(), lang=lang, organisation="RISE",
                                   generated=datetime(2024, 1, 2, 9, 0))
    document = Document(render_report(context, bundled_template(lang), tmp_path / "r.docx",
                                      title=context["title"], author="", created=datetime(2024, 1, 2, 9, 0)))
    assert document.sections[0].footer.paragraphs[0].text == footer


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_committed_followup_templates_are_up_to_date(tmp_path, lang):
    spec = importlib.util.spec_from_file_location("make_followup_templates", MAKER.with_name("make_followup_templates.py"))
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    rebuilt = tmp_path / f"followup.{lang}.docx"
    maker.save_reproducibly(maker.build(lang), rebuilt)
    assert rebuilt.read_bytes() == bundled_template(lang, "followup").read_bytes(), \
        "run tools/make_followup_templates.py and commit"
