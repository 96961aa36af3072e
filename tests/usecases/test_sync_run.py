"""The sync run (sync/usecases/sync_run.py) over in-memory ports: what a coordinator sees in the sheet, in Synklogg,
in Konflikter and in `backbone runs` after a night's sync, and what a refused or interrupted write leaves."""
from __future__ import annotations

import dataclasses

import pytest

from sync.core.errors import BusyError, NotFoundError, ServiceError, SheetInUse
from sync.core.redact import NameEraser
from sync.ports import SheetChanged, SheetWrite
from sync.usecases.sync_run import WRITE_TRIES, SheetWait
from tests.fakes.memory_sheet import MemorySheet
from tests.usecases.world import IDEAS, SHEET_ID, World, board


def synklogg(world: World) -> list[dict[str, str]]:
    return world.sheet.records("Synklogg")


# --- new notes -----------------------------------------------------------------------------------------------------

def test_the_first_sync_writes_every_note_as_a_row_of_its_workshop():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    result = world.sync()
    assert result.result == "ok" and result.counts()["new"] == 2 and result.synced == ["ci2"]
    rows = world.sheet.records(IDEAS)
    assert [(r["ID"], r["Workshop"], r["Övning"], r["Text"], r["På tavlan"]) for r in rows] == [
        ("n1", "ci2", "Utmaningar", "Budget", "ja"), ("n2", "ci2", "Utmaningar", "Lön", "ja")]


def test_the_workshops_tab_says_how_many_notes_and_when_it_was_synced_in_local_time():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    workshop = world.sheet.records("Workshops")[0]
    assert workshop["Lappar"] == "2" and workshop["Senast synkad"] == "2021-05-04 02:30:00"  # UTC 00:30 at +2


def test_the_run_is_logged_in_synklogg_in_swedish_and_recorded_with_its_counts():
    world = World(ws_2={"n1": "Budget"})
    result = world.sync()
    assert synklogg(world) == [{"Start": "2021-05-04 02:30:00", "Slut": "2021-05-04 02:30:00", "Resultat": "lyckades",
                                "Nya": "1", "Ändrade": "0", "Borttagna": "0", "Konflikter": "0", "Meddelande": ""}]
    recorded = world.state.run(result.run_id or 0)
    assert recorded is not None and (recorded.result, recorded.new) == ("ok", 1)
    assert recorded.details["changes"]["workshops"]["ci2"]["notes_added"]["count"] == 1


def test_a_second_sync_without_changes_adds_no_row_and_changes_no_cell():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    before = world.sheet.records(IDEAS)
    again = world.sync()
    assert again.counts() == {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}
    assert world.sheet.records(IDEAS) == before and len(synklogg(world)) == 2


def test_a_note_added_on_the_board_later_is_added_below_the_others():
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    world.set_board("ws.2", {"n1": "Budget", "n2": "Lön"})
    assert world.sync().counts()["new"] == 1
    assert world.sheet.ids(IDEAS) == ["n1", "n2"]


def test_each_workshop_gets_the_notes_of_its_own_board():
    world = World([["ci1", "CI 1", "ws.1"], ["ci2", "CI 2", "ws.2"]], ws_1={"a": "Ett"}, ws_2={"b": "Två"})
    result = world.sync()
    assert result.synced == ["ci1", "ci2"]
    assert {r["ID"]: r["Workshop"] for r in world.sheet.records(IDEAS)} == {"a": "ci1", "b": "ci2"}


def test_a_note_that_looks_like_a_formula_or_a_number_is_written_as_the_text_on_the_board():
    world = World(ws_2={"n1": "=SUM(A1:A9)", "n2": "+46 70", "n3": "2021-05-04", "n4": "å ä ö 🎉"})
    world.sync()
    assert world.texts() == {"n1": "=SUM(A1:A9)", "n2": "+46 70", "n3": "2021-05-04", "n4": "å ä ö 🎉"}
    assert all(isinstance(c.value, str) for w in world.sheet.applied for c in w.cells if c.tab == IDEAS)


# --- people's edits ---------------------------------------------------------------------------------------------

def test_a_persons_correction_survives_a_board_change_elsewhere():
    world = World(ws_2={"n1": "Budgt", "n2": "Lön"})
    world.sync()
    world.sheet.edit(IDEAS, "n1", "Text", "Budget")
    world.set_board("ws.2", {"n1": "Budgt", "n2": "Löner"})
    result = world.sync()
    assert world.texts() == {"n1": "Budget", "n2": "Löner"}
    assert result.counts()["conflicts"] == 0 and result.counts()["changed"] == 1


