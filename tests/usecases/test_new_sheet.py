"""`backbone init` (sync/usecases/new_sheet.py) over the in-memory sheet: every tab with its header for a new sheet,
only what is missing for one in use, never a cell people typed; and a sync works on what it made."""
from __future__ import annotations

import pytest

from sync.core.errors import InputError
from sync.usecases.new_sheet import initialise
from tests.fakes.memory_sheet import MemorySheet
from tests.usecases.world import IDEAS, World, board

TABS = ["Workshops", "Idéer", "Åtgärder", "Deltagare", "Synklogg"]


def test_a_missing_sheet_is_made_with_every_tab_and_its_header_in_the_order_people_meet_them():
    sheet = MemorySheet()
    sheet.missing = True
    done = initialise(sheet, refuse_data=True)
    assert done.created and list(sheet.tabs) == TABS and done.tabs == tuple(TABS)
    assert sheet.tabs["Workshops"][0][:4] == ["ID", "Titel", "Datum", "Tema"]
    assert sheet.tabs["Idéer"][0][0] == "ID" and sheet.tabs["Synklogg"][0][0] == "Start"


def test_a_sheet_in_use_gets_its_missing_tabs_and_keeps_peoples_rows():
    sheet = MemorySheet({"Workshops": [["ID", "Titel", "Mural"], ["ci2", "CI 2", "ws.2"]]})
    done = initialise(sheet)
    assert not done.created and done.added == ("Idéer", "Åtgärder", "Deltagare", "Synklogg")
    assert sheet.tabs["Workshops"] == [["ID", "Titel", "Mural"], ["ci2", "CI 2", "ws.2"]]


def test_an_empty_tab_people_made_gets_its_header_row():
    sheet = MemorySheet({"Workshops": [], "Deltagare": []})
    done = initialise(sheet)
    assert done.headed == ("Workshops", "Deltagare") and sheet.tabs["Deltagare"][0] == ["Namn", "Organisation", "Workshop"]


def test_a_workbook_holding_data_is_refused_when_asked_and_nothing_is_written():
    sheet = MemorySheet({"Workshops": [["ID", "Titel"], ["ci2", "CI 2"]]}, name="plan.xlsx")
    with pytest.raises(InputError, match="^plan.xlsx: arbetsboken finns redan och har innehåll; backbone init skriver aldrig över"):
        initialise(sheet, refuse_data=True)
    assert sheet.applied == [] and list(sheet.tabs) == ["Workshops"]


def test_a_second_init_changes_nothing():
    sheet = MemorySheet()
    sheet.missing = True
    initialise(sheet)
    before = sheet.read()
    done = initialise(sheet)
    assert sheet.read() == before and done.added == () and done.headed == ()


def test_a_sync_on_a_new_sheet_fills_it_once_a_workshop_is_written():
    world = World([])
    world.sheet.tabs = {}
    world.sheet.missing = True
    initialise(world.sheet)
    world.sheet.tabs["Workshops"].append(["ci2", "CI 2", "2021-05-04", "", "ws.2"])
    world.boards.boards["ws.2"] = board("ws.2", {"n1": "Budget"})
    result = world.sync()
    assert result.result == "ok" and world.sheet.ids(IDEAS) == ["n1"]
