"""Participants' names (issue 14), on both sheet backends: the .xlsx workbook, and Google Sheets through the real
gspread and google-auth talking to the stateful loopback fake of the Sheets API.

- BACKBONE_AUTHORS decides what the Författare column shows; with the defaults no name reaches the sheet's
  sync-owned columns or the recap;
- `backbone forget` leaves no trace of the name in the workbook, the state database or the reports folder;
- BACKBONE_KEEP_SNAPSHOTS prunes after each sync and never drops a board's newest snapshot.
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sqlite3
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.handed_out_files import docx_words
from sync.bootstrap import Backbone
from sync.core.sheet.tabs import ACTIONS, IDEAS, SYNC_LOG, WORKSHOPS, find_columns, find_tab
from sync.entry.cli.main import main
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BOARD_FILE = "biskopsgarden2021.1620111600000.json"
MURAL_ID = "biskopsgarden2021.1620111600000"
KEY = "1GdprGdprGdprGdprGdprGdprGdprGdprGdprGdprGd"
NAME = "Amira Hassan"


@dataclasses.dataclass
class Place:
    """One of the two backends with the example loaded, and how a test reads and edits its tabs."""
    kind: str
    root: Path
    settings: Settings
    fake: FakeSheetsServer | None = None

    def app(self, **changes) -> Backbone:
        return Backbone(dataclasses.replace(self.settings, **changes))

    def tab(self, title: str) -> list[list[str]]:
        if self.fake is not None:
            return [[str(v) for v in row] for row in self.fake.values(title, spreadsheet_id=KEY)]
        book = openpyxl.load_workbook(self.root / "plan.xlsx")
        return [["" if v is None else str(v) for v in row] for row in book[title].iter_rows(values_only=True)]

    def set_tab(self, title: str, rows: list[list[str]]) -> None:
        """A person edits the tab."""
        if self.fake is not None:
            self.fake.set_values(title, rows, spreadsheet_id=KEY)
            return
        book = openpyxl.load_workbook(self.root / "plan.xlsx")
        sheet = book[title]
        sheet.delete_rows(1, sheet.max_row)
        for row in rows:
            sheet.append(row)
        book.save(self.root / "plan.xlsx")

    def sheet_text(self) -> str:
        """Everything the sheet holds: every XML part of the workbook, or every tab of the spreadsheet."""
        if self.fake is not None:
            return json.dumps({t: self.fake.values(t, spreadsheet_id=KEY) for t in self.fake.titles(KEY)}, ensure_ascii=False)
        with zipfile.ZipFile(self.root / "plan.xlsx") as book:
            return "\n".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))

    def env(self, monkeypatch) -> None:
        for field in dataclasses.fields(self.settings):
            monkeypatch.setenv("BACKBONE_" + field.name.upper(), str(getattr(self.settings, field.name)))


@pytest.fixture(params=["xlsx", "gsheet"])
def place(request, tmp_path: Path, private_key: str):
    shutil.copytree(EXAMPLE / "boards", tmp_path / "boards")
    common = dict(boards=f"files:{tmp_path / 'boards'}", state=str(tmp_path / "var" / "state.sqlite3"),
                  reports_dir=str(tmp_path / "reports"), organisation="Collective Impact Biskopsgården")
    if request.param == "xlsx":
        shutil.copy(EXAMPLE / "plan.xlsx", tmp_path / "plan.xlsx")
        yield Place("xlsx", tmp_path, Settings(sheet=f"xlsx:{tmp_path / 'plan.xlsx'}", **common))
        return
    with FakeSheetsServer(KEY, title="CI Biskopsgården planering") as fake:
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        credentials = service_account_file(tmp_path / "service-account.json", private_key, fake.token_uri)
        yield Place("gsheet", tmp_path, Settings(sheet=f"gsheet:{KEY}", google_credentials=str(credentials),
                                                 sheets_api_url=fake.url, http_timeout=5, **common), fake)


def people(place: Place) -> set[str]:
    """Every person the example names: Deltagare, and the board's sticky authors."""
    names = {row[0] for row in place.tab("Deltagare")[1:] if row and row[0]}
    pages = json.loads((EXAMPLE / "boards" / BOARD_FILE).read_text("utf-8"))
    for widget in (w for page in pages for w in page["value"]):
        person = widget.get("createdBy") or {}
        names.add(" ".join(str(person.get(k) or "") for k in ("firstName", "lastName")).strip() or str(person.get("alias") or ""))
    return {n for n in names if n}


