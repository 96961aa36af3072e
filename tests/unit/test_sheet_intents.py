"""The intent log's reconciliation, pure: what a late or interrupted positional write misplaced is put back,
values that never landed go to their IDs' rows, a person's later edit stays theirs."""
from __future__ import annotations

from sync.core.sheet.intents import intents_for, reconcile, with_cells
from sync.ports import LAYOUT, CellWrite, Intent

HEADER = ["ID", "Text", "Status"]
READ = [HEADER, ["a", "Alfa", "klar"], ["b", "Beta", ""], ["c", "Gamma", "pågår"]]


def restore_from(read):
    rows = {r[0]: r for r in read[1:]}
    return lambda row_id, header: rows[row_id][read[0].index(header)] if row_id in rows else None


def fixed(grid, result):
    return with_cells({"T": grid}, result.cells)["T"]


def test_intents_name_each_cell_by_its_rows_id_and_new_rows_keep_the_tail_of_the_read():
    cells = [CellWrite("T", 2, 1, "Beta 2"), CellWrite("T", 4, 0, "d"), CellWrite("T", 4, 1, "Delta"),
             CellWrite("Synklogg", 3, 0, "10:00")]
    intents = intents_for(cells, {"T": READ, "Synklogg": [["Start"]]})
    assert intents == [Intent("T", 2, "b", 1, "Text", "Beta 2", "Beta"), Intent("T", 4, "d", 0, "ID", "d", "", True),
                       Intent("T", 4, "d", 1, "Text", "Delta", "", True), Intent("T", 3, "c", LAYOUT)]


def test_a_write_applied_after_a_sort_is_put_back_and_the_value_written_to_its_row():
    intents = intents_for([CellWrite("T", 2, 1, "Beta 2")], {"T": READ})
    sorted_then_written = [HEADER, ["c", "Gamma", "pågår"], ["a", "Beta 2", "klar"], ["b", "Beta", ""]]
    result = reconcile(intents, sorted_then_written, restore_from(READ), rewrite=True)
    assert fixed(sorted_then_written, result) == [HEADER, ["c", "Gamma", "pågår"], ["a", "Alfa", "klar"],
                                                  ["b", "Beta 2", ""]]
    assert [(r.row_id, r.restored, r.misplaced, r.meant_for) for r in result.repairs] == [("a", "Alfa", "Beta 2", "b")]


def test_a_row_our_new_row_overwrote_after_an_insert_gets_its_values_back_and_the_new_row_goes_to_the_end():
    cells = [CellWrite("T", 4, 0, "d"), CellWrite("T", 4, 1, "Delta")]
    intents = intents_for(cells, {"T": READ})
    # a person inserted a row under the header; our write then landed on c, pushed into row 4
    after = [HEADER, ["", "", "en persons rad"], ["a", "Alfa", "klar"], ["b", "Beta", ""], ["d", "Delta", "pågår"]]
    result = reconcile(intents, after, restore_from(READ), rewrite=False)
    assert fixed(after, result) == [HEADER, ["", "", "en persons rad"], ["a", "Alfa", "klar"], ["b", "Beta", ""],
                                    ["c", "Gamma", "pågår"], ["d", "Delta"]]


def test_a_person_who_typed_over_a_value_afterwards_keeps_it():
    intents = intents_for([CellWrite("T", 2, 1, "Beta 2")], {"T": READ})
    edited = [HEADER, ["a", "Alfa", "klar"], ["b", "Beta, som en person skrev om den", ""], ["c", "Gamma", "pågår"]]
    assert reconcile(intents, edited, restore_from(READ), rewrite=True).cells == []


def test_a_value_that_merely_equals_another_rows_own_is_not_a_misplacement():
    read = [HEADER, ["a", "ja", ""], ["b", "nej", ""]]
    intents = intents_for([CellWrite("T", 2, 1, "ja")], {"T": read})
    landed = [HEADER, ["a", "ja", ""], ["b", "ja", ""]]
    assert reconcile(intents, landed, restore_from(read), rewrite=True).cells == []


def test_a_new_row_twice_is_cleared_where_the_copy_is_ours_alone():
    intents = intents_for([CellWrite("T", 4, 0, "d"), CellWrite("T", 4, 1, "Delta")], {"T": READ})
    twice = READ + [["d", "Delta"], ["d", "Delta"]]
    result = reconcile(intents, twice, restore_from(READ), rewrite=True)
    assert fixed(twice, result)[4:] == [["d", "Delta"], ["", ""]]


def test_a_later_check_writes_nothing_when_nothing_was_misplaced():
    intents = intents_for([CellWrite("T", 2, 1, "Beta 2")], {"T": READ})
    never_landed = [HEADER, ["", "", "en persons rad"], *READ[1:]]
    assert reconcile(intents, never_landed, restore_from(READ), rewrite=False).cells == []


def test_the_next_run_puts_back_from_the_merge_base_and_leaves_a_persons_later_edit_alone():
    from sync.core.sheet.recheck import check_open_intents

    header = ["ID", "Text", "I sammanfattningen"]
    read = [header, ["a", "Alfa"], ["b", "Beta"], ["c", "Gamma"]]
    base = {("ideas", i, "text"): t for i, t in (("a", "Alfa"), ("b", "Beta"), ("c", "Gamma"))}
    intents = intents_for([CellWrite("Idéer", 2, 1, "Beta 2"), CellWrite("Idéer", 3, 1, "Gamma 2")], {"Idéer": read})
    # the run died; a person sorted before Google applied the write: b's and c's new texts went to c's and a's rows
    now = [header, ["b", "Beta"], ["c", "Beta 2"], ["a", "Gamma 2", "nej"]]
    found = check_open_intents(intents, {"Idéer": now}, base)
    assert with_cells({"Idéer": now}, found.cells)["Idéer"] == [header, ["b", "Beta 2"], ["c", "Gamma 2"],
                                                                 ["a", "Alfa", "nej"]]
    assert sorted((r.row_id, r.restored, r.meant_for) for r in found.repairs) == [("a", "Alfa", "c"), ("c", "Gamma 2", "b")]
    # a person typed over the misplaced text in a's row since: theirs, not a misplacement
    typed = [header, ["b", "Beta"], ["c", "Beta 2"], ["a", "Alfa, omskriven", "nej"]]
    found = check_open_intents(intents, {"Idéer": typed}, base)
    assert with_cells({"Idéer": typed}, found.cells)["Idéer"][3] == ["a", "Alfa, omskriven", "nej"]
