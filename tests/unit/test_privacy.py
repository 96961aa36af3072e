"""BACKBONE_AUTHORS on model objects: what the Författare column and the recaps may say of a note's author."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.core import i18n
from sync.core.board import normalise
from sync.core.errors import ConfigError
from sync.core.model import Attendee, Board, Exercise, Group, Note, Planning, Workshop
from sync.core.privacy import AUTHOR_MODES, HIDDEN, AuthorPolicy, initials
from sync.core.recap_context import build_report_context
from sync.core.sheet.plan import idea_records, plan_sheet_update
from sync.settings import load_settings

PEOPLE = (Attendee("Amira Hassan", "Västra Hisingen Basket", "ci2"), Attendee("Åsa-Britt Öberg", "RISE", "ci2"),
          Attendee("Per Åkesson", "", "ci2"))


def policy(mode: str) -> AuthorPolicy:
    return AuthorPolicy.from_attendees(mode, PEOPLE)


@pytest.mark.parametrize("mode,amira,asa,stranger", [
    ("none", "", "", ""),
    ("initials", "A.H.", "Å.B.Ö.", "G."),
    ("organisation", "Västra Hisingen Basket", "RISE", ""),
    ("name", "Amira Hassan", "Åsa-Britt Öberg", "Gäst 7"),
])
def test_each_setting_shows_what_it_promises(mode, amira, asa, stranger):
    shown = policy(mode)
    assert shown.show(Note("n1", "Relationsbyggande", author="Amira Hassan")) == amira
    assert shown.show(Note("n2", "Budget", author="åsa-britt  öberg")) == (asa if mode != "name" else "åsa-britt öberg")
    # Someone not in Deltagare (a MURAL visitor's alias): no organisation is made up for them.
    assert shown.show(Note("n3", "Lokal förankring", author="Gäst 7")) == stranger


def test_a_person_listed_without_an_organisation_shows_nothing_under_organisation():
    assert policy("organisation").show(Note("n", "x", author="Per Åkesson")) == ""


@pytest.mark.parametrize("mode", AUTHOR_MODES)
def test_a_hidden_or_unknown_author_never_yields_a_name(mode):
    # hideOwner, private mode or no createdBy: the normaliser gives no author, and no setting invents one.
    hidden = {"id": "s1", "type": "sticky note", "text": "Budget", "x": 0, "y": 0, "width": 10, "height": 10,
              "hideOwner": True, "createdBy": {"id": "amirahassan2128", "firstName": "Amira", "lastName": "Hassan"}}
    unknown = {**hidden, "id": "s2", "hideOwner": False, "createdBy": None}
    board = normalise([hidden, unknown])
    assert [policy(mode).show(note) for _, _, note in board.notes()] == ["", ""]
    assert policy(mode).show(Note("n", "x", author="  ")) == ""


def test_the_default_everywhere_shows_nobody(tmp_path):
    board = Board(exercises=(Exercise("Övning 1", groups=(Group("Lokal", notes=(Note("n1", "Budget", "Amira Hassan"),)),)),))
    assert idea_records("ci2", board, dt.UTC)["n1"]["author"] == ""
    plan = plan_sheet_update({"Workshops": [["ID", "Titel"], ["ci2", "CI 2"]]}, {"ci2": board}, {}, source="s", now="t")
    assert "Amira Hassan" not in {str(c.value) for c in plan.cells}
    context = build_report_context(Workshop("ci2", "CI 2"), board, Planning(attendees=PEOPLE), generated=dt.datetime(2024, 1, 1))
    assert context["exercises"][0]["groups"][0]["notes"][0]["author"] == ""
    assert HIDDEN.mode == "none" and load_settings(environ={}, cwd=tmp_path).authors == "none"


def test_the_setting_reaches_the_sheet_and_the_recap():
    board = Board(exercises=(Exercise("Övning 1", groups=(Group("Lokal", notes=(Note("n1", "Budget", "Amira Hassan"),)),)),))
    plan = plan_sheet_update({"Workshops": [["ID", "Titel"], ["ci2", "CI 2"]]}, {"ci2": board}, {}, source="s", now="t",
                             authors=policy("initials"))
    assert "A.H." in {str(c.value) for c in plan.cells}
    context = build_report_context(Workshop("ci2", "CI 2"), board, Planning(attendees=PEOPLE),
                                   generated=dt.datetime(2024, 1, 1), authors=policy("organisation"))
    assert context["exercises"][0]["groups"][0]["notes"][0]["author"] == "Västra Hisingen Basket"


def test_a_recap_built_from_the_sheet_stays_within_the_setting():
    # Without a board, the recap reads the Författare column sync filled: showing again changes nothing.
    rows = {"n1": {"workshop": "ci2", "text": "Budget", "author": "A.H.", "exercise": "Övning 1", "group": "Lokal"}}
    for mode, cell, shown in (("initials", "A.H.", "A.H."), ("organisation", "RISE", "RISE"), ("none", "Amira Hassan", "")):
        rows["n1"]["author"] = cell
        context = build_report_context(Workshop("ci2", "CI 2"), None, Planning(attendees=PEOPLE, ideas=rows),
                                       generated=dt.datetime(2024, 1, 1), authors=policy(mode))
        assert context["exercises"][0]["groups"][0]["notes"][0]["author"] == shown


@given(st.sampled_from(AUTHOR_MODES), st.text(max_size=40))
def test_showing_is_idempotent_and_never_longer_than_a_name_or_organisation(mode, author):
    shown = policy(mode)
    once = shown.show_author(author)
    assert shown.show_author(once) == once
    if mode == "none" or not author.strip():
        assert once == ""


def test_initials_of_swedish_names():
    assert initials("Zeynep Aydın") == "Z.A." and initials("ßirgit Öst") == "ß.Ö."
    assert initials("Samuel (Hyresgästföreningen)") == "S.H." and initials("") == ""


def test_a_wrong_setting_is_one_clear_line(tmp_path):
    with pytest.raises(ConfigError, match="BACKBONE_AUTHORS='names': använd något av none, initials, organisation, name"):
        load_settings(environ={"BACKBONE_AUTHORS": "names"}, cwd=tmp_path)
    with i18n.speaking("en"), pytest.raises(ConfigError, match="BACKBONE_AUTHORS='names': use one of none, initials"):
        load_settings(environ={"BACKBONE_AUTHORS": "names"}, cwd=tmp_path)



@pytest.mark.parametrize("mode", AUTHOR_MODES)
def test_a_note_marked_hidden_yields_no_name_even_if_a_name_slipped_through(mode):
    # Private Mode is MURAL's promise to the participants: the flag wins over any author text.
    note = Note("n1", "Idé", author="Amira Hassan", author_hidden=True)
    assert policy(mode).show(note) == ""
