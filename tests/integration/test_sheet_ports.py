"""The sheet port's contract: the same assertions against the in-memory sheet (tests/fakes/memory_sheet.py), a real
.xlsx workbook and Google Sheets (the real gspread client against the fake Sheets API), so the use-case tests over
the in-memory sheet test what the real backends do."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.gsheets import GoogleSheet
from sync.adapters.xlsx.workbook_sheet import WorkbookSheet
from sync.ports import CellWrite, SheetBackend, SheetChanged, SheetWrite
from tests.fakes.memory_sheet import MemorySheet
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer

KEY = "1contract-Key_for-Tests"
WORKSHOPS = [["ID", "Titel", "Mural"], ["ci2", "CI 2", "ws.2"]]


@pytest.fixture(params=["memory", "workbook", "google"])
def sheet(request, tmp_path: Path, private_key: str) -> Iterator[SheetBackend]:
    if request.param == "memory":
        yield MemorySheet({"Workshops": WORKSHOPS})
    elif request.param == "workbook":
        book = openpyxl.Workbook()
        tab = book.active
        assert tab is not None
        tab.title = "Workshops"
        for row in WORKSHOPS:
            tab.append(row)
        book.save(tmp_path / "plan.xlsx")
        yield WorkbookSheet(tmp_path / "plan.xlsx")
    else:
        with FakeSheetsServer(KEY, title="Plan", tabs=("Workshops",)) as server:
            server.set_values("Workshops", [list(r) for r in WORKSHOPS])
            key = service_account_file(tmp_path / "key.json", private_key, server.token_uri)
            yield GoogleSheet(KEY, key, api_url=server.url, timeout=5.0)


def apply(sheet: SheetBackend, write: SheetWrite) -> None:
    """As a use case writes: after a read (the workbook checks the file has not changed since)."""
    sheet.read()
    sheet.apply(write)


def write(*cells: tuple[str, int, int, str], new_tabs: tuple[str, ...] = ()) -> SheetWrite:
    return SheetWrite(new_tabs, tuple(CellWrite(tab, row, col, value) for tab, row, col, value in cells))


def test_a_read_gives_every_tab_with_its_values_as_text(sheet):
    assert sheet.read() == {"Workshops": WORKSHOPS}


def test_the_workshops_tab_alone_is_read_before_the_boards_load(sheet):
    apply(sheet, write(("Idéer", 0, 0, "ID"), new_tabs=("Idéer",)))
    assert sheet.read_workshops() == {"Workshops": WORKSHOPS}


def test_a_write_makes_its_new_tabs_and_puts_each_cell_where_it_was_planned(sheet):
    apply(sheet, write(("Idéer", 0, 0, "ID"), ("Idéer", 0, 1, "Text"), ("Idéer", 1, 0, "n1"), ("Idéer", 1, 1, "Budget"),
                      ("Workshops", 0, 3, "Lappar"), ("Workshops", 1, 3, "1"), new_tabs=("Idéer",)))
    values = sheet.read()
    assert values["Idéer"] == [["ID", "Text"], ["n1", "Budget"]]
    assert values["Workshops"] == [["ID", "Titel", "Mural", "Lappar"], ["ci2", "CI 2", "ws.2", "1"]]
    assert sheet.settled()


def test_blank_cells_at_the_end_of_rows_and_tabs_are_not_read(sheet):
    apply(sheet, write(("Workshops", 3, 0, "ci4"), ("Workshops", 3, 5, "")))
    assert sheet.read()["Workshops"] == [*WORKSHOPS, [], ["ci4"]]
    apply(sheet, write(("Workshops", 3, 0, "")))
    assert sheet.read()["Workshops"] == WORKSHOPS


def test_text_that_looks_like_a_formula_a_number_or_a_date_is_read_back_as_written(sheet):
    texts = ["=SUM(A1:A9)", "007", "2021-05-04", "+46 70", "1e3", "å ä ö 🎉", "TRUE"]
    apply(sheet, write(*[("Workshops", 2, col, text) for col, text in enumerate(texts)]))
    assert sheet.read()["Workshops"][2] == texts


def test_an_empty_write_changes_nothing(sheet):
    apply(sheet, SheetWrite())
    assert sheet.read() == {"Workshops": WORKSHOPS}


def test_nothing_holds_a_sheet_no_other_program_has_open(sheet):
    assert sheet.in_use() is None and sheet.take_warnings() == []


@pytest.mark.parametrize("sheet", ["memory", "workbook"], indirect=True)
def test_a_write_planned_on_a_read_the_sheet_changed_since_is_refused_with_nothing_written(sheet):
    """The port's promise: a backend checks before it writes (SheetChanged, nothing written) or writes by the ID it
    planned for. The workbook and the in-memory sheet check; Google writes and repairs by ID (test_sync_holds.py)."""
    sheet.read()
    if isinstance(sheet, WorkbookSheet):
        book = openpyxl.load_workbook(sheet.path)
        book["Workshops"].insert_rows(2)  # a person inserted a row above ci2 and saved meanwhile
        book.save(sheet.path)
    else:
        sheet.tabs["Workshops"].insert(1, [])
    with pytest.raises(SheetChanged):
        sheet.apply(write(("Workshops", 1, 3, "2")))
    assert sheet.read()["Workshops"] == [WORKSHOPS[0], [], WORKSHOPS[1]]


def test_a_sheet_that_exists_is_never_made_again(sheet):
    assert sheet.create("Workshops") is False
    assert sheet.read() == {"Workshops": WORKSHOPS}


@pytest.mark.parametrize("kind", ["memory", "workbook"])
def test_a_missing_sheet_is_made_with_one_empty_tab(kind, tmp_path):
    sheet: SheetBackend
    if kind == "memory":
        sheet = memory = MemorySheet()
        memory.missing = True
    else:
        sheet = WorkbookSheet(tmp_path / "ny.xlsx")
    assert sheet.create("Workshops") is True
    assert sheet.read() == {"Workshops": []}
