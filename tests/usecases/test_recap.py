"""A workshop's recap (sync/usecases/recap.py) over in-memory ports: what the document is given to say, what it leaves
out and why, and what happens when the board is gone. The renderer keeps the context (no Word file is written)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sync.core.errors import ConfigError, NotFoundError, ServiceError
from sync.core.redact import NameEraser
from sync.usecases.recap import ReportFiles, write_recap
from tests.fakes.in_memory import InMemoryDocuments
from tests.usecases.world import IDEAS, SHEET_ID, World, board


def world_after_a_sync(**notes: str) -> World:
    world = World([["ci2", "CI 2", "ws.2"]], ws_2=notes or {"n1": "Budget", "n2": "Lön", "n3": "Tid"})
    world.sheet.tabs["Workshops"][0].append("Datum")
    world.sheet.tabs["Workshops"][1].append("2021-05-04")
    world.sync()
    return world


def recap(world: World, documents: InMemoryDocuments, workshop: str = "ci2", **options: object) -> ReportFiles:
    settings: dict = {"lang": "sv", "tz": dt.UTC, "now": world.clock(), "organisation": "Biskopsgården",
                      "authors": "none", "template": None, "out": Path("rapporter"), "hide": world.state.suppression(),
                      "written": world.state.base_row_ids(SHEET_ID, "ideas"), **options}
    return write_recap(workshop, world.sheet, world.boards, documents, **settings)  # type: ignore[arg-type]


def note_texts(context: dict) -> list[str]:
    return [n["text"] for e in context["exercises"] for g in e["groups"] for n in g["notes"]] + \
        [n["text"] for n in context["other_notes"]]


def test_the_recap_holds_the_workshops_notes_under_their_exercise_with_the_date_in_swedish():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    files = recap(world, documents)
    context = documents.rendered[0].context
    assert context["title"] == "CI 2 – sammanfattning" and context["date_text"] == "4 maj 2021"
    assert context["took_place_text"] == "Workshopen ägde rum 4 maj."
    assert [e["title"] for e in context["exercises"]] == ["Utmaningar"] and note_texts(context) == ["Budget", "Lön", "Tid"]
    assert files.docx == Path("rapporter/2021-05-04 CI 2 – sammanfattning.docx") and files.notes == ()


def test_a_note_the_sheet_says_no_to_is_left_out_and_the_notes_say_which():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    world.sheet.edit(IDEAS, "n2", "I sammanfattningen", "nej")
    files = recap(world, documents)
    assert note_texts(documents.rendered[0].context) == ["Budget", "Tid"]
    assert files.notes == ("1 lapp är inte med i sammanfattningen eftersom dess rad i fliken Idéer har "
                           "I sammanfattningen = nej: 'Lön'",)


def test_a_row_a_person_deleted_after_the_sync_is_left_out_with_how_to_bring_it_back():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    world.sheet.delete_row(IDEAS, "n3")
    files = recap(world, documents)
    assert note_texts(documents.rendered[0].context) == ["Budget", "Lön"]
    assert "lägg till en rad med dess ID" in files.notes[0] and "'Tid'" in files.notes[0]


def test_a_note_the_sync_has_not_written_yet_is_in_the_recap():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    world.set_board("ws.2", {"n1": "Budget", "n2": "Lön", "n3": "Tid", "n4": "Ny efter synken"})
    recap(world, documents)
    assert "Ny efter synken" in note_texts(documents.rendered[0].context)


def test_many_left_out_notes_are_counted_and_the_first_few_named():
    notes = {f"n{i}": f"Lapp {i}" for i in range(6)}
    world, documents = world_after_a_sync(**notes), InMemoryDocuments()
    for i in range(5):
        world.sheet.edit(IDEAS, f"n{i}", "I sammanfattningen", "nej")
    files = recap(world, documents)
    assert files.notes[0].startswith("5 lappar är inte med i sammanfattningen")
    assert files.notes[0].endswith("'Lapp 0', 'Lapp 1', 'Lapp 2' och 2 till")


def test_an_unknown_workshop_names_the_ids_in_the_sheet():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    with pytest.raises(NotFoundError, match=r"^ingen workshop 'ci9' i fliken Workshops i memory \(ID:n där: ci2\)$"):
        recap(world, documents, workshop="ci9")
    assert documents.rendered == []


def test_a_workshop_without_a_board_or_rows_says_which_column_to_fill():
    world = World([["ci3", "CI 3", ""]])
    with pytest.raises(NotFoundError, match="ci3.*Mural.*Workshops"):
        recap(world, InMemoryDocuments(), workshop="ci3")


def test_a_workshop_without_a_board_gets_its_recap_from_the_sheets_rows():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    world.sheet.tabs["Workshops"].append(["ci3", "CI 3", "", "2021-06-01"])
    world.sheet.tabs[IDEAS].append(["p1", "ci3", "Övning A", "", "Skrivet i arket"])
    recap(world, documents, workshop="ci3")
    assert note_texts(documents.rendered[0].context) == ["Skrivet i arket"]


def test_a_board_that_is_gone_falls_back_to_its_archived_snapshot_said_in_the_notes():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    world.boards.archive["ws.2"] = (board("ws.2", {"n1": "Budget", "n9": "Bara i arkivet"}), 1620086400.0)
    world.boards.unreachable.add("ws.2")
    files = recap(world, documents)
    assert note_texts(documents.rendered[0].context) == ["Budget", "Bara i arkivet"]
    assert files.notes == ("MURAL did not answer for ws.2; try again later; sammanfattningen använder "
                           "ögonblicksbilden som arkiverades 2021-05-04 00:00",)


def test_a_board_that_is_gone_without_a_snapshot_is_the_error_itself():
    world = world_after_a_sync()
    world.boards.unreachable.add("ws.2")
    with pytest.raises(ServiceError, match="ws.2"):
        recap(world, InMemoryDocuments())


def test_a_persons_correction_in_the_sheet_is_what_the_recap_says():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    world.sheet.edit(IDEAS, "n1", "Text", "Budget för 2022")
    recap(world, documents)
    assert note_texts(documents.rendered[0].context)[0] == "Budget för 2022"


def test_a_forgotten_person_is_not_in_the_recap():
    world, documents = world_after_a_sync(n1="Fråga Amira Hassan om lokalen", n2="Budget"), InMemoryDocuments()
    world.state.erase(NameEraser("Amira Hassan"), apply=True)
    world.sheet.tabs["Deltagare"] = [["Namn", "Organisation", "Workshop"], ["Amira Hassan", "Biskopsgården", "ci2"]]
    recap(world, documents)
    assert "Amira" not in str(documents.rendered[0].context)


def test_a_pdf_is_made_beside_the_document_when_asked_for():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    files = recap(world, documents, pdf=True)
    assert files.pdf == Path("rapporter/2021-05-04 CI 2 – sammanfattning.pdf")


def test_no_pdf_maker_on_this_machine_is_a_setting_to_fix():
    world, documents = world_after_a_sync(), InMemoryDocuments(pdf=False)
    with pytest.raises(ConfigError, match="soffice"):
        recap(world, documents, pdf=True)


def test_the_recap_speaks_english_when_asked():
    world, documents = world_after_a_sync(), InMemoryDocuments()
    recap(world, documents, lang="en")
    context = documents.rendered[0].context
    assert context["date_text"] == "4 May 2021" and context["title"] == "CI 2 – summary"
