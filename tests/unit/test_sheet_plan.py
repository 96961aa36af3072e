"""The three-way merge and plan_sheet_update, on in-memory sheets: what people do is never lost."""
from __future__ import annotations

import dataclasses

import pytest

from sync.core.errors import InputError
from sync.core.model import Action, Board, Exercise, Group, Note
from sync.core.sheet.merge import Outcome, merge_cell
from sync.core.sheet.plan import plan_sheet_update
from tests.fakes.memory_sheet import MemorySheet

WORKSHOPS = [["ID", "Titel", "Datum", "Mural"], ["ci2", "Collective Impact 2", "2021-05-04", "ws.1"]]


def board(*notes: tuple[str, str], actions=()) -> Board:
    group = Group(title="Lokal förankring", notes=tuple(Note(id=i, text=t, author="Åsa") for i, t in notes), id="g")
    return Board(id="ws.1", exercises=(Exercise(title="Övning 1", groups=(group,)),), actions=tuple(actions))


def sync(sheet: MemorySheet, b: Board, base: dict, now="2026-11-27 02:00:00"):
    plan = plan_sheet_update(sheet.read(), {"ci2": b}, base, source="plan.xlsx", now=now)
    sheet.apply(plan.sheet_write())
    base.update(plan.base)
    return plan


@pytest.mark.parametrize("sheet,board_value,base,outcome", [
    ("a", "a", None, Outcome.SAME),
    ("a", "b", "a", Outcome.WRITE),
    ("person", "a", "a", Outcome.KEEP),
    ("person", "b", "a", Outcome.CONFLICT),
    ("person", "b", None, Outcome.CONFLICT),  # no memory: a differing value is a person's
    ("", "b", None, Outcome.WRITE),  # an empty cell holds nothing a person typed
])
def test_merge_cell(sheet, board_value, base, outcome):
    assert merge_cell(sheet, board_value, base).outcome is outcome


def test_first_sync_creates_tabs_columns_and_rows():
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    plan = sync(sheet, board(("n1", "Medborgardialoger"), ("n2", "=HYPERLINK(\"http://x\",\"y\")")), {})
    assert set(plan.new_tabs) == {"Idéer", "Åtgärder"}
    assert sheet.value("Idéer", "n2", "Text") == '=HYPERLINK("http://x","y")'
    assert sheet.value("Idéer", "n1", "På tavlan") == "ja"
    assert sheet.tabs["Workshops"][0][-2:] == ["Lappar", "Senast synkad"]
    assert sheet.value("Workshops", "ci2", "Lappar") == "2"
    assert plan.counts() == {"new": 2, "changed": 0, "removed": 0, "conflicts": 0}


def test_second_sync_with_nothing_new_writes_nothing():
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    base: dict = {}
    sync(sheet, board(("n1", "a")), base)
    plan = sync(sheet, board(("n1", "a")), base, now="later")
    assert plan.cells == [] and plan.new_tabs == []


def test_people_keep_their_columns_corrections_sorting_and_the_board_still_flows_in():
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    base: dict = {}
    sync(sheet, board(("n1", "Relationsbyggande"), ("n2", "Budget"), ("n3", "Medborgardialoger")), base)
    ideas = sheet.tabs["Idéer"]
    ideas[0].insert(2, "Ansvarig")  # a person inserts a column in the middle
    for row in ideas[1:]:
        row.insert(2, "")
    ideas[1:] = sorted(ideas[1:], key=lambda r: r[ideas[0].index("Text")])  # and sorts the rows
    sheet.edit("Idéer", "n1", "Ansvarig", "Karin")
    sheet.edit("Idéer", "n2", "Text", "Budget 2022 (rättad)")
    # The board: n2 unchanged, n3 edited, n1 removed, n4 new.
    plan = sync(sheet, board(("n2", "Budget"), ("n3", "Medborgardialoger i Biskopsgården"), ("n4", "Ny idé")), base)
    assert sheet.value("Idéer", "n1", "Ansvarig") == "Karin"
    assert sheet.value("Idéer", "n1", "På tavlan") == "nej"
    assert sheet.value("Idéer", "n2", "Text") == "Budget 2022 (rättad)"
    assert sheet.value("Idéer", "n3", "Text") == "Medborgardialoger i Biskopsgården"
    assert sheet.value("Idéer", "n4", "Text") == "Ny idé"
    assert plan.counts() == {"new": 1, "changed": 1, "removed": 1, "conflicts": 0}