def test_a_board_edit_reaches_the_sheet_when_nobody_touched_the_cell():
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    world.set_board("ws.2", {"n1": "Budget 2022"})
    assert world.sync().counts()["changed"] == 1
    assert world.texts() == {"n1": "Budget 2022"}


def test_both_changed_keeps_the_persons_value_and_logs_the_boards_in_konflikter():
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    world.sheet.edit(IDEAS, "n1", "Text", "Budget (Amiras version)")
    world.set_board("ws.2", {"n1": "Budget ändrad på tavlan"})
    result = world.sync()
    assert world.texts() == {"n1": "Budget (Amiras version)"}
    conflict = world.sheet.records("Konflikter")
    assert [(c["Flik"], c["ID"], c["Kolumn"], c["Behållet värde"], c["Tavlans värde"]) for c in conflict] == [
        ("Idéer", "n1", "Text", "Budget (Amiras version)", "Budget ändrad på tavlan")]
    assert result.counts()["conflicts"] == 1 and "Konflikter" in synklogg(world)[-1]["Meddelande"]
    recorded = world.state.runs(1)[0]
    assert recorded.conflicts == 1 and recorded.details["conflicts"][0]["board_value"] == "Budget ändrad på tavlan"


def test_a_conflict_is_logged_once_not_every_night():
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    world.sheet.edit(IDEAS, "n1", "Text", "Budget (person)")
    world.set_board("ws.2", {"n1": "Budget (board)"})
    world.sync()
    world.sync()
    assert len(world.sheet.records("Konflikter")) == 1


def test_a_column_people_added_and_their_recap_choice_are_kept():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    world.sheet.add_column(IDEAS, "Kommentar")
    world.sheet.edit(IDEAS, "n1", "Kommentar", "ta upp i juni")
    world.sheet.edit(IDEAS, "n2", "I sammanfattningen", "nej")
    world.set_board("ws.2", {"n1": "Budget 2", "n2": "Lön 2", "n3": "Ny"})
    world.sync()
    rows = {r["ID"]: r for r in world.sheet.records(IDEAS)}
    assert rows["n1"]["Kommentar"] == "ta upp i juni" and rows["n2"]["I sammanfattningen"] == "nej"
    assert rows["n1"]["Text"] == "Budget 2" and "n3" in rows


def test_a_row_a_person_deleted_stays_deleted_and_the_log_says_so():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    world.sheet.delete_row(IDEAS, "n1")
    result = world.sync()
    assert world.sheet.ids(IDEAS) == ["n2"] and result.counts()["new"] == 0
    assert synklogg(world)[-1]["Meddelande"] == "1 rad som raderats i arket förblir raderad"
    world.set_board("ws.2", {"n1": "Budget ändrad", "n2": "Lön"})  # even when its note changes on the board
    world.sync()
    assert world.sheet.ids(IDEAS) == ["n2"]


def test_a_note_removed_from_the_board_stays_in_the_sheet_marked_not_on_the_board():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    world.set_board("ws.2", {"n1": "Budget"})
    result = world.sync()
    assert result.counts()["removed"] == 1
    assert {r["ID"]: r["På tavlan"] for r in world.sheet.records(IDEAS)} == {"n1": "ja", "n2": "nej"}


def test_rows_sorted_by_a_person_keep_their_own_values():
    world = World(ws_2={"n1": "B", "n2": "A"})
    world.sync()
    header, *rows = world.sheet.tabs[IDEAS]
    world.sheet.tabs[IDEAS] = [header, *sorted(rows, key=lambda r: r[4])]
    world.set_board("ws.2", {"n1": "B2", "n2": "A2"})
    world.sync()
    assert world.sheet.ids(IDEAS) == ["n2", "n1"] and world.texts() == {"n1": "B2", "n2": "A2"}


# --- choosing workshops, failing boards ----------------------------------------------------------------------------

def test_only_the_workshop_asked_for_is_synced_and_its_board_alone_fetched():
    world = World([["ci1", "CI 1", "ws.1"], ["ci2", "CI 2", "ws.2"]], ws_1={"a": "Ett"}, ws_2={"b": "Två"})
    result = world.sync(only="CI2")
    assert result.synced == ["ci2"] and world.boards.fetched == ["ws.2"] and world.sheet.ids(IDEAS) == ["b"]


