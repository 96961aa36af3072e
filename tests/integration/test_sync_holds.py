"""The sheet holds while people edit it: a person's structural edit (insert, delete or sort rows, insert or
move a column, rename the tab) or cell edit lands at each phase of a sync — while the boards load, between the read and the write,
at the moment the write arrives (the fake Sheets API holds the request; the workbook is saved by another
program during our save), and right after — on both backends, over random runs. After it:
every row's sync-owned cells belong to its ID, every person's value is still there, every board note
appears exactly once (a note whose row the person deleted before the read stays deleted)."""
from __future__ import annotations

import copy
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sync.adapters.xlsx import workbook_sheet as workbook_module
from sync.bootstrap import Backbone
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
KEY = "holds-spreadsheet-0123456789abcdefghijklmnop"
SYNCED = ("ID", "Workshop", "Övning", "Grupp", "Text", "Författare", "Ändrad", "På tavlan")
EXAMPLES = int(os.environ.get("BACKBONE_CHAOS_EXAMPLES", "40"))


def records(grid: list[list[str]]) -> list[dict[str, str]]:
    header = grid[0]
    return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in grid[1:]]


class WorkbookPlace:
    def __init__(self, path: Path):
        self.path = path

    def grid(self, tab: str) -> list[list[str]]:
        book = openpyxl.load_workbook(self.path)
        sheet = book[next(t for t in book.sheetnames if t.startswith(tab))]  # "Idéer" or as a person renamed it
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]

    def person(self, op: tuple) -> None:
        """What Excel does on save: the whole file replaced (new size, mtime and content)."""
        book = openpyxl.load_workbook(self.path)
        sheet = book[next(t for t in book.sheetnames if t.startswith("Idéer"))]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        kind = op[0]
        if kind == "insert_row":
            sheet.insert_rows(2 + min(op[1], len(rows) - 1))  # 1-based: never above the header
        elif kind == "delete_row":
            sheet.delete_rows(1 + 1 + op[1] % (len(rows) - 1))
        elif kind == "insert_col":
            sheet.insert_cols(1 + op[1] % (len(rows[0]) + 1))
        elif kind == "sort":
            text = rows[0].index("Text")
            body = sorted(rows[1:], key=lambda r: str(r[text] or ""), reverse=op[1])
            for i, r in enumerate(body, 2):
                for j, v in enumerate(r, 1):
                    sheet.cell(i, j).value = v
        elif kind == "edit":
            header = rows[0]
            col = header.index("Ansvarig") + 1
            sheet.cell(2 + op[1] % (len(rows) - 1), col).value = op[2]
        elif kind == "move_col":  # cut a column and paste it elsewhere
            width = len(rows[0])
            source, to = op[1] % width, op[2] % width
            for i, r in enumerate(rows, 1):
                r = list(r) + [None] * (width - len(r))
                r.insert(to, r.pop(source))
                for j, v in enumerate(r, 1):
                    sheet.cell(i, j).value = v
        elif kind == "rename":
            sheet.title = "Idéer (gamla)"
        temporary = self.path.with_suffix(".person.xlsx")
        book.save(temporary)
        os.replace(temporary, self.path)


class GooglePlace:
    def __init__(self, fake: FakeSheetsServer):
        self.fake = fake

    def grid(self, tab: str) -> list[list[str]]:
        title = next(t for t in self.fake.titles(KEY) if t.startswith(tab))  # "Idéer" or as a person renamed it
        return [list(r) for r in self.fake.values(title, spreadsheet_id=KEY)]

    def person(self, op: tuple, book=None) -> None:
        """The same edits through the API's own requests (sortRange, insertDimension, deleteDimension)."""
        with self.fake.lock:
            book = book or self.fake.spreadsheet(KEY)
            sheet = next(s for s in book.sheets if s.title.startswith("Idéer"))
            rows = self.grid("Idéer")
            kind = op[0]
            def span(start, n, dim="ROWS"):
                return {"sheetId": sheet.sheet_id, "dimension": dim, "startIndex": start, "endIndex": start + n}
            if kind == "insert_row":
                book.batch_update({"requests": [{"insertDimension": {"range": span(1 + min(op[1], len(rows) - 1), 1)}}]})
            elif kind == "delete_row":
                book.batch_update({"requests": [{"deleteDimension": {"range": span(1 + op[1] % (len(rows) - 1), 1)}}]})
            elif kind == "insert_col":
                book.batch_update({"requests": [{"insertDimension": {"range": span(op[1] % (len(rows[0]) + 1), 1, "COLUMNS")}}]})
            elif kind == "sort":
                book.batch_update({"requests": [{"sortRange": {
                    "range": {"sheetId": sheet.sheet_id, "startRowIndex": 1, "endRowIndex": len(rows)},
                    "sortSpecs": [{"dimensionIndex": rows[0].index("Text"), "sortOrder": "DESCENDING" if op[1] else "ASCENDING"}]}}]})
            elif kind == "edit":
                col = rows[0].index("Ansvarig")
                r = 1 + op[1] % (len(rows) - 1)
                book.update_values(_a1(sheet.title, r, col), [[op[2]]], "RAW")
            elif kind == "move_col":
                width = len(rows[0])
                source, to = op[1] % width, op[2] % width
                book.batch_update({"requests": [{"moveDimension": {"source": span(source, 1, "COLUMNS"),
                                                                   "destinationIndex": to if to <= source else to + 1}}]})
            elif kind == "rename":
                book.batch_update({"requests": [{"updateSheetProperties": {
                    "properties": {"sheetId": sheet.sheet_id, "title": "Idéer (gamla)"}, "fields": "title"}}]})


