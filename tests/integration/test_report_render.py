"""Rendering real .docx recaps from the bundled templates and reading them back with python-docx."""
from __future__ import annotations

import logging
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.docx_recap import bundled_template, check_template, render_report, report_filename, template_problems
from sync.core import i18n
from sync.core.errors import InputError
from sync.core.model import Action, Attendee, Board, Exercise, Group, Note, Planning, Workshop
from sync.core.recap_context import build_report_context

CREATED = datetime(2024, 6, 12, 12, 5, tzinfo=UTC)
EXERCISE_1 = "Övning 1. Viktiga hållplatser för att uppnå ett verksamt CI Biskopsgården"
EXERCISE_2 = "Övning 2. Prioriterade hållplatser – Hur, När, Vem"
INTRO = ("RISE gick igenom vilka delar ett Collective Impact ska innehålla:\n"
         "1. Börjar med en gemensam agenda/vision\n2. Gemensam metod för effektmätning\n3. En stark organisatorisk ryggrad.\n"
         "Och två saker till:\n1. Kontinuerlig kommunikation\n2. Ömsesidigt förstärkande aktiviteter")


def seed_like(note_text: str = "Skapa ungdomsstyrelse", title: str = "Collective Impact 2") -> tuple:
    workshop = Workshop(id="CI2", title=title, date="2021-05-04", theme="Struktur och arbetssätt",
                        intro=INTRO, slides="https://example.org/ci2.pdf", number="2", series="Collective Impact",
                        purpose="Temat för dagen var samverkan.", board_intro="En sammanfattning av Muralen följer nedan:")
    lokal = Group(title="Lokal förankring", notes=(
        Note(id="n1", text="Relationsbyggande, skapa förtroende/tillit på plats"),
        Note(id="n2", text="Medborgardialoger"), Note(id="n3", text=note_text), Note(id="n4", text="Sista lappen")))
    kommunikation = Group(title="Kommunikation", description="inre och yttre kärna",
                          notes=(Note(id="n5", text="Kommunikationsplan"),))
    board = Board(
        exercises=(Exercise(title=EXERCISE_1, order=1, groups=(lokal, kommunikation)), Exercise(title=EXERCISE_2, order=2)),
        actions=(Action(id="a1", workshop="", exercise=EXERCISE_2, title="Utse/bilda processgrupp",
                        how="Rösta in representanter", when="Q1 2022", who="Samtliga aktörer"),
                 Action(id="a2", workshop="", exercise=EXERCISE_2, title="Avtal med syfte & mål",
                        how="", when="Q1 – Q2 2022", who="Processgrupp och aktörerna i CI")),
        unsorted=(Note(id="u1", text="Gemensam start (en ceremoni)"),))
    attendees = tuple(Attendee(f"P{i}", f"O{min(i, 20)}", "CI2") for i in range(1, 24))
    planning = Planning(attendees=attendees,
                        actions=(Action(id="s1", workshop="CI2", title="Bjuda in fler aktörer", when="2021", status="Planerad"),))
    return workshop, board, planning


def render(tmp_path: Path, lang: str = "sv", template: Path | None = None, **seed) -> Path:
    context = build_report_context(*seed_like(**seed), lang=lang, organisation="RISE", generated=CREATED)
    return render_report(context, template or bundled_template(lang), tmp_path / report_filename(context),
                         title=context["title"], author="RISE", created=CREATED)


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_the_recap_has_the_seed_structure(tmp_path):
    document = Document(render(tmp_path))
    texts = [p.text for p in document.paragraphs]
    assert styled(document, "Title") == ["Collective Impact 2 – sammanfattning\nStruktur och arbetssätt"]
    assert texts[1] == ("Den andra workshopen i Collective Impact-serien ägde rum 4 maj. Sammanlagt 23 engagerade "
                        "intressenter från 20 olika organisationer deltog.")
    assert texts[2] == "Temat för dagen var samverkan."
    slides = texts.index("Här är bilderna som visades under workshopen för nerladdning:")
    assert texts[slides + 1:slides + 3] == ["https://example.org/ci2.pdf", "En sammanfattning av Muralen följer nedan:"]
    assert texts[slides + 3] == EXERCISE_1
    assert styled(document, "Heading 1") == [EXERCISE_1, EXERCISE_2, "Prioriterade åtgärder", "Övrigt från tavlan"]
    assert styled(document, "Heading 2") == ["Lokal förankring", "Kommunikation inre och yttre kärna", "Utse/bilda processgrupp",
                                             "Avtal med syfte & mål", "Bjuda in fler aktörer"]
    assert styled(document, "List Bullet") == ["Relationsbyggande, skapa förtroende/tillit på plats", "Medborgardialoger",
                                               "Skapa ungdomsstyrelse", "Sista lappen", "Kommunikationsplan",
                                               "Gemensam start (en ceremoni)"]
    assert styled(document, "List Number")[:3] == ["Börjar med en gemensam agenda/vision",
                                                   "Gemensam metod för effektmätning", "En stark organisatorisk ryggrad."]
    assert not any("{%" in t or "{{" in t for t in texts)
    assert document.sections[0].footer.paragraphs[0].text == "Skapad av backbone för RISE, 12 juni 2024 kl. 12:05"


