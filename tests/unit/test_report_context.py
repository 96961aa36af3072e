"""The report context: what a recap says, built from model objects, no files involved."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.core.curation import ROW_DELETED, SAID_NO
from sync.core.errors import InputError
from sync.core.model import Action, Attendee, Board, Exercise, Group, Note, Planning, Workshop
from sync.core.recap_context import build_report_context, left_out_notes, parse_intro

GENERATED = datetime(2024, 6, 12, 14, 5)
EXERCISE_1 = "Övning 1. Viktiga hållplatser"
EXERCISE_2 = "Övning 2. Prioriterade hållplatser"


def workshop(**changes) -> Workshop:
    fields = dict(id="CI2", title="Collective Impact 2", date="2021-05-04", theme="Struktur och arbetssätt",
                  intro="Inledning:\n1. Gemensam agenda\n2. Effektmätning", slides="https://example.org/s.pdf")
    return Workshop(**{**fields, **changes})


def board(**changes) -> Board:
    lokal = Group(title="Lokal förankring", notes=(
        Note(id="n1", text="Relationsbyggande", author="Anna"),
        Note(id="n2", text="Medborgardialoger", author="Bo"),
        Note(id="n3", text="Skapa ungdomsstyrelse")))
    fields = dict(
        exercises=(Exercise(title=EXERCISE_2, order=2), Exercise(title=EXERCISE_1, order=1, groups=(lokal,))),
        actions=(Action(id="a1", workshop="", exercise=EXERCISE_2, title="Utse/bilda processgrupp",
                        how="Rösta in representanter", when="Q1 2022", who="Samtliga aktörer"),
                 Action(id="a2", workshop="", exercise=EXERCISE_2, title="Avtal med syfte & mål",
                        how="", when="Q1 – Q2 2022", who="Processgruppen")))
    return Board(**{**fields, **changes})


def context(w=None, b="default", planning=None, **options) -> dict:
    return build_report_context(w or workshop(), board() if b == "default" else b, planning or Planning(),
                                generated=GENERATED, **options)


def test_dates_are_written_out_in_the_language():
    assert context()["date_text"] == "4 maj 2021"
    assert context(lang="en")["date_text"] == "4 May 2021"
    assert context(workshop(date="2021-12-31"))["date_text"] == "31 december 2021"
    # The first sentence gives day and month, as the published recap does; the year is in date_text.
    assert context()["took_place_text"] == "Workshopen ägde rum 4 maj."
    assert context(lang="en")["took_place_text"] == "The workshop took place on 4 May."
    assert context()["date_short_text"] == "4 maj"


@pytest.mark.parametrize("number,series,lang,sentence", [
    ("2", "Collective Impact", "sv", "Den andra workshopen i Collective Impact-serien ägde rum 4 maj."),
    ("2", "Collective Impact", "en", "The second workshop in the Collective Impact series took place on 4 May."),
    ("3.0", "", "sv", "Den tredje workshopen ägde rum 4 maj."),  # a spreadsheet number
    ("21", "", "sv", "Den 21:a workshopen ägde rum 4 maj."),
    ("23", "", "en", "The 23rd workshop took place on 4 May."),
    ("12", "", "en", "The twelfth workshop took place on 4 May."),
    ("fjärde", "CI", "sv", "Den fjärde workshopen i CI-serien ägde rum 4 maj."),  # words as typed
])
def test_the_first_sentence_names_the_workshop_in_its_series(number, series, lang, sentence):
    got = context(workshop(number=number, series=series), lang=lang)
    assert got["took_place_text"] == sentence
    assert context(workshop(number=number, series=series, date=""), lang=lang)["took_place_text"] == ""


def test_purpose_and_board_intro_come_from_the_sheet():
    got = context(workshop(purpose="  Temat för dagen var samverkan. ", board_intro="Under andra delen…\r\nSe nedan:"))
    assert got["purpose"] == "Temat för dagen var samverkan."
    assert got["board_intro"] == "Under andra delen…\nSe nedan:"
    assert (context()["purpose"], context()["board_intro"]) == ("", "")


def _notes(ctx: dict) -> list[str]:
    return [n["text"] for e in ctx["exercises"] for g in e["groups"] for n in g["notes"]] + [
        n["text"] for n in ctx["other_notes"]]


def test_the_sheet_curates_which_notes_are_in_the_recap():
    loose = board(unsorted=(Note(id="u1", text="Parkering"),))
    assert _notes(context(b=loose)) == ["Relationsbyggande", "Medborgardialoger", "Skapa ungdomsstyrelse", "Parkering"]
    rows = {"n1": {"workshop": "ci2", "in_recap": ""}, "n2": {"workshop": "CI2", "in_recap": "Nej"},
            "u1": {"workshop": "CI2", "in_recap": "ja"}}  # n3: no row
    # A note the sheet has never seen (no row, and sync never wrote one) is in: before the first sync, or new.
    assert _notes(context(b=loose, planning=Planning(ideas=rows))) == ["Relationsbyggande", "Skapa ungdomsstyrelse",
                                                                       "Parkering"]
    # Sync wrote n3's row (the merge base knows it) and a person deleted it: out.
    written = frozenset({"n1", "n2", "n3", "u1"})
    assert _notes(context(b=loose, planning=Planning(ideas=rows), written=written)) == ["Relationsbyggande", "Parkering"]
    assert [(n.text, why) for n, why in left_out_notes(loose, Planning(ideas=rows), written)] == [
        ("Medborgardialoger", SAID_NO), ("Skapa ungdomsstyrelse", ROW_DELETED)]
    assert left_out_notes(loose, Planning(ideas=rows)) == [(Note(id="n2", text="Medborgardialoger", author="Bo"), SAID_NO)]
    other_workshop = {"x": {"workshop": "CI1"}}  # rows of another workshop say nothing about this one
    assert len(_notes(context(b=loose, planning=Planning(ideas=other_workshop)))) == 4
    without_board = context(b=None, planning=Planning(ideas={
        "n1": {"workshop": "CI2", "text": "Kvar", "exercise": "Ö1", "group": "G"},
        "n2": {"workshop": "CI2", "text": "Bort", "exercise": "Ö1", "group": "G", "in_recap": "no"}}))
    assert _notes(without_board) == ["Kvar"]


def test_a_missing_or_odd_date_reads_sensibly():
    missing = context(workshop(date=""))
    assert (missing["date_iso"], missing["date_text"], missing["took_place_text"]) == ("", "", "")
    odd = context(workshop(date="våren 2021"))
    assert (odd["date_iso"], odd["date_text"]) == ("", "våren 2021")


def test_title_and_generated_text_follow_the_language():
    assert context()["title"] == "Collective Impact 2 – sammanfattning"
    assert context(lang="en")["title"] == "Collective Impact 2 – summary"
    assert context()["generated_text"] == "12 juni 2024 kl. 14:05"
    assert context(lang="en")["generated_text"] == "12 June 2024 at 14:05"


def test_attendance_counts_distinct_people_and_organisations_of_this_workshop():
    attendees = [Attendee(f"Person {i}", f"Org {min(i, 20)}", "ci2") for i in range(1, 24)]
    attendees += [Attendee("person 1 ", "ORG 1", "CI2"),  # the same person again, other spelling
                  Attendee("Someone else", "Org 99", "CI3"), Attendee("No workshop", "Org 98", "")]
    attendance = context(planning=Planning(attendees=tuple(attendees)))["attendance"]
    assert (attendance["people"], attendance["organisations"]) == (23, 20)
    assert attendance["text"] == "Sammanlagt 23 engagerade intressenter från 20 olika organisationer deltog."
    english = context(planning=Planning(attendees=tuple(attendees)), lang="en")["attendance"]["text"]
    assert english == "In total, 23 engaged stakeholders from 20 different organisations took part."


@pytest.mark.parametrize("attendees, sv", [
    ((), "Inga deltagare finns registrerade för workshopen."),
    ((Attendee("Anna", "RISE", "CI2"),), "Sammanlagt 1 engagerad intressent från 1 organisation deltog."),
    ((Attendee("Anna", "", "CI2"), Attendee("Bo", " ", "CI2")), "Sammanlagt 2 engagerade intressenter deltog."),
])
def test_attendance_reads_sensibly_for_few_people(attendees, sv):
    assert context(planning=Planning(attendees=attendees))["attendance"]["text"] == sv


def test_zero_attendees_in_english():
    assert context(lang="en")["attendance"] == {
        "people": 0, "organisations": 0, "text": "No attendees are recorded for this workshop."}


def test_intro_numbered_lines_become_a_list_without_their_numbers():
    blocks = parse_intro("Före listan:\n1. Börjar med en gemensam agenda\n2) Gemensam metod\n\n3. Kommunikation\nEfter listan.")
    assert blocks == [
        {"kind": "paragraph", "text": "Före listan:", "entries": []},
        {"kind": "numbered", "text": "", "entries": ["Börjar med en gemensam agenda", "Gemensam metod", "Kommunikation"]},
        {"kind": "paragraph", "text": "Efter listan.", "entries": []},
    ]


def test_intro_a_new_one_starts_a_new_list_and_years_are_not_numbers():
    blocks = parse_intro("1. a\n2. b\n1. c\n2021. Året då allt började")
    assert [b["entries"] for b in blocks[:2]] == [["a", "b"], ["c"]]
    assert blocks[2] == {"kind": "paragraph", "text": "2021. Året då allt började", "entries": []}
    assert parse_intro("") == [] and parse_intro("  \n ") == []


@given(st.lists(st.text(alphabet="abc åäö", min_size=1).filter(str.strip), min_size=1, max_size=8))
def test_intro_every_numbered_line_is_kept(entries):
    blocks = parse_intro("\n".join(f"{i}. {text}" for i, text in enumerate(entries, 1)))
    assert [b["kind"] for b in blocks] == ["numbered"]
    assert blocks[0]["entries"] == [" ".join(t.split()) for t in entries]


def test_exercises_in_board_order_with_groups_and_bullets():
    exercises = context()["exercises"]
    assert [e["title"] for e in exercises] == [EXERCISE_1, EXERCISE_2]
    group = exercises[0]["groups"][0]
    assert group["title"] == "Lokal förankring"
    # BACKBONE_AUTHORS=none by default
    assert {k: group["notes"][0][k] for k in ("id", "text", "author")} == {"id": "n1", "text": "Relationsbyggande", "author": ""}
    assert [n["text"] for n in group["notes"]] == ["Relationsbyggande", "Medborgardialoger", "Skapa ungdomsstyrelse"]


def test_the_sheet_text_corrects_a_note_and_an_empty_one_does_not():
    planning = Planning(ideas={"n1": {"text": "Relationsbyggande, skapa förtroende", "on_board": "ja"},
                               "n2": {"text": "  ", "on_board": "ja"}})
    notes = context(planning=planning)["exercises"][0]["groups"][0]["notes"]
    assert [n["text"] for n in notes[:2]] == ["Relationsbyggande, skapa förtroende", "Medborgardialoger"]


def test_actions_sit_under_their_exercise_and_empty_values_show_a_dash():
    actions = context()["exercises"][1]["actions"]
    assert [a["title"] for a in actions] == ["Utse/bilda processgrupp", "Avtal med syfte & mål"]
    empty_how = actions[1]
    assert (empty_how["how"], empty_how["how_display"]) == ("", "–")
    assert (empty_how["when"], empty_how["when_display"]) == ("Q1 – Q2 2022", "Q1 – Q2 2022")
    assert context()["exercises"][0]["actions"] == [] and context()["prioritised"] == []


def test_the_sheet_overrides_board_actions_and_adds_its_own():
    planning = Planning(actions=(
        Action(id="a2", workshop="CI2", title="", how="Skriv ett utkast", status="Pågår"),
        Action(id="s1", workshop="ci2", title="Bjuda in fler aktörer", when="2021", status="Planerad"),
        Action(id="s2", workshop="CI3", title="En annan workshops åtgärd")))
    ctx = context(planning=planning)
    overridden = ctx["exercises"][1]["actions"][1]
    assert overridden["title"] == "Avtal med syfte & mål"  # empty sheet cell: the board's title stays
    assert (overridden["how"], overridden["who"], overridden["status"]) == ("Skriv ett utkast", "Processgruppen", "Pågår")
    assert [a["title"] for a in ctx["prioritised"]] == ["Bjuda in fler aktörer"]
    assert ctx["prioritised"][0]["who_display"] == "–" and ctx["prioritised"][0]["status"] == "Planerad"


def test_board_actions_of_an_unknown_exercise_are_prioritised_at_the_end():
    stray = Action(id="a9", workshop="", exercise="Övning 9", title="Lösryckt")
    ctx = context(b=board(actions=(stray,)))
    assert [a["title"] for a in ctx["prioritised"]] == ["Lösryckt"]


def test_other_notes_only_when_there_are_unsorted_ones():
    assert context()["other_notes"] == []
    ctx = context(b=board(unsorted=(Note(id="u1", text="Gemensam start"),)),
                  planning=Planning(ideas={"u1": {"text": "Gemensam start (en ceremoni)"}}))
    assert [{k: n[k] for k in ("id", "text", "author")} for n in ctx["other_notes"]] == \
        [{"id": "u1", "text": "Gemensam start (en ceremoni)", "author": ""}]


def test_without_a_board_the_ideas_tab_gives_the_exercises():
    ideas = {"n1": {"workshop": "CI2", "exercise": "Övning 1", "group": "Kommunikation", "text": "Relationsbyggande", "on_board": "ja"},
             "n2": {"workshop": "CI2", "exercise": "Övning 1", "group": "Kommunikation", "text": "Borttagen", "on_board": "nej"},
             "n3": {"workshop": "CI3", "exercise": "Övning 1", "group": "Annat", "text": "Annan workshop"},
             "n4": {"workshop": "ci2", "exercise": "", "group": "", "text": "Lös lapp"}}
    ctx = context(b=None, planning=Planning(ideas=ideas))
    assert [(e["title"], [g["title"] for g in e["groups"]]) for e in ctx["exercises"]] == [("Övning 1", ["Kommunikation"])]
    assert [n["text"] for n in ctx["exercises"][0]["groups"][0]["notes"]] == ["Relationsbyggande"]
    assert [n["text"] for n in ctx["other_notes"]] == ["Lös lapp"]


def test_context_is_plain_json_and_the_same_for_the_same_input():
    first = context(organisation="RISE")
    assert json.loads(json.dumps(first)) == first
    assert context(organisation="RISE") == first
    assert first["organisation"] == "RISE" and first["generated"] == "2024-06-12T14:05:00"
    assert first["intro"][1] == {"kind": "numbered", "text": "", "entries": ["Gemensam agenda", "Effektmätning"]}


def test_an_unknown_language_is_refused():
    with pytest.raises(InputError, match="'de'"):
        context(lang="de")