def test_both_changed_keeps_the_person_and_reports_the_conflict_once():
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    base: dict = {}
    sync(sheet, board(("n1", "Budget")), base)
    sheet.edit("Idéer", "n1", "Text", "Budget (person)")
    plan = sync(sheet, board(("n1", "Budget (board)")), base)
    assert sheet.value("Idéer", "n1", "Text") == "Budget (person)"
    assert [(c.row_id, c.column, c.sheet_value, c.board_value) for c in plan.conflicts] == [
        ("n1", "Text", "Budget (person)", "Budget (board)")]
    assert sync(sheet, board(("n1", "Budget (board)")), base).conflicts == []


def test_a_row_a_person_deleted_stays_deleted_and_a_returning_note_is_marked_ja():
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    base: dict = {}
    sync(sheet, board(("n1", "a"), ("n2", "b")), base)
    ideas = sheet.tabs["Idéer"]
    ideas.remove(sheet.find_row("Idéer", "n1"))
    plan = sync(sheet, board(("n1", "a"), ("n2", "b")), base)
    assert sheet.find_row("Idéer", "n1") is None and plan.deleted_by_people == [("Idéer", "n1")]
    sync(sheet, board(("n1", "a")), base)
    assert sheet.value("Idéer", "n2", "På tavlan") == "nej"
    sync(sheet, board(("n1", "a"), ("n2", "b")), base)
    assert sheet.value("Idéer", "n2", "På tavlan") == "ja"


def test_actions_fill_board_columns_and_leave_status_to_people():
    act = Action(id="a1", workshop="ci2", title="Behovskartläggning", how="Förstudie + medborgardialog",
                 when="Q4 2021", who="Bostadsbolagen")
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    base: dict = {}
    sync(sheet, board(actions=[act]), base)
    sheet.edit("Åtgärder", "a1", "Status", "Pågår")
    sync(sheet, board(actions=[dataclasses.replace(act, when="Q1 2022")]), base)
    assert sheet.value("Åtgärder", "a1", "Status") == "Pågår"
    assert sheet.value("Åtgärder", "a1", "När") == "Q1 2022"


def test_lost_state_treats_differences_as_peoples_edits_and_adds_no_duplicates():
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    sync(sheet, board(("n1", "a")), {})
    sheet.edit("Idéer", "n1", "Text", "rättad")
    plan = sync(sheet, board(("n1", "a"), ("n2", "b")), {})
    assert sheet.value("Idéer", "n1", "Text") == "rättad"
    assert len([r for r in sheet.tabs["Idéer"][1:] if r and r[0] == "n1"]) == 1
    assert plan.counts()["new"] == 1


def test_missing_id_column_with_rows_is_a_clear_error():
    sheet = MemorySheet({"Workshops": WORKSHOPS, "Idéer": [["Text", "Workshop"], ["a", "ci2"]]})
    with pytest.raises(InputError, match="fliken 'Idéer': ID-kolumnen är borta"):
        plan_sheet_update(sheet.read(), {"ci2": board(("n1", "a"))}, {}, source="plan.xlsx", now="x")


def test_english_headers_are_accepted():
    sheet = MemorySheet({"Workshops": [["id", "Title", "Board"], ["ci2", "CI 2", "ws.1"]],
                         "Ideas": [["ID", "Workshop", "Exercise", "Group", "Text", "Author", "Updated", "On board"]]})
    sync(sheet, board(("n1", "a")), {})
    assert "Idéer" not in sheet.tabs and sheet.value("Ideas", "n1", "On board") == "ja"