def test_how_when_who_are_labelled_lines_and_empty_ones_stay_empty_without_status(tmp_path):
    texts = [p.text.strip() for p in Document(render(tmp_path)).paragraphs]
    start = texts.index("Avtal med syfte & mål")
    assert texts[start + 1:start + 4] == ["HUR:", "NÄR: Q1 – Q2 2022", "VEM: Processgrupp och aktörerna i CI"]
    first = texts.index("Utse/bilda processgrupp")
    assert texts[first + 1:first + 4] == ["HUR: Rösta in representanter", "NÄR: Q1 2022", "VEM: Samtliga aktörer"]
    sheet_only = texts.index("Bjuda in fler aktörer")
    assert texts[sheet_only + 1:sheet_only + 5] == ["HUR:", "NÄR: 2021", "VEM:", "Övrigt från tavlan"]
    assert not any("Planerad" in t or t.startswith("Status") for t in texts)  # the recap goes to partners


def test_the_english_recap(tmp_path):
    document = Document(render(tmp_path, lang="en"))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["Collective Impact 2 – summary\nStruktur och arbetssätt", "The second workshop in the Collective "
                         "Impact series took place on 4 May. In total, 23 engaged stakeholders from 20 different "
                         "organisations took part."]
    assert "HOW: " in texts and "WHEN: Q1 – Q2 2022" in texts
    assert "Here are the slides shown during the workshop, for download:" in texts
    assert document.core_properties.language == "en-GB"


def _numbering(document, paragraph) -> tuple[int, object]:
    num_id = paragraph._p.pPr.numPr.numId.val
    num = document.part.numbering_part.element.num_having_numId(num_id)
    return num_id, num


def test_each_numbered_list_starts_at_one(tmp_path):
    document = Document(render(tmp_path))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered[3:]] == ["Kontinuerlig kommunikation", "Ömsesidigt förstärkande aktiviteter"]
    first, second = _numbering(document, numbered[0]), _numbering(document, numbered[3])
    assert first[0] != second[0]
    assert {_numbering(document, p)[0] for p in numbered[:3]} == {first[0]}
    assert {_numbering(document, p)[0] for p in numbered[3:]} == {second[0]}
    for _, num in (first, second):
        assert num.xpath("./w:lvlOverride[@w:ilvl='0']/w:startOverride/@w:val") == ["1"]
    assert first[1].abstractNumId.val == second[1].abstractNumId.val