def test_a_mistyped_workshop_is_bad_input_with_the_ids_there_are_and_no_run_is_recorded():
    world = World([["ci1", "CI 1", "ws.1"]], ws_1={"a": "Ett"})
    with pytest.raises(NotFoundError, match="ci9.*ci1"):
        world.sync(only="ci9")
    assert world.state.runs() == [] and "Synklogg" not in world.sheet.tabs and world.state.lock_holder is None


def test_an_unreachable_board_fails_its_workshop_alone_and_the_run_is_partial():
    world = World([["ci1", "CI 1", "ws.1"], ["ci2", "CI 2", "ws.2"]], ws_1={"a": "Ett"}, ws_2={"b": "Två"})
    world.boards.unreachable.add("ws.1")
    result = world.sync()
    assert result.result == "partial" and result.synced == ["ci2"] and world.sheet.ids(IDEAS) == ["b"]
    assert result.failures[0][0] == "ci1" and "MURAL did not answer" in result.failures[0][1]
    assert synklogg(world)[-1]["Resultat"] != "lyckades" and "ci1" in synklogg(world)[-1]["Meddelande"]
    recorded = world.state.runs(1)[0]
    assert recorded.result == "partial" and recorded.details["failures"][0][0] == "ci1"


def test_when_every_board_fails_the_run_is_failed_and_the_sheets_rows_stay():
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    world.boards.unreachable.add("ws.2")
    result = world.sync()
    assert result.result == "failed" and world.texts() == {"n1": "Budget"}
    assert world.state.runs(1)[0].result == "failed"


def test_a_board_that_crashes_the_normaliser_fails_its_workshop_not_the_night():
    world = World([["ci1", "CI 1", "ws.1"], ["ci2", "CI 2", "ws.2"]], ws_1={"a": "Ett"}, ws_2={"b": "Två"})
    world.boards.failing["ws.1"] = KeyError("value")  # a bug, not a named error
    result = world.sync()
    assert result.synced == ["ci2"] and world.sheet.ids(IDEAS) == ["b"]
    assert [workshop for workshop, _ in result.failures] == ["ci1"] and result.failures[0][1]
    assert "Traceback" not in synklogg(world)[-1]["Meddelande"]


def test_two_workshops_on_one_board_sync_the_first_and_warn_about_the_second():
    world = World([["ci1", "CI 1", "ws.1"], ["ci1b", "CI 1 igen", "ws.1"]], ws_1={"a": "Ett"})
    result = world.sync()
    assert result.synced == ["ci1"]
    assert any("ci1b" in w and "ws.1" in w for w in result.warnings)
    assert world.sheet.ids(IDEAS) == ["a"]


def test_an_empty_workshops_tab_says_what_to_write():
    world = World([])
    result = world.sync()
    assert result.counts()["new"] == 0 and any("Workshops" in n and "backbone sync" in n for n in result.notes)


def test_progress_says_each_board_and_the_write_in_swedish():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    assert "[1/1] ci2: hämtar tavlan" in world.progress and "[1/1] ci2: 2 idéer, 0 åtgärder" in world.progress
    assert any(line.startswith("skriver ") and "celler" in line for line in world.progress)


# --- dry runs and the lock ---------------------------------------------------------------------------------------

def test_a_dry_run_plans_but_writes_and_records_nothing():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    result = world.sync(dry_run=True)
    assert result.result == "dry-run" and result.counts()["new"] == 2
    assert world.sheet.applied == [] and IDEAS not in world.sheet.tabs
    assert world.state.runs() == [] and world.state.load_base(SHEET_ID) == {}


def test_a_sync_while_another_holds_the_lock_is_busy_and_touches_nothing():
    world = World(ws_2={"n1": "Budget"})
    with world.state.sync_lock("started 4 maj 02:00"):
        with pytest.raises(BusyError, match="started 4 maj 02:00"):
            world.sync()
    assert world.sheet.applied == [] and world.state.runs() == []


def test_a_dry_run_goes_through_while_a_sync_holds_the_lock():
    world = World(ws_2={"n1": "Budget"})
    with world.state.sync_lock("the nightly sync"):
        assert world.sync(dry_run=True).counts()["new"] == 1


# --- writes the sheet refuses -------------------------------------------------------------------------------------

def test_a_sheet_changed_under_the_write_is_read_and_planned_again_and_written_once():
    world = World(ws_2={"n1": "Budget"})
    world.sheet.fail_next_apply = SheetChanged()
    result = world.sync()
    assert result.result == "ok" and len(world.sheet.applied) == 1 and world.sheet.ids(IDEAS) == ["n1"]
    assert "memory ändrades medan synken skrev; läser det igen" in world.progress