def sync_owned(place: Place) -> list[str]:
    """The values of every cell sync owns: Idéer and Åtgärder rows with an ID, Workshops' sync columns, Synklogg."""
    values = []
    for schema in (IDEAS, ACTIONS, WORKSHOPS, SYNC_LOG):
        rows = place.tab(find_tab(schema, [schema.title]) or schema.title)
        columns = find_columns(dataclasses.replace(schema, required=frozenset()), rows[0], schema.title)
        for row in rows[1:]:
            values += [row[i] for key, i in columns.items() if key in schema.synced and i < len(row)]
    return values


def authors(place: Place) -> dict[str, str]:
    rows = place.tab("Idéer")
    return {r[0]: r[rows[0].index("Författare")] if len(r) > rows[0].index("Författare") else "" for r in rows[1:]}


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as document:
        xml = " ".join(document.read(n).decode("utf-8") for n in document.namelist() if n.endswith(".xml"))
    return docx_words(xml)


@pytest.mark.slow
def test_with_the_default_settings_no_name_reaches_the_sheets_sync_columns_or_the_recap(place):
    names = people(place)
    assert NAME in names and len(names) > 20
    app = place.app()
    assert app.sync().counts()["new"] == 35  # the example curates one row already
    report = app.report("ci2")
    owned = "\n".join(sync_owned(place)).casefold()
    recap = docx_text(report.docx).casefold()
    assert "sammanlagt 23 engagerade intressenter från 20 olika organisationer deltog." in recap  # attendance is counted
    assert [n for n in names if n.casefold() in owned] == []
    assert [n for n in names if n.casefold() in recap] == []
    assert set(authors(place).values()) == {""}


@pytest.mark.parametrize("mode", ["initials", "organisation", "name"])
def test_each_author_setting_fills_the_author_column_and_a_hidden_owner_stays_hidden(place, mode):
    board_file = place.root / "boards" / BOARD_FILE
    pages = json.loads(board_file.read_text("utf-8"))
    amiras = [w for p in pages for w in p["value"] if (w.get("createdBy") or {}).get("lastName") == "Hassan"
              and w["type"] == "sticky note"]
    amiras[0]["hideOwner"] = True  # MURAL's "hide the owner": the name is still in the export, and must not show
    board_file.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    place.app(authors=mode).sync()
    shown = authors(place)
    expected = {"initials": "A.H.", "organisation": "Västra Hisingen Basket", "name": NAME}[mode]
    assert shown[amiras[0]["id"]] == ""
    others = [shown[w["id"]] for w in amiras[1:] if w["id"] in shown]  # notes in an action group have no row
    assert others and others == [expected] * len(others)
    organisations = {row[1] for row in place.tab("Deltagare")[1:]}
    if mode == "organisation":
        assert set(shown.values()) - {""} <= organisations
    if mode == "initials":
        assert all(re.fullmatch(r"(\w\.)*", value) for value in shown.values())


def _state_text(path: Path) -> str:
    """The database's files' bytes (a journal or write-ahead log beside it too), and every archived snapshot
    decompressed (they are stored zlib-packed)."""
    raw = "".join(f.read_bytes().decode("utf-8", "replace") for f in path.parent.glob(path.name + "*") if f.is_file())
    with sqlite3.connect(path) as db:
        blobs = [zlib.decompress(b).decode("utf-8") for (b,) in db.execute("SELECT export FROM snapshots")]
    return raw + "\n".join(blobs)


def _traces(text: str) -> list[str]:
    """The name in any form backbone could have kept it: written out, or as MURAL's user id."""
    return [form for form in (NAME, "amirahassan", "Amira\",") if form.casefold() in text.casefold()]