def test_markup_control_characters_and_emoji_survive(tmp_path, caplog):
    text = "A & B <c> \x00D\x0bE\x1bF\ufffe 🎉 åäö ÅÄÖ och en lång svans"
    with caplog.at_level(logging.WARNING, logger="reports.docx_recap"):
        document = Document(render(tmp_path, note_text=text, title="Möte <1> & 2"))
    bullets = styled(document, "List Bullet")
    assert bullets[2:4] == ["A & B <c> DEF 🎉 åäö ÅÄÖ och en lång svans", "Sista lappen"]  # and nothing after it vanished
    assert styled(document, "Title") == ["Möte <1> & 2 – sammanfattning\nStruktur och arbetssätt"]
    assert styled(document, "Heading 1")[-1] == "Övrigt från tavlan"
    assert "U+0000" in caplog.text and "U+000B" in caplog.text and "U+FFFE" in caplog.text
    assert "svans" not in caplog.text  # only a short excerpt of the text is logged


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_note_text_comes_out_as_written_minus_invalid_characters(tmp_path, text):
    from sync.core.text import remove_invalid_xml
    document = Document(render(tmp_path, note_text=text))
    bullets = styled(document, "List Bullet")
    expected = remove_invalid_xml(text.replace("\r\n", "\n").replace("\r", "\n"))
    assert bullets[2:4] == [expected, "Sista lappen"]  # line breaks and tabs read back as "\n" and "\t"


def test_core_properties_are_set(tmp_path):
    properties = Document(render(tmp_path)).core_properties
    assert properties.title == "Collective Impact 2 – sammanfattning"
    assert properties.author == "RISE"
    assert properties.last_modified_by == "backbone"
    assert properties.created == properties.modified == CREATED
    assert properties.language == "sv-SE" and properties.revision == 1
    assert properties.comments == "Sammanfattning av workshop CI2, skapad av backbone."
    assert "python-docx" not in (properties.author + properties.comments)


def test_the_slides_link_is_a_real_hyperlink(tmp_path):
    document = Document(render(tmp_path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("https://"))
    assert [link.url for link in paragraph.hyperlinks] == ["https://example.org/ci2.pdf"]


def test_written_atomically_replacing_an_old_report(tmp_path):
    first = render(tmp_path)
    first.write_bytes(b"an old report")
    assert render(tmp_path) == first
    assert zipfile.is_zipfile(first)
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name]


def _template(tmp_path: Path, *lines: str) -> Path:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / "custom.docx"
    document.save(path)
    return path


@pytest.fixture
def english():
    """Template errors in English (the tests run in Swedish): the wording of the messages checked in the source
    language; the Swedish is checked on its own below."""
    with i18n.speaking("en"):
        yield


def test_a_typo_placeholder_is_an_input_error_naming_it(tmp_path):
    template = _template(tmp_path, "{{ title }}", "{{ worksop.title }}")
    with pytest.raises(InputError) as caught:
        render(tmp_path, template=template)
    assert str(caught.value).endswith("custom.docx: okänd platshållare 'worksop' i stycket ”{{ worksop.title }}”; "
                                      "menade du 'workshop'? (alla platshållare: docs/templates.md)")
    with pytest.raises(InputError) as caught, i18n.speaking("en"):
        render(tmp_path, template=template)
    assert str(caught.value).endswith("custom.docx: unknown placeholder 'worksop' in the paragraph \"{{ worksop.title }}\"; "
                                      "did you mean 'workshop'? (every placeholder: docs/templates.md)")
    assert not list(tmp_path.glob("*sammanfattning*"))


def test_a_typo_inside_a_loop_is_named_with_its_path(tmp_path, english):
    template = _template(tmp_path, "{%p for exercise in exercises %}", "{{ exercise.titel }}", "{%p endfor %}")
    with pytest.raises(InputError, match="unknown placeholder 'exercise.titel'"):
        render(tmp_path, template=template)


def test_check_template_accepts_the_bundled_templates():
    assert check_template(bundled_template("sv")) == []
    assert check_template(bundled_template("en")) == []


def test_check_template_names_typos(tmp_path):
    template = _template(tmp_path, "{{ workshop.titel }}", "{%p for note in other_notes %}",
                         "{{ note.txt }}", "{%p endfor %}", "{{ organisation }}")
    assert check_template(template) == ["workshop.titel", "note.txt"]


def test_a_broken_tag_is_an_input_error(tmp_path):
    template = _template(tmp_path, "{{ title }", "{%p if theme %}", "x")
    with pytest.raises(InputError, match=r"custom\.docx: trasig tagg"):
        check_template(template)
    with pytest.raises(InputError, match=r"custom\.docx: trasig tagg"):
        render(tmp_path, template=template)


