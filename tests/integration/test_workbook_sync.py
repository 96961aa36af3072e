"""`backbone sync` against a real .xlsx workbook, a folder of board exports and a real SQLite state."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.xlsx.workbook_sheet import WorkbookSheet
from sync.bootstrap import Backbone
from sync.core.errors import InputError, ServiceError
from sync.settings import Settings

BOARD_ID = "ws.1620111600000"


def widgets(*notes: tuple[str, str]) -> list[dict]:
    out = [{"id": "ex", "type": "area", "title": "Övning 1", "x": 0, "y": 0, "width": 3000, "height": 2000},
           {"id": "g", "type": "area", "title": "Lokal förankring", "x": 0, "y": 100, "width": 2000, "height": 1500, "parentId": "ex"}]
    for i, (note_id, text) in enumerate(notes):
        out.append({"id": note_id, "type": "sticky note", "text": text, "x": 10 + 150 * i, "y": 10, "width": 138,
                    "height": 138, "parentId": "g", "createdOn": 1620115200000})
    return out


@pytest.fixture
def place(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Workshops"
    sheet.append(["ID", "Titel", "Datum", "Tema", "Mural"])
    sheet.append(["ci2", "Collective Impact 2", dt.datetime(2021, 5, 4), "Struktur", "https://app.mural.co/t/ws/m/ws/1620111600000/abc"])
    people = book.create_sheet("Deltagare")
    people.append(["Namn", "Organisation", "Workshop"])
    book.save(tmp_path / "plan.xlsx")
    (tmp_path / "boards").mkdir()
    return tmp_path


def write_board(place: Path, *notes):
    (place / "boards" / f"{BOARD_ID}.json").write_text(json.dumps({"value": widgets(*notes)}, ensure_ascii=False), "utf-8")


def app_for(place: Path) -> Backbone:
    settings = Settings(sheet=f"xlsx:{place / 'plan.xlsx'}", boards=f"files:{place / 'boards'}",
                        state=str(place / "var" / "state.sqlite3"), reports_dir=str(place / "reports"))
    return Backbone(settings, clock=lambda: dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC))


def tab(place: Path, title: str) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(place / "plan.xlsx")[title].iter_rows(values_only=True)]


def by_id(rows: list[list], row_id: str) -> dict:
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == row_id)
    return dict(zip(header, row))


def test_sync_keeps_peoples_work_and_brings_the_board(place):
    write_board(place, ("n1", "Relationsbyggande"), ("n2", "Budget"), ("n3", "Medborgardialoger"))
    app = app_for(place)
    first = app.sync()
    assert first.counts() == {"new": 3, "changed": 0, "removed": 0, "conflicts": 0}
    # People: add a column, correct a text, sort the rows.
    book = openpyxl.load_workbook(place / "plan.xlsx")
    ideas = book["Idéer"]
    ideas.cell(1, 10, "Ansvarig")
    rows = {ideas.cell(r, 1).value: r for r in range(2, ideas.max_row + 1)}
    ideas.cell(rows["n1"], 10, "Karin")
    ideas.cell(rows["n2"], 5, "Budget 2022")
    book.save(place / "plan.xlsx")
    # The board: n3 edited, n2 removed, n4 new with formula-looking text.
    write_board(place, ("n1", "Relationsbyggande"), ("n3", "Medborgardialoger i området"), ("n4", '=HYPERLINK("http://x","y")'))
    second = app_for(place).sync()
    assert second.counts() == {"new": 1, "changed": 1, "removed": 1, "conflicts": 0}
    rows = tab(place, "Idéer")
    assert by_id(rows, "n1")["Ansvarig"] == "Karin"
    assert by_id(rows, "n2")["Text"] == "Budget 2022" and by_id(rows, "n2")["På tavlan"] == "nej"
    assert by_id(rows, "n3")["Text"] == "Medborgardialoger i området"
    assert by_id(rows, "n4")["Text"] == '=HYPERLINK("http://x","y")'
    cell = next(c for c in openpyxl.load_workbook(place / "plan.xlsx")["Idéer"]["E"] if c.value and str(c.value).startswith("="))
    assert cell.data_type == "s"  # stored as text, not a formula
    log = tab(place, "Synklogg")
    assert log[0][:3] == ["Start", "Slut", "Resultat"] and len(log) == 3


def test_a_second_sync_with_nothing_new_only_appends_its_log_row(place):
    write_board(place, ("n1", "a"))
    app_for(place).sync()
    before = {t: tab(place, t) for t in ("Workshops", "Idéer", "Åtgärder")}
    result = app_for(place).sync()
    assert result.plan.cells and all(c.tab == "Synklogg" for c in result.plan.cells)
    assert {t: tab(place, t) for t in before} == before
    assert len(tab(place, "Synklogg")) == 3


def test_a_crash_between_read_and_write_leaves_state_alone_and_the_rerun_converges(place, monkeypatch):
    write_board(place, ("n1", "a"), ("n2", "b"))
    crashing = WorkbookSheet(place / "plan.xlsx")
    monkeypatch.setattr(crashing, "apply", lambda write: (_ for _ in ()).throw(ServiceError("disk gone")))
    app = Backbone(app_for(place).settings, sheet=crashing)
    with pytest.raises(ServiceError):
        app.sync()
    assert app.state.load_base(app.sheet_id) == {}
    assert app.state.runs()[0].result == "failed"
    app_for(place).sync()
    app_for(place).sync()
    ids = [r[0] for r in tab(place, "Idéer")[1:]]
    assert sorted(ids) == ["n1", "n2"]


def test_workbook_open_in_excel_is_refused_and_nothing_written(place):
    write_board(place, ("n1", "a"))
    (place / "~$plan.xlsx").write_bytes(b"lock")
    before = (place / "plan.xlsx").read_bytes()
    app = app_for(place)
    app.settings = dataclasses.replace(app.settings, workbook_wait=0)  # refused at once (waiting: test_workbook_in_use.py)
    with pytest.raises(InputError, match="öppen i Excel eller LibreOffice"):
        app.sync()
    assert (place / "plan.xlsx").read_bytes() == before


def test_corrupt_and_incomplete_workbooks_are_clear_errors(place):
    (place / "plan.xlsx").write_text("not a zip")
    with pytest.raises(InputError, match="plan.xlsx: inte en läsbar .xlsx-arbetsbok"):
        app_for(place).sync()
    book = openpyxl.Workbook()
    book.active.title = "Något annat"
    book.save(place / "plan.xlsx")
    with pytest.raises(InputError, match="fliken 'Workshops' saknas"):
        app_for(place).sync()


def test_dry_run_writes_nothing_anywhere(place):
    write_board(place, ("n1", "a"))
    before = (place / "plan.xlsx").read_bytes()
    result = app_for(place).sync(dry_run=True)
    assert result.counts()["new"] == 1 and result.result == "dry-run"
    assert (place / "plan.xlsx").read_bytes() == before
    assert app_for(place).state.runs() == []


def test_a_broken_board_fails_its_workshop_only(place):
    (place / "boards" / f"{BOARD_ID}.json").write_text("{not json", "utf-8")
    result = app_for(place).sync()
    assert result.result == "failed" and "inte JSON" in result.failures[0][1]
    assert tab(place, "Synklogg")[1][2] == "misslyckades"  # the result in the sheet's language
