"""Property: whatever people and the board do in between, a sync keeps every human edit and
holds every board note exactly once."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core.model import Board, Exercise, Group, Note
from sync.core.sheet.plan import plan_sheet_update
from tests.fakes.memory_sheet import MemorySheet

WORKSHOPS = [["ID", "Titel", "Mural"], ["ci2", "CI 2", "ws.1"]]
texts = st.sampled_from(["Budget", "=SUM(A1:A9)", "å ä ö 🎉", "a & <b>", "Relationsbyggande", "+46 70", ""])
operations = st.lists(st.one_of(
    st.tuples(st.just("board_add"), st.integers(0, 20), texts),
    st.tuples(st.just("board_edit"), st.integers(0, 20), texts),
    st.tuples(st.just("board_remove"), st.integers(0, 20)),
    st.tuples(st.just("person_note"), st.integers(0, 20), texts),  # a people's column
    st.tuples(st.just("person_text"), st.integers(0, 20), texts),  # a correction of a synced column
    st.tuples(st.just("person_sort"), st.booleans()),
    st.tuples(st.just("person_blank_row"), st.integers(0, 20)),
    st.tuples(st.just("sync"),),
), max_size=40)


def board_of(notes: dict[str, str]) -> Board:
    group = Group(title="G", notes=tuple(Note(id=i, text=t) for i, t in notes.items() if t), id="g")
    return Board(exercises=(Exercise(title="E", groups=(group,)),))


def do_sync(sheet: MemorySheet, notes: dict[str, str], base: dict) -> None:
    plan = plan_sheet_update(sheet.read(), {"ci2": board_of(notes)}, base, source="memory", now="now")
    sheet.apply(plan.sheet_write())
    base.update(plan.base)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(operations)
def test_human_edits_survive_and_board_notes_appear_once(ops):
    sheet = MemorySheet({"Workshops": WORKSHOPS})
    notes: dict[str, str] = {"n0": "Första"}
    base: dict = {}
    human: dict[tuple[str, str], str] = {}  # (row id, header) -> what the person typed last
    do_sync(sheet, notes, base)
    sheet.tabs["Idéer"][0].append("Kommentar")
    for op in ops:
        ideas = sheet.tabs["Idéer"]
        ids = [r[0] for r in ideas[1:] if r and r[0]]
        if op[0] == "board_add":
            notes[f"n{op[1]}"] = notes.get(f"n{op[1]}") or op[2] or "ny"
        elif op[0] == "board_edit" and f"n{op[1]}" in notes:
            notes[f"n{op[1]}"] = op[2] or notes[f"n{op[1]}"]
        elif op[0] == "board_remove":
            notes.pop(f"n{op[1]}", None)
        elif op[0] in ("person_note", "person_text") and ids:
            row_id = ids[op[1] % len(ids)]
            header = "Kommentar" if op[0] == "person_note" else "Text"
            if sheet.value("Idéer", row_id, header).strip() == op[2].strip() and (row_id, header) not in human:
                continue  # typing what is already there is no edit: the board may still update the cell
            sheet.edit("Idéer", row_id, header, op[2])
            human[(row_id, header)] = op[2]
        elif op[0] == "person_sort":
            ideas[1:] = sorted(ideas[1:], key=lambda r: (r[0] if r else ""), reverse=op[1])
        elif op[0] == "person_blank_row":
            ideas.insert(1 + op[1] % len(ideas), [])
        elif op[0] == "sync":
            do_sync(sheet, notes, base)
    do_sync(sheet, notes, base)

    for (row_id, header), typed in human.items():
        assert sheet.value("Idéer", row_id, header).strip() == typed.strip(), (row_id, header)
    counted = [r[0] for r in sheet.tabs["Idéer"][1:] if r and r[0]]
    for note_id, text in notes.items():
        if text:
            assert counted.count(note_id) == 1, note_id
            assert sheet.value("Idéer", note_id, "På tavlan") == "ja"
    assert len(counted) == len(set(counted))