def _headed_template(tmp_path: Path, *paragraphs: tuple[str | None, str]) -> Path:
    document = Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    path = tmp_path / "custom.docx"
    document.save(path)
    return path


def test_template_problems_name_the_paragraph_the_heading_above_and_the_nearest_placeholder(tmp_path, english):
    template = _headed_template(tmp_path, ("Title", "{{ title }}"), ("Heading 1", "Övningar"),
                                (None, "{%p for exercise in exercises %}"), ("Heading 2", "{{ exercise.titel }}"),
                                (None, "{%p endfor %}"), (None, "Datum: {{ date_txt }}"))
    assert template_problems(template) == [
        "'exercise.titel' in the paragraph \"{{ exercise.titel }}\" under the heading \"Övningar\"; "
        "did you mean 'exercise.title'?",
        "'date_txt' in the paragraph \"Datum: {{ date_txt }}\" under the heading \"{{ exercise.titel }}\"; "
        "did you mean 'date_text'?"]


@pytest.mark.parametrize("paragraphs,message", [
    # A lone "{{" would be joined to the next "}}" further down: the paragraph where it is broken is named.
    ([("Heading 1", "Inledning"), (None, "Text {{ theme }"), (None, "{%p if slides %}"), (None, "{{ slides }}"),
      (None, "{%p endif %}")],
     'broken tag in the paragraph "Text {{ theme }" under the heading "Inledning": every {{ must be closed by }} and '
     'every {% by %} in the same paragraph'),
    # Jinja would point at the end of the document, or at the endfor: the unclosed if is what to fix.
    ([("Heading 1", "Bilder"), (None, "{%p if slides %}"), (None, "{{ slides }}"), ("Heading 1", "Övningar"),
      (None, "{%p for exercise in exercises %}"), (None, "{{ exercise.title }}"), (None, "{%p endfor %}")],
     'broken tag: the {% if %} in the paragraph "{%p if slides %}" under the heading "Bilder" is never closed; '
     'add a paragraph {%p endif %} where it should end'),
    ([("Heading 1", "Övningar"), (None, "{%p for exercise in exercises %}"), (None, "{{ exercise.title }}"),
      (None, "{%p endif %}")],
     'broken tag: the {% for %} in the paragraph "{%p for exercise in exercises %}" under the heading "Övningar" '
     'is never closed; add a paragraph {%p endfor %} where it should end'),
    ([(None, "{%p iff slides %}"), (None, "x"), (None, "{%p endif %}")],
     'broken tag in the paragraph "{%p iff slides %}": unknown tag \'iff\'; did you mean {%p if %}?'),
])
def test_a_broken_tag_names_the_paragraph_where_it_is_broken(tmp_path, paragraphs, message, english):
    template = _headed_template(tmp_path, *paragraphs)
    with pytest.raises(InputError) as caught:
        check_template(template)
    assert str(caught.value) == f"{template}: {message}"


def test_a_broken_tag_in_swedish_names_the_paragraph_and_the_heading(tmp_path):
    template = _headed_template(tmp_path, ("Heading 1", "Bilder"), (None, "{%p if slides %}"), (None, "{{ slides }}"))
    with pytest.raises(InputError) as caught:
        check_template(template)
    assert str(caught.value) == (f"{template}: trasig tagg: {{% if %}} i stycket ”{{%p if slides %}}” under rubriken "
                                 "”Bilder” avslutas aldrig; lägg till ett stycke {%p endif %} där den ska sluta")


def test_a_file_that_is_not_a_docx_is_an_input_error(tmp_path, english):
    fake = tmp_path / "notes.docx"
    fake.write_text("just text")
    with pytest.raises(InputError, match="notes.docx: not a readable Word"):
        check_template(fake)
    with pytest.raises(InputError, match="missing.docx"):
        check_template(tmp_path / "missing.docx")


def test_docxtpl_escapes_in_a_note_come_out_as_written(tmp_path):
    """docxtpl turns "{_{" into "{{" after rendering (found by the property test above): a note saying it keeps it."""
    text = "Mall: {_{ namn }_} och {_% if %_} & <b>"
    document = Document(render(tmp_path, note_text=text))
    assert styled(document, "List Bullet")[2:4] == [text, "Sista lappen"]
