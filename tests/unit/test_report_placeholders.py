"""Placeholder checking on Jinja source, and report file names: no Word files needed."""
from __future__ import annotations

import pytest
from jinja2 import TemplateSyntaxError

from reports.docx_recap import report_filename
from reports.placeholders import sample_context, unknown_placeholders


def names(source: str) -> list[str]:
    return [u.name for u in unknown_placeholders(source, sample_context())]


def test_known_names_and_attributes_pass():
    assert names("{{ title }} {{ workshop.title }} {{ attendance.text }} {{ organisation }}") == []


def test_unknown_top_level_names_and_attributes_are_named():
    assert names("{{ worksop.title }}") == ["worksop"]
    assert names("{{ workshop.titel }}\n{{ attendance.people.x }}") == ["workshop.titel", "attendance.people.x"]


def test_loop_variables_are_followed_into_the_list_elements():
    source = ("{% for exercise in exercises %}{% for group in exercise.groups %}"
              "{% for note in group.notes %}{{ note.txt }}{{ note.text }}{% endfor %}{% endfor %}"
              "{% for action in exercise.actions %}{{ action.how_display }}{{ action.hur }}{% endfor %}{% endfor %}")
    assert names(source) == ["note.txt", "action.hur"]


def test_jinja_helpers_sets_and_tolerant_filters_are_not_reported():
    source = ("{% for block in intro %}{{ loop.index }}{% set x = block.kind %}{{ x }}{% endfor %}"
              "{{ missing|default('') }}{% if other is defined %}{% endif %}{{ workshop.get('id') }}")
    assert names(source) == []


def test_the_nearest_existing_placeholder_is_suggested():
    found = unknown_placeholders("{{ worksop.title }}{{ workshop.titel }}{% for note in other_notes %}{{ note.txt }}"
                                 "{% endfor %}{{ zzz }}", sample_context())
    assert [(u.name, u.suggestion) for u in found] == [
        ("worksop", "workshop"), ("workshop.titel", "workshop.title"), ("note.txt", "note.text"), ("zzz", "")]


def test_the_first_use_is_reported_once_with_its_line():
    found = unknown_placeholders("a\n{{ typo }}\n{{ typo }}", sample_context())
    assert [(u.name, u.line) for u in found] == [("typo", 2)]


def test_broken_tags_raise_syntax_errors():
    with pytest.raises(TemplateSyntaxError):
        unknown_placeholders("{% for x in exercises %}{{ x.title }", sample_context())


def test_report_filename_has_the_date_and_title_and_is_safe():
    context = {"date_iso": "2021-05-04", "generated": "2024-06-12T14:05:00",
               "title": 'CI 2: Struktur/arbetssätt <"åäö"> – sammanfattning?'}
    assert report_filename(context) == "2021-05-04 CI 2 - Struktur-arbetssätt -åäö- – sammanfattning-.docx"


def test_report_filename_without_a_date_uses_the_day_it_was_made():
    assert report_filename({"date_iso": "", "generated": "2024-06-12T14:05:00", "title": "Möte\x00 ..."}) == "2024-06-12 Möte.docx"