def _a1(title: str, row: int, col: int) -> str:
    from gspread.utils import rowcol_to_a1
    return f"'{title}'!{rowcol_to_a1(row + 1, col + 1)}"


def change_the_board(boards: Path) -> None:
    """A text edited, a note removed and two new ones: the next sync updates, marks and appends rows."""
    path = next(boards.glob("*.json"))
    pages = json.loads(path.read_text("utf-8"))
    widgets = [w for p in pages for w in p["value"]]
    notes = [w for w in widgets if w.get("type") == "sticky note"]
    notes[3]["text"], notes[3]["htmlText"] = "Ändrad på tavlan", ""
    widgets.remove(notes[5])
    for n in (1, 2):
        widgets.append(dict(notes[0], id=f"0-16203000000{n:02d}", text=f"Ny lapp {n}", htmlText=""))
    path.write_text(json.dumps([{"value": widgets}], ensure_ascii=False), "utf-8")


@pytest.fixture(scope="module", params=["xlsx", "google"])
def world(request, tmp_path_factory, private_key):
    """After a first sync and people's work (an Ansvarig column, statuses), with the board then changed;
    plus the control: what a sync nobody disturbs makes of it."""
    base = tmp_path_factory.mktemp(f"holds-{request.param}")
    shutil.copytree(EXAMPLE, base / "ex")
    common = dict(boards=f"files:{base / 'ex' / 'boards'}", state=str(base / "state.sqlite3"), http_timeout=5)
    fake = None
    if request.param == "xlsx":
        settings_ = Settings(sheet=f"xlsx:{base / 'ex' / 'plan.xlsx'}", **common)
        place = WorkbookPlace(base / "ex" / "plan.xlsx")
    else:
        fake = FakeSheetsServer(KEY).start()
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        service_account_file(base / "sa.json", private_key, fake.token_uri)
        settings_ = Settings(sheet=f"gsheet:{KEY}", google_credentials=str(base / "sa.json"), sheets_api_url=fake.url, **common)
        place = GooglePlace(fake)
    Backbone(settings_).sync()
    grid = place.grid("Idéer")
    people = {}
    if request.param == "xlsx":
        book = openpyxl.load_workbook(place.path)
        sheet = book["Idéer"]
        col = sheet.max_column + 1
        sheet.cell(1, col).value = "Ansvarig"
        for r in range(2, len(grid) + 1, 3):
            sheet.cell(r, col).value = people.setdefault(grid[r - 1][0], f"Person {r}")
        book.save(place.path)
    else:
        col = len(grid[0])
        rows = [["Ansvarig"]] + [[f"Person {r}" if r % 3 == 2 else ""] for r in range(2, len(grid) + 1)]
        people = {grid[r - 1][0]: f"Person {r}" for r in range(2, len(grid) + 1) if r % 3 == 2}
        fake.spreadsheet(KEY).update_values(f"'Idéer'!{chr(65 + col)}1", rows, "RAW")
    change_the_board(base / "ex" / "boards")
    snapshot = _snapshot(request.param, place, base)
    Backbone(settings_).sync()
    control = {r["ID"]: {k: r[k] for k in SYNCED} for r in records(place.grid("Idéer")) if r["ID"]}
    assert len(control) == 33  # 31 ideas and the two new ones (the removed one stays, "nej")
    yield World((request.param, settings_, place, base, snapshot, people, control))
    if fake is not None:
        fake.stop()


