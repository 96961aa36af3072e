"""verify.py: whether a positional write landed where it was planned, and the repair when it did not.
`read` is what the sync planned on, `after` is the block Google answers with right after the write."""
from __future__ import annotations

from sync.core.sheet.verify import landed, repairs
from sync.ports import CellWrite

HEADER = ["ID", "Text", "Ansvarig"]
READ = [HEADER, ["a", "Alfa", "Karin"], ["b", "Beta", ""], ["c", "Gamma", "Ali"]]


def apply(grid, cells):
    out = [list(r) for r in grid]
    for c in cells:
        while len(out) <= c.row:
            out.append([])
        out[c.row] += [""] * (c.col + 1 - len(out[c.row]))
        out[c.row][c.col] = c.value
    return out


def by_id(grid):
    return {r[0]: r for r in grid[1:] if r and r[0]}


def test_a_write_on_an_unchanged_tab_landed():
    cells = [CellWrite("Idéer", 2, 1, "Beta 2"), CellWrite("Idéer", 4, 0, "d"), CellWrite("Idéer", 4, 1, "Delta")]
    assert landed(READ, cells, apply(READ, cells), "ID")


def test_a_row_inserted_under_the_header_is_repaired_and_the_pushed_row_written_back():
    cells = [CellWrite("Idéer", 2, 1, "Beta 2"), CellWrite("Idéer", 4, 0, "d"), CellWrite("Idéer", 4, 1, "Delta")]
    moved = [HEADER, [], *READ[1:]]  # a person inserted a blank row at row 2
    after = apply(moved, cells)  # "Beta 2" lands on a's row, the new note d over c's row
    assert not landed(READ, cells, after, "ID")
    fixes, warnings = repairs(READ, cells, after, "ID", "Idéer")
    fixed = by_id(apply(after, fixes))
    assert not warnings
    assert fixed["a"][1:3] == ["Alfa", "Karin"] and fixed["b"][1] == "Beta 2" and fixed["c"][1:3] == ["Gamma", "Ali"]
    assert fixed["d"][1] == "Delta"


def test_rows_sorted_under_the_write_are_put_right():
    cells = [CellWrite("Idéer", 1, 1, "Alfa 2"), CellWrite("Idéer", 3, 1, "Gamma 2")]
    after = apply([HEADER, READ[3], READ[2], READ[1]], cells)  # sorted descending before the write
    fixes, _ = repairs(READ, cells, after, "ID", "Idéer")
    fixed = by_id(apply(after, fixes))
    assert [fixed[k][1] for k in "abc"] == ["Alfa 2", "Beta", "Gamma 2"]
    assert fixed["a"][2] == "Karin" and fixed["c"][2] == "Ali"


def test_a_column_inserted_before_the_write_is_put_right():
    cells = [CellWrite("Idéer", 2, 1, "Beta 2"), CellWrite("Idéer", 4, 0, "d"), CellWrite("Idéer", 4, 1, "Delta")]
    shifted = [[""] + r for r in READ]
    after = apply(shifted, cells)
    fixes, _ = repairs(READ, cells, after, "ID", "Idéer")
    fixed = [r for r in apply(after, fixes)]
    rows = {r[1]: r for r in fixed[1:] if len(r) > 1 and r[1]}
    assert rows["b"][2] == "Beta 2" and rows["a"][2:4] == ["Alfa", "Karin"] and rows["d"][2] == "Delta"
    assert all(not r[0] for r in fixed[1:] if r)  # nothing left in the person's new column


def test_rows_pushed_below_what_the_answer_shows_are_reported_never_written_twice():
    cells = [CellWrite("Idéer", 4, 0, "d"), CellWrite("Idéer", 4, 1, "Delta")]
    after = apply([HEADER, [], [], *READ[1:]], cells)[:5]  # two rows inserted; the answer ends at its block
    fixes, warnings = repairs(READ, cells, after, "ID", "Idéer", complete=False)
    assert warnings and "kör synken igen" in warnings[0]
    assert not [f for f in fixes if f.value in ("b", "c", "Beta", "Gamma")]  # nothing written a second time


def test_a_row_deleted_between_read_and_write_stays_deleted_and_the_others_are_put_right():
    cells = [CellWrite("Idéer", 3, 1, "Gamma 2"), CellWrite("Idéer", 4, 0, "d"), CellWrite("Idéer", 4, 1, "Delta")]
    after = apply([HEADER, READ[1], READ[3]], cells)  # b deleted: c moved up, "Gamma 2" lands in a blank row
    fixes, _ = repairs(READ, cells, after, "ID", "Idéer")
    fixed = by_id(apply(after, fixes))
    assert "b" not in fixed and fixed["c"][1:3] == ["Gamma 2", "Ali"] and fixed["d"][1] == "Delta"
    assert [r for r in apply(after, fixes)[1:] if any(r) and not r[0]] == []  # nothing left without an ID


def test_the_people_cells_of_a_row_pushed_into_a_new_rows_slot_go_back_with_it():
    cells = [CellWrite("Idéer", 4, 0, "d"), CellWrite("Idéer", 4, 1, "Delta")]
    after = apply([HEADER, [], *READ[1:]], cells)  # c, with Ali, sat where d was written
    fixes, _ = repairs(READ, cells, after, "ID", "Idéer")
    fixed = by_id(apply(after, fixes))
    assert fixed["c"][1:3] == ["Gamma", "Ali"] and fixed["d"][1:3] == ["Delta", ""]
