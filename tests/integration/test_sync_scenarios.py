"""The same people-and-board scenarios on both sheet backends: the local workbook and Google Sheets
(real gspread and google-auth against the loopback fake)."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import openpyxl
import pytest

from sync.bootstrap import Backbone
from sync.core.errors import BusyError, ServiceError
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
KEY = "scenario-spreadsheet-0123456789abcdefghijkl"


class WorkbookPeople:
    """What people do, in the .xlsx: whole tabs read and written as grids of text."""

    def __init__(self, path: Path):
        self.path = path

    def grid(self, tab: str) -> list[list[str]]:
        sheet = openpyxl.load_workbook(self.path)[tab]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]

    def put(self, tab: str, grid: list[list[str]]) -> None:
        book = openpyxl.load_workbook(self.path)
        book.remove(book[tab])
        sheet = book.create_sheet(tab)
        for row in grid:
            sheet.append(row)
        book.save(self.path)


class GooglePeople:
    def __init__(self, fake: FakeSheetsServer):
        self.fake = fake

    def grid(self, tab: str) -> list[list[str]]:
        return [list(r) for r in self.fake.values(tab)]

    def put(self, tab: str, grid: list[list[str]]) -> None:
        width = max(len(r) for r in grid)
        old = len(self.fake.values(tab))
        padded = [r + [""] * (width - len(r)) for r in grid] + [[""] * width] * max(old - len(grid), 0)
        self.fake.set_values(tab, padded)


@pytest.fixture(params=["xlsx", "google"])
def place(request, tmp_path: Path, private_key: str):
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    common = dict(boards=f"files:{tmp_path / 'ex' / 'boards'}", state=str(tmp_path / "state.sqlite3"), http_timeout=5)
    if request.param == "xlsx":
        yield Settings(sheet=f"xlsx:{tmp_path / 'ex' / 'plan.xlsx'}", **common), WorkbookPeople(tmp_path / "ex" / "plan.xlsx"), tmp_path
        return
    with FakeSheetsServer(KEY) as fake:
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        service_account_file(tmp_path / "sa.json", private_key, fake.token_uri)
        yield (Settings(sheet=f"gsheet:{KEY}", google_credentials=str(tmp_path / "sa.json"), sheets_api_url=fake.url, **common),
               GooglePeople(fake), tmp_path)


def edit_board(tmp_path: Path, change) -> None:
    path = next((tmp_path / "ex" / "boards").glob("*.json"))
    pages = json.loads(path.read_text("utf-8"))
    widgets = [w for p in pages for w in p["value"]]
    change(widgets)
    path.write_text(json.dumps([{"value": widgets}], ensure_ascii=False), "utf-8")


def sticky(widgets, text):
    from sync.core.board.content import widget_text
    return next(w for w in widgets if w.get("type") == "sticky note" and widget_text(w) == text)


def record(grid: list[list[str]], key_col: str, key: str) -> dict[str, str]:
    header = grid[0]
    row = next(r for r in grid[1:] if len(r) > header.index(key_col) and r[header.index(key_col)] == key)
    return dict(zip(header, row + [""] * (len(header) - len(row))))


@pytest.mark.slow
def test_people_and_board_both_at_work(place):
    settings, people, tmp_path = place
    Backbone(settings).sync()
    ideas = people.grid("Idéer")
    header = ideas[0] + ["Ansvarig"]
    rows = [r + [""] * (len(header) - len(r)) for r in ideas[1:]]
    text = header.index("Text")
    rows.sort(key=lambda r: r[text], reverse=True)  # a person sorts
    for r in rows:
        if r[text] == "Budget":
            r[text] = "Budget för 2022"  # corrects a text
        if r[text] == "Medborgardialoger":
            r[header.index("Ansvarig")] = "Karin"  # fills a column of their own
    deleted_id = next(r[0] for r in rows if r[text] == "Skapa ungdomsstyrelse")
    rows = [r for r in rows if r[0] != deleted_id]  # deletes a row
    people.put("Idéer", [header, *rows])
    actions = people.grid("Åtgärder")
    status = actions[0].index("Status")
    actions[1] += [""] * (status + 1 - len(actions[1]))
    actions[1][status] = "Pågår"  # sets a status
    people.put("Åtgärder", actions)
    status_id = actions[1][0]

    def board_changes(widgets):
        sticky(widgets, "Finansiella samarbeten")["text"] = "Finansiella samarbeten med näringslivet"
        sticky(widgets, "Finansiella samarbeten")["htmlText"] = ""
        widgets.remove(sticky(widgets, "Kartlägga förväntningar"))
        new = dict(sticky(widgets, "Budget"), id="0-1620200000000", text="Ny idé: läxhjälp", htmlText="")
        widgets.append(new)
    edit_board(tmp_path, board_changes)

    result = Backbone(settings).sync()
    assert result.counts() == {"new": 1, "changed": 1, "removed": 1, "conflicts": 0}
    ideas = people.grid("Idéer")
    texts = [r[text] for r in ideas[1:]]
    assert "Budget för 2022" in texts and "Budget" not in texts
    assert record(ideas, "Text", "Medborgardialoger")["Ansvarig"] == "Karin"
    assert record(ideas, "Text", "Finansiella samarbeten med näringslivet")["På tavlan"] == "ja"
    assert record(ideas, "Text", "Kartlägga förväntningar")["På tavlan"] == "nej"
    assert record(ideas, "Text", "Ny idé: läxhjälp")["Grupp"] == "Resurser & ekonomi"
    assert deleted_id not in [r[0] for r in ideas[1:]]
    assert record(people.grid("Åtgärder"), "ID", status_id)["Status"] == "Pågår"
    ids = [r[0] for r in ideas[1:] if r and r[0]]
    assert len(ids) == len(set(ids)) == 31  # 31 on the board, one deleted by a person, one removed kept as "nej"


def test_a_crash_between_read_and_write_then_a_rerun_converges(place, monkeypatch):
    settings, people, _ = place
    app = Backbone(settings)
    real = app._new_sheet
    crashing = real()
    monkeypatch.setattr(crashing, "apply", lambda write: (_ for _ in ()).throw(ServiceError("connection lost")))
    before = people.grid("Idéer")  # the example's one curated row
    with pytest.raises(ServiceError):
        Backbone(settings, sheet=crashing).sync()
    assert people.grid("Idéer") == before
    Backbone(settings).sync()
    again = Backbone(settings).sync()
    assert again.counts()["new"] == 0 and len(people.grid("Idéer")) == 32


def test_two_syncs_at_once(place):
    settings, _, _ = place
    holding, release = threading.Event(), threading.Event()

    def slow(line):
        if str(line).startswith("läser"):
            holding.set()
            release.wait(10)

    first = threading.Thread(target=lambda: Backbone(settings).sync(progress=slow))
    first.start()
    assert holding.wait(10)
    with pytest.raises(BusyError, match=r"pågår redan \(startad \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, process \d+\)"):
        Backbone(settings).sync()
    release.set()
    first.join(10)