@pytest.mark.slow
def test_forget_leaves_no_trace_of_the_name_in_anything_backbone_controls(place, monkeypatch, capsys):
    app = place.app(authors="name")
    app.sync()
    # The archive: two pulls of the live board, and a third differing from the first only in the person.
    pages = json.loads((place.root / "boards" / BOARD_FILE).read_text("utf-8"))
    export = {"value": [w for p in pages for w in p["value"]], "mural": {"id": MURAL_ID, "title": "CI 2", "updatedOn": 1},
              "tags": []}
    app.state.save(MURAL_ID, export, 1, time.time() - 3 * 86400)
    renamed = json.loads(json.dumps(export).replace("amirahassan2128", "amirahassan9999"))
    app.state.save(MURAL_ID, renamed, 2, time.time() - 2 * 86400)
    # A person corrects a note and adds a column naming her; the board changes the same note: a conflict is recorded.
    ideas = place.tab("Idéer")
    header = ideas[0] + ["Kontakt"]
    text_col = header.index("Text")
    row = next(r for r in ideas[1:] if r[header.index("Författare")] == NAME)
    row += [""] * (len(header) - len(row))
    row[text_col], row[-1] = f"{row[text_col]} – fråga {NAME}", NAME
    ideas[0] = header
    place.set_tab("Idéer", ideas)
    note = next(w for p in pages for w in p["value"] if w["id"] == row[0])
    note["text"], note["htmlText"] = "Ny text från tavlan", ""
    (place.root / "boards" / BOARD_FILE).write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    assert app.sync().counts()["conflicts"] == 1
    app.report("ci2")
    state = Path(place.settings.state)
    assert _traces(_state_text(state)) and NAME in place.sheet_text()  # the test can fail: she is there now

    # The dry run (the default) changes nothing anywhere.
    before = (state.read_bytes(), place.sheet_text())
    place.env(monkeypatch)
    assert main(["forget", NAME.lower()]) == 0
    dry = capsys.readouterr().out
    assert (state.read_bytes(), place.sheet_text()) == before
    assert "Provkörning: inget ändrades" in dry and "Deltagare, rad 2, kolumnen 'Namn'" in dry
    assert "kolumnen 'Kontakt'" in dry and "kolumnen 'Författare' -> ''" in dry
    assert "sammanfattning.docx" in dry  # the recap quotes the person's correction: listed, to write again

    assert main(["forget", NAME.lower(), "--apply"]) == 0
    done = capsys.readouterr().out
    assert "borttaget från" in done and "2 arkiverade ögonblicksbilder (1 slogs ihop med en likadan)" in done
    # What the summary listed for a human: the Deltagare rows and the people's column. They delete them.
    assert "Deltagare, rad 2, kolumnen 'Namn'" in done and "kolumnen 'Kontakt'" in done
    place.set_tab("Deltagare", [r for r in place.tab("Deltagare") if r[0] != NAME])
    ideas = place.tab("Idéer")
    place.set_tab("Idéer", [[("" if v == NAME else v) for v in r] for r in ideas])
    app.report("ci2")  # written again, as the summary advised

    assert _traces(place.sheet_text()) == []
    assert _traces(_state_text(state)) == []
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA freelist_count").fetchone() == (0,)  # no freed page keeps old text
        (count,) = db.execute("SELECT COUNT(*) FROM snapshots").fetchone()
    assert count == 1
    for path in Path(place.settings.reports_dir).rglob("*"):
        assert _traces(docx_text(path) if path.suffix == ".docx" else path.read_text("utf-8", "replace")) == []
    # Her words stay, marked; the people's correction stays people's; the archive still reads.
    assert any("fråga [namn borttaget]" in r[text_col] for r in place.tab("Idéer")[1:])
    archived = app.state.snapshot(app.state.snapshots(MURAL_ID)[0].id)[1]
    assert len(archived["value"]) == len(export["value"])


def test_forget_refuses_a_name_too_short_to_be_safe(place, monkeypatch, capsys):
    place.env(monkeypatch)
    assert main(["forget", "Bo", "--apply"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Bo': ange personens namn som det skrivs, minst 3 bokstäver" in err
    assert "Traceback" not in err
    monkeypatch.setenv("BACKBONE_LANGUAGE", "en")
    assert main(["forget", "Bo", "--apply"]) == 2
    assert "'Bo': give the person's name as it is written, at least 3 letters" in capsys.readouterr().err


@pytest.mark.parametrize("keep,kept", [("1", {3, 5}), ("90d", {2, 3, 5})])
def test_each_sync_prunes_old_snapshots_but_never_a_boards_newest(place, keep, kept):
    app = place.app(keep_snapshots=keep)
    now = time.time()
    for number, (mural_id, age_days) in enumerate([("ws.a", 200), ("ws.a", 30), ("ws.a", 1), ("ws.b", 500), ("ws.b", 400)], 1):
        app.state.save(mural_id, {"value": [{"id": f"w{number}", "type": "sticky note"}]}, number, now - age_days * 86400)
    app.state.save("ws.b", {"value": [{"id": "w5", "type": "sticky note"}]}, 5, now - 400 * 86400)  # seen again: no new row
    with sqlite3.connect(app.state.path) as db:
        oldest = db.execute("SELECT export FROM snapshots WHERE id = 1").fetchone()[0]
    app.sync()
    remaining = {s.id for board in ("ws.a", "ws.b") for s in app.state.snapshots(board)}
    assert remaining == kept
    assert oldest not in Path(app.state.path).read_bytes()  # gone from the file, not only from the table
    assert app.state.latest("ws.b")[0] == 5  # the only snapshot of ws.b, 400 days old, is still served


def test_a_wrong_retention_setting_is_one_line_and_exit_2(place, monkeypatch, capsys):
    place.env(monkeypatch)
    monkeypatch.setenv("BACKBONE_KEEP_SNAPSHOTS", "3 months")
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "BACKBONE_KEEP_SNAPSHOTS='3 months'" in err
