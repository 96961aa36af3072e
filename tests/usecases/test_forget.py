"""`backbone forget NAME` (sync/usecases/forget.py) over in-memory ports: what it changes in the sheet and the state,
what it only lists for a person to check, and that the person stays out of later syncs."""
from __future__ import annotations

import json

import pytest

from sync.core.errors import InputError
from sync.core.redact import name_removed
from sync.core.suppression import USER, digest
from sync.usecases.forget import Place, forget
from tests.usecases.world import IDEAS, SHEET_ID, World

AMIRA = {"id": "u-amira", "firstName": "Amira", "lastName": "Hassan"}


def synced_world() -> World:
    """A sheet after one sync, with a note naming Amira, another she wrote, and her in Deltagare."""
    world = World(ws_2={"n1": "Fråga Amira Hassan om lokalen", "n2": "Budget", "n3": "Amira Hassan"})
    world.sync()
    world.sheet.tabs["Deltagare"] = [["Namn", "Organisation", "Workshop"], ["Amira Hassan", "Biskopsgården", "ci2"],
                                     ["Per Persson", "Kommunen", "ci2"]]
    return world


def run_forget(world: World, *, apply: bool, name: str = "Amira Hassan"):
    return forget(name, world.sheet, world.state, world.state, sheet_id=SHEET_ID, apply=apply, marker=name_removed("sv"))


def test_without_apply_it_lists_every_place_and_changes_nothing():
    world = synced_world()
    before, base = world.sheet.read(), world.state.load_base(SHEET_ID)
    report = run_forget(world, apply=False)
    assert not report.applied and report.name == "Amira Hassan"
    assert {(p.tab, p.row_id, p.column) for p, _ in report.cells} == {("Idéer", "n1", "Text"), ("Idéer", "n3", "Text")}
    assert world.sheet.read() == before and world.state.load_base(SHEET_ID) == base
    assert world.state.suppressed_people() == 0 and report.state.base == 2


def test_applied_the_sync_owned_cells_lose_the_name_and_a_cell_of_only_the_name_is_emptied():
    world = synced_world()
    report = run_forget(world, apply=True)
    assert world.texts()["n1"] == "Fråga [namn borttaget] om lokalen" and world.texts()["n3"] == ""
    assert world.texts()["n2"] == "Budget"
    assert dict((p.row_id, new) for p, new in report.cells) == {"n1": "Fråga [namn borttaget] om lokalen", "n3": ""}


def test_peoples_cells_are_listed_for_a_person_to_check_and_left_alone():
    world = synced_world()
    report = run_forget(world, apply=True)
    assert [(p.tab, p.column) for p in report.to_check] == [("Deltagare", "Namn")]
    assert world.sheet.records("Deltagare")[0]["Namn"] == "Amira Hassan"
    assert str(report.to_check[0]) == "Deltagare, rad 2, kolumnen 'Namn'"


def test_a_row_a_person_added_is_theirs_even_with_an_id():
    world = synced_world()
    world.sheet.tabs[IDEAS].append(["p1", "ci2", "", "", "Amira Hassan föreslog detta"])
    report = run_forget(world, apply=True)
    assert ("p1" in [p.row_id for p in report.to_check]) and world.texts()["p1"] == "Amira Hassan föreslog detta"


def test_synklogg_is_syncs_alone_and_is_cleaned():
    world = synced_world()
    world.sheet.tabs["Synklogg"].append(["2021-05-05 02:30:00", "", "misslyckades", "", "", "", "", "Amira Hassan: nej"])
    run_forget(world, apply=True)
    assert "Amira" not in str(world.sheet.tabs["Synklogg"])


def test_applied_the_state_forgets_her_and_later_syncs_leave_her_out():
    world = synced_world()
    report = run_forget(world, apply=True)
    assert report.state.base == 2 and world.state.suppressed_people() == 1
    assert "Amira" not in str(world.state.load_base(SHEET_ID)) and "Amira" not in str(world.state.runs())
    world.set_board("ws.2", {"n1": "Fråga Amira Hassan om lokalen", "n2": "Budget", "n3": "Amira Hassan",
                             "n4": "Amira Hassans idé"}, authors={"n4": AMIRA})
    world.sync()
    assert "Amira" not in str(world.sheet.records(IDEAS))
    assert world.texts()["n4"] == "[namn borttaget]s idé"


def test_the_sheet_write_comes_first_so_a_refused_write_leaves_the_state_as_it_was():
    world = synced_world()
    world.sheet.fail_next_apply = InputError("the sheet is protected")
    with pytest.raises(InputError):
        run_forget(world, apply=True)
    assert world.state.suppressed_people() == 0 and "Amira" in str(world.state.load_base(SHEET_ID))
    run_forget(world, apply=True)  # a rerun finishes
    assert world.state.suppressed_people() == 1 and "Amira" not in str(world.sheet.records(IDEAS))


def test_a_second_forget_finds_nothing_left():
    world = synced_world()
    run_forget(world, apply=True)
    again = run_forget(world, apply=True)
    assert again.cells == [] and again.state.base == 0 and world.state.suppressed_people() == 1


def test_a_name_too_short_to_be_safe_is_refused_before_anything_is_read():
    world = synced_world()
    reads = world.sheet.stats.reads
    with pytest.raises(InputError, match="minst 3 bokstäver"):
        run_forget(world, apply=True, name="Al")
    assert world.sheet.stats.reads == reads


def test_a_name_written_with_other_spaces_and_case_is_the_same_person():
    world = synced_world()
    report = run_forget(world, apply=False, name="  amira   HASSAN ")
    assert report.name == "amira HASSAN" and len(report.cells) == 2


def test_a_place_is_said_by_its_id_when_the_row_has_one():
    assert str(Place("Idéer", 3, "Text", "n1")) == "Idéer, ID n1, kolumnen 'Text'"


def test_handed_out_files_naming_the_person_are_listed_never_changed_and_their_user_ids_kept():
    """Recaps people have and exports `pull` saved are theirs: listed for a human, the export's user id kept so the
    next board naming that user (by id only) leaves them out too."""
    from pathlib import Path

    from tests.fakes.in_memory import InMemoryFiles

    world = synced_world()
    export = json.dumps({"widgets": [{"id": "w1", "type": "sticky note", "text": "Lokal", "createdBy": AMIRA}]})
    files = InMemoryFiles({Path("recaps/ci2.docx"): "Amira Hassan föreslog mer ljus", Path("recaps/ci1.docx"): "Budget",
                           Path("boards/ci2.json"): export})
    before = dict(files.files)
    report = forget("Amira Hassan", world.sheet, world.state, world.state, sheet_id=SHEET_ID, apply=True,
                    marker=name_removed("sv"), files=files)
    assert report.files_to_check == [Path("boards/ci2.json"), Path("recaps/ci2.docx")]
    assert files.files == before  # read only
    hide = world.state.suppression()
    assert digest(hide.key, USER, "u-amira") in hide.users  # a board naming her by id only leaves her out too