class World(tuple):
    def __repr__(self) -> str:  # hypothesis prints the failing example: the backend, not the snapshot bytes
        return f"World({self[0]})"


def _snapshot(kind, place, base):
    state = (base / "state.sqlite3").read_bytes()
    if kind == "xlsx":
        return state, place.path.read_bytes()
    return state, copy.deepcopy(place.fake.spreadsheet(KEY))


def _restore(kind, place, base, snapshot):
    (base / "state.sqlite3").write_bytes(snapshot[0])
    if kind == "xlsx":
        place.path.write_bytes(snapshot[1])
    else:
        with place.fake.lock:
            place.fake.state.spreadsheets[KEY] = copy.deepcopy(snapshot[1])
            place.fake.state.holds.clear()


OPS = st.one_of(
    st.tuples(st.just("insert_row"), st.integers(0, 40)),
    st.tuples(st.just("delete_row"), st.integers(0, 40)),
    st.tuples(st.just("sort"), st.booleans()),
    st.tuples(st.just("insert_col"), st.integers(0, 10)),
    st.tuples(st.just("edit"), st.integers(0, 40), st.sampled_from(["Karin", "Ali 🙂", "=1+1", "Åsa Öberg"])),
    st.tuples(st.just("move_col"), st.integers(0, 10), st.integers(0, 10)),
    st.tuples(st.just("rename"),),
)
PHASES = st.sampled_from(["boards", "before_write", "at_write", "after"])


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phase=PHASES, op=OPS)
def test_whatever_a_person_does_during_a_sync_nothing_lands_in_another_row_and_nothing_is_lost(world, monkeypatch, phase, op):
    kind, settings_, place, base, snapshot, people, control = world
    _restore(kind, place, base, snapshot)
    before = {r["ID"]: r for r in records(place.grid("Idéer")) if r["ID"]}
    done: list[bool] = []

    def person(*_args):
        if not done:
            done.append(True)
            before.update({r["ID"]: r for r in records(place.grid("Idéer")) if r["ID"]})  # what the person saw
            place.person(op, *_args)

    def progress(said: object) -> None:
        line = str(said)  # a progress line is said in the reader's language when read (i18n.Later)
        if (phase == "boards" and "hämtar tavlan" in line) or (phase == "before_write" and line.startswith("skriver")):
            person()

    if phase == "at_write" and kind == "google":
        place.fake.hold_next("values:batchUpdate", person)
    if phase == "at_write" and kind == "xlsx":
        real = workbook_module._save
        monkeypatch.setattr(workbook_module, "_save", lambda book, path: (person(), real(book, path)))
    if kind == "google":
        place.fake.clear_log()
    Backbone(settings_).sync(progress=progress)
    if kind == "google":  # shown by --hypothesis-show-statistics: how often the repair path ran
        writes = [r for r in place.fake.api_requests() if r.path.endswith("values:batchUpdate")]
        event(f"{phase} {op[0]}: {'repaired' if len(writes) > 1 else 'landed'}")
    if phase == "after":
        person()
        Backbone(settings_).sync()
    monkeypatch.undo()

    after = records(place.grid("Idéer"))
    ids = Counter(r["ID"] for r in after if r["ID"])
    deleted = None
    if op[0] == "delete_row":  # which row the person removed: the one now missing (or written back)
        deleted = next((i for i in before if ids[i] == 0), None)
    for row_id in control:
        if row_id == deleted:
            assert ids[row_id] <= 1
            continue
        assert ids[row_id] == 1, (row_id, ids[row_id])
    assert set(ids) <= set(control), set(ids) - set(control)
    for row in after:
        if row["ID"]:
            assert {k: row[k] for k in SYNCED} == control[row["ID"]], row
    for row_id, value in people.items():
        if row_id != deleted and not (op[0] == "edit" and before.get(row_id, {}).get("Ansvarig") != value):
            assert next(r for r in after if r["ID"] == row_id)["Ansvarig"] in (value, op[-1] if op[0] == "edit" else value)
    if op[0] == "edit":
        assert op[2] in [r.get("Ansvarig") for r in after]
    assert not [r for r in after if not r["ID"] and any(r[k] for k in SYNCED)]  # no orphaned sync-owned cells