def test_a_person_inserting_a_row_as_the_write_arrives_is_read_again_and_every_cell_lands_in_its_ids_row():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sync()
    world.set_board("ws.2", {"n1": "Budget 2022", "n2": "Löner"})

    def person_inserts_a_row(sheet: MemorySheet) -> None:
        sheet.tabs[IDEAS].insert(1, ["p1", "ci2", "", "", "Min egen rad"])
    world.sheet.before_next_apply = person_inserts_a_row
    result = world.sync()
    assert result.result == "ok" and world.texts() == {"p1": "Min egen rad", "n1": "Budget 2022", "n2": "Löner"}
    assert "memory ändrades medan synken skrev; läser det igen" in world.progress


def test_a_sheet_that_keeps_changing_stops_the_run_busy_with_nothing_written_and_the_failure_recorded():
    world = World(ws_2={"n1": "Budget"})
    original = world.sheet.apply
    calls: list[int] = []

    def saved_by_another_program(write: SheetWrite) -> None:
        calls.append(1)
        if len(calls) <= WRITE_TRIES:
            raise SheetChanged()
        original(write)  # the failed run's Synklogg row, once the other program is done
    world.sheet.apply = saved_by_another_program  # type: ignore[method-assign]
    with pytest.raises(BusyError, match=f"{WRITE_TRIES} gånger"):
        world.sync()
    assert IDEAS not in world.sheet.tabs and synklogg(world)[-1]["Resultat"] == "misslyckades"
    assert world.state.runs(1)[0].result == "failed" and world.state.load_base(SHEET_ID) == {}


def test_a_write_refused_by_the_service_is_recorded_failed_and_the_next_run_converges_without_duplicates():
    world = World(ws_2={"n1": "Budget", "n2": "Lön"})
    world.sheet.fail_next_apply = ServiceError("Google answered 503; try again later")
    with pytest.raises(ServiceError):
        world.sync()
    failed = world.state.runs(1)[0]
    assert failed.result == "failed" and "503" in failed.message
    assert world.state.load_base(SHEET_ID) == {}  # the state advances only after a write succeeded
    assert world.state.open_intents(SHEET_ID)  # what was sent is kept for the next run to check
    again = world.sync()
    assert again.result == "ok" and world.sheet.ids(IDEAS) == ["n1", "n2"]
    assert world.state.open_intents(SHEET_ID) == []


def test_a_write_without_an_answer_keeps_its_intents_open_for_the_next_run_to_check():
    world = World(ws_2={"n1": "Budget"})
    world.sheet.no_answer_next_apply = True
    world.sync()
    assert world.state.open_intents(SHEET_ID)
    world.sync()
    assert world.state.open_intents(SHEET_ID) == [] and world.sheet.ids(IDEAS) == ["n1"]


def test_a_sheet_open_in_another_program_without_waiting_stops_at_once_with_nothing_written():
    world = World(ws_2={"n1": "Budget"})
    world.sheet.held = SheetInUse("plan.xlsx är öppen i Excel", "~$plan.xlsx")
    with pytest.raises(SheetInUse):
        world.sync()
    assert world.sheet.applied == []


def test_a_sheet_closed_while_the_run_waits_is_then_synced():
    world = World(ws_2={"n1": "Budget"})
    world.sheet.held = SheetInUse("plan.xlsx är öppen i Excel", "~$plan.xlsx")

    def person_closes_excel(seconds: float) -> None:
        world.slept.append(seconds)
        world.sheet.held = None
    result = world.sync(wait=SheetWait(limit=600, interval=30, sleep=person_closes_excel))
    assert result.result == "ok" and world.slept == [30] and world.sheet.ids(IDEAS) == ["n1"]
    assert any("~$plan.xlsx" in line for line in world.progress)


def test_a_sheet_held_past_the_wait_says_how_long_it_waited():
    world = World(ws_2={"n1": "Budget"})
    world.sheet.held = SheetInUse("plan.xlsx är öppen i Excel", "~$plan.xlsx")
    with pytest.raises(SheetInUse, match="10 min"):
        world.sync(wait=SheetWait(limit=600, interval=30, sleep=world.slept.append))
    assert sum(world.slept) == 600 and world.sheet.applied == []


def test_a_state_that_cannot_record_after_the_write_leaves_a_rerun_without_duplicates():
    world = World(ws_2={"n1": "Budget"})
    world.state.fail_next_record = ServiceError("the disk holding the state database is full")
    with pytest.raises(ServiceError):
        world.sync()
    assert world.state.load_base(SHEET_ID) == {}  # the sheet was written, the base did not advance
    again = world.sync()
    assert again.result == "ok" and world.sheet.ids(IDEAS) == ["n1"]


# --- forgotten people ---------------------------------------------------------------------------------------------

def test_a_forgotten_persons_name_on_a_board_never_reaches_the_sheet():
    world = World(ws_2={"n1": "Budget"})
    world.state.erase(NameEraser("Amira Hassan"), apply=True)
    world.set_board("ws.2", {"n1": "Budget", "n2": "Fråga Amira Hassan om lokalen"})
    world.sync()
    assert "Amira" not in str(world.sheet.tabs) and "[namn borttaget]" in world.texts()["n2"]
    assert "Amira" not in str(world.state.runs(1)[0].details)


def test_a_forgotten_name_typed_by_a_person_is_kept_out_of_konflikter():
    world = World(ws_2={"n1": "Budget"})
    world.sync()
    world.state.erase(NameEraser("Amira Hassan"), apply=True)
    world.sheet.edit(IDEAS, "n1", "Text", "Budget enligt Amira Hassan")
    world.set_board("ws.2", {"n1": "Budget 2022"})
    world.sync()
    assert "Amira" not in str(world.sheet.records("Konflikter"))


# --- authors (BACKBONE_AUTHORS) -------------------------------------------------------------------------------------

PER = {"id": "u-per", "firstName": "Per", "lastName": "Persson"}


def test_by_default_no_author_reaches_the_sheet():
    world = World(ws_2={"n1": "Budget"})
    world.set_board("ws.2", {"n1": "Budget"}, authors={"n1": PER})
    world.sync()
    assert world.sheet.records(IDEAS)[0]["Författare"] == "" and "Persson" not in str(world.sheet.tabs)


@pytest.mark.parametrize("mode,shown", [("initials", "P.P."), ("name", "Per Persson"), ("organisation", "Kommunen")])
def test_the_authors_setting_decides_what_the_author_column_shows(mode, shown):
    world = World(ws_2={"n1": "Budget"})
    world.set_board("ws.2", {"n1": "Budget"}, authors={"n1": PER})
    world.sheet.tabs["Deltagare"] = [["Namn", "Organisation", "Workshop"], ["Per Persson", "Kommunen", "ci2"]]
    world.sync(authors=mode)
    assert world.sheet.records(IDEAS)[0]["Författare"] == shown


def test_an_author_the_board_hides_is_never_shown_whatever_the_setting():
    world = World(ws_2={"n1": "Budget"})
    shown = board("ws.2", {"n1": "Budget"}, authors={"n1": PER})
    private = tuple({**w, "hideOwner": True} if w["id"] == "n1" else w for w in shown.widgets)  # MURAL's Private Mode
    world.boards.boards["ws.2"] = dataclasses.replace(shown, widgets=private)
    world.sync(authors="name")
    assert world.sheet.records(IDEAS)[0]["Författare"] == ""


# --- prioritised actions -------------------------------------------------------------------------------------------

MEETING_PLACE = {"act1": ("Ny mötesplats", ["HUR: hyr lokal", "NÄR: juni 2021", "VEM: Per"])}


def test_a_prioritised_action_on_the_board_becomes_a_row_in_atgarder_not_an_idea():
    world = World(ws_2={"n1": "Budget"})
    world.set_board("ws.2", {"n1": "Budget"}, actions=MEETING_PLACE)
    world.sync()
    assert [(a["ID"], a["Hållplats"], a["Hur"], a["När"], a["Vem"]) for a in world.sheet.records("Åtgärder")] == [
        ("act1", "Ny mötesplats", "hyr lokal", "juni 2021", "Per")]
    assert world.sheet.ids(IDEAS) == ["n1"]


def test_the_status_and_owner_people_give_an_action_survive_a_change_of_it_on_the_board():
    world = World(ws_2={"n1": "Budget"})
    world.set_board("ws.2", {"n1": "Budget"}, actions=MEETING_PLACE)
    world.sync()
    world.sheet.edit("Åtgärder", "act1", "Status", "Pågår")
    world.sheet.edit("Åtgärder", "act1", "Ansvarig", "Åsa Öberg")
    world.set_board("ws.2", {"n1": "Budget"},
                    actions={"act1": ("Ny mötesplats", ["HUR: hyr lokal", "NÄR: augusti 2021", "VEM: Per"])})
    result = world.sync()
    action = world.sheet.records("Åtgärder")[0]
    assert (action["När"], action["Status"], action["Ansvarig"]) == ("augusti 2021", "Pågår", "Åsa Öberg")
    assert result.counts()["changed"] == 1
