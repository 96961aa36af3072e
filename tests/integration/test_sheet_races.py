"""Directed races and people's habits, on the real backends: a row inserted at the moment the write request
arrives (Google: verified and repaired in the same run), a save landing during the workbook's save, a
symlinked workbook, a sync killed mid-save, a renamed Idéer tab, conflicts in Konflikter, two workshops on
one board."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.xlsx import workbook_sheet as workbook_module
from sync.bootstrap import Backbone
from sync.core.errors import BusyError
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
KEY = "races-spreadsheet-0123456789abcdefghijklmnop"


def records(grid):
    header = grid[0]
    return [dict(zip(header, list(r) + [""] * (len(header) - len(r)))) for r in grid[1:]]


@pytest.fixture
def google(tmp_path, private_key):
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    with FakeSheetsServer(KEY) as fake:
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        service_account_file(tmp_path / "sa.json", private_key, fake.token_uri)
        yield fake, Settings(sheet=f"gsheet:{KEY}", google_credentials=str(tmp_path / "sa.json"), sheets_api_url=fake.url,
                             boards=f"files:{tmp_path / 'ex' / 'boards'}", state=str(tmp_path / "state.sqlite3"), http_timeout=5)


@pytest.fixture
def workbook(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    return tmp_path / "ex" / "plan.xlsx", Settings(sheet=f"xlsx:{tmp_path / 'ex' / 'plan.xlsx'}",
                                                   boards=f"files:{tmp_path / 'ex' / 'boards'}",
                                                   state=str(tmp_path / "state.sqlite3"))


def new_notes(boards: Path, texts: list[str]) -> None:
    path = next(boards.glob("*.json"))
    pages = json.loads(path.read_text("utf-8"))
    widgets = [w for p in pages for w in p["value"]]
    first = next(w for w in widgets if w.get("type") == "sticky note")
    widgets += [dict(first, id=f"0-17000000000{i:02d}", text=t, htmlText="") for i, t in enumerate(texts)]
    path.write_text(json.dumps([{"value": widgets}], ensure_ascii=False), "utf-8")


@pytest.mark.slow
def test_google_a_row_inserted_as_the_write_arrives_is_repaired_in_the_same_run(google, tmp_path):
    fake, settings = google
    Backbone(settings).sync()
    first = records(fake.values("Idéer"))
    new_notes(tmp_path / "ex" / "boards", ["Läxhjälp", "Fler bänkar"])
    book = fake.spreadsheet(KEY)

    def person(spreadsheet):  # a blank row inserted under the header, just before Google applies our write
        sheet = spreadsheet.sheet("Idéer")
        spreadsheet.batch_update({"requests": [{"insertDimension": {"range": {
            "sheetId": sheet.sheet_id, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}}]})
    fake.hold_next("values:batchUpdate", person)
    fake.clear_log()
    app = Backbone(settings)
    sheet = app._new_sheet()
    result = Backbone(settings, sheet=sheet).sync()

    assert result.counts()["new"] == 2
    after = records(fake.values("Idéer"))
    ids = [r["ID"] for r in after if r["ID"]]
    assert len(ids) == len(set(ids)) == len(first) + 2  # nothing lost, nothing twice
    by_id = {r["ID"]: r for r in after}
    for old in first:
        assert by_id[old["ID"]]["Text"] == old["Text"]  # every old row still holds its own note
    assert {by_id["0-1700000000000"]["Text"], by_id["0-1700000000001"]["Text"]} == {"Läxhjälp", "Fler bänkar"}
    writes = [r.path for r in fake.api_requests() if r.method != "GET"]
    assert writes.count(f"/v4/spreadsheets/{KEY}/values:batchUpdate") == 2  # the write and one repair
    assert len(fake.api_requests()) <= 5 and sheet.stats.extra.get("repairs") == 1
    del book


@pytest.mark.slow
def test_google_requests_per_sync_first_and_nothing_new(google):
    fake, settings = google
    fake.clear_log()
    Backbone(settings).sync()
    first = len(fake.api_requests())
    fake.clear_log()
    Backbone(settings).sync()
    assert (first, len(fake.api_requests())) == (4, 3)
    sheet = fake.spreadsheet(KEY).sheet("Åtgärder")
    assert sheet.frozen_rows == 1 and any(p["warningOnly"] for p in sheet.protected)
    status = fake.values("Åtgärder")[0].index("Status")
    rule = fake.spreadsheet(KEY).validation_at("Åtgärder", 5, status)
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]][:4] == ["Ej påbörjad", "Pågår", "Klar", "Stoppad"]
    workshops = fake.values("Workshops")
    lappar, ci2 = workshops[0].index("Lappar"), next(i for i, r in enumerate(workshops) if r and r[0] == "ci2")
    count = fake.spreadsheet(KEY).sheet("Workshops").cells[(ci2, lappar)].value
    assert isinstance(count, int) and count > 0  # a number, not text


@pytest.mark.slow
def test_a_renamed_ideas_tab_is_found_again_and_conflicts_go_to_konflikter(google, tmp_path):
    fake, settings = google
    Backbone(settings).sync()
    book = fake.spreadsheet(KEY)
    book.sheet("Idéer").title = "Idéer (gamla)"
    grid = fake.values("Idéer (gamla)")
    text = grid[0].index("Text")
    row = next(i for i, r in enumerate(grid) if r[text] == "Budget")
    book.update_values(f"'Idéer (gamla)'!{chr(65 + text)}{row + 1}", [["Budget 2022"]], "RAW")
    path = next((tmp_path / "ex" / "boards").glob("*.json"))
    path.write_text(path.read_text("utf-8").replace('"Budget"', '"Budget för alla"').replace(">Budget<", ">Budget för alla<"), "utf-8")

    result = Backbone(settings).sync()

    assert "Idéer" not in fake.titles() and result.counts()["new"] == 0
    assert any("Idéer (gamla)" in w for w in result.warnings)
    assert len(Backbone(settings).planning().ideas) == 31  # recaps read the renamed tab too
    conflicts = records(fake.values("Konflikter"))
    assert [(c["Flik"], c["Kolumn"], c["Behållet värde"], c["Tavlans värde"]) for c in conflicts] == [
        ("Idéer (gamla)", "Text", "Budget 2022", "Budget för alla")]
    log = records(fake.values("Synklogg"))[-1]
    assert "Idéer (gamla)" in log["Meddelande"] and "Text" in log["Meddelande"]


@pytest.mark.slow
def test_two_workshops_on_one_board_warn_naming_both_and_nothing_churns(workbook):
    path, settings = workbook
    book = openpyxl.load_workbook(path)
    sheet = book["Workshops"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    mural = rows[0].index("Mural")
    ci2 = next(r for r in rows if r[0] == "ci2")
    sheet.append(["ci9", "Kopia"] + [None] * (mural - 2) + [ci2[mural]])
    book.save(path)
    first = Backbone(settings).sync()
    assert any("ci2" in w and "ci9" in w for w in first.warnings)
    again = Backbone(settings).sync()
    assert again.counts() == {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}
    assert {r["Workshop"] for r in records([[("" if v is None else str(v)) for v in r] for r in
                                            openpyxl.load_workbook(path)["Idéer"].iter_rows(values_only=True)])} == {"ci2"}


@pytest.mark.slow
def test_workbook_a_save_during_our_save_is_kept_and_the_plan_made_again(workbook, monkeypatch):
    path, settings = workbook
    real = workbook_module._save
    saves = []

    def someone_saves_meanwhile(book, target):
        if not saves:
            other = openpyxl.load_workbook(path)
            other["Workshops"].cell(2, 2).value = "Ny titel från Excel"
            other.save(path)
        saves.append(target)
        real(book, target)
    monkeypatch.setattr(workbook_module, "_save", someone_saves_meanwhile)
    result = Backbone(settings).sync()
    assert result.counts()["new"] == 35 and len(saves) == 2  # planned and saved again on the new file
    assert openpyxl.load_workbook(path)["Workshops"].cell(2, 2).value == "Ny titel från Excel"


def test_workbook_that_keeps_changing_is_a_busy_line_and_nothing_written(workbook, monkeypatch):
    path, settings = workbook
    real = workbook_module._save
    original = path.read_bytes()

    def always(book, target):
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
        real(book, target)
    monkeypatch.setattr(workbook_module, "_save", always)
    with pytest.raises(BusyError, match="ändrades 3 gånger under synken"):
        Backbone(settings).sync()
    assert path.read_bytes() == original
    assert not list(path.parent.glob(".plan.xlsx.*.tmp"))


def test_workbook_symlink_is_written_through_to_its_target(workbook, tmp_path):
    path, settings = workbook
    real = tmp_path / "synced-folder" / "plan.xlsx"
    real.parent.mkdir()
    shutil.move(path, real)
    path.symlink_to(real)
    Backbone(settings).sync()
    assert path.is_symlink() and path.resolve() == real
    assert "Idéer" in openpyxl.load_workbook(real).sheetnames


@pytest.mark.subprocess
def test_workbook_a_sync_killed_mid_save_leaves_the_file_whole_and_the_next_run_cleans_up(workbook, tmp_path):
    path, settings = workbook
    original = path.read_bytes()
    script = f"""
import os, sys, time
from sync.bootstrap import Backbone
from sync.settings import Settings
from sync.adapters.xlsx import workbook_sheet as workbook
real = workbook._save
def slow(book, target):
    real(book, target)
    print("saved", flush=True)
    time.sleep(60)
workbook._save = slow
Backbone(Settings(sheet={settings.sheet!r}, boards={settings.boards!r}, state={settings.state!r})).sync()
"""
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout.readline().strip() == "saved"
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    left = list(path.parent.glob(".plan.xlsx.*.tmp"))
    assert len(left) == 1 and path.read_bytes() == original
    old = time.time() - 3600
    os.utime(left[0], (old, old))
    Backbone(settings).sync()
    assert not list(path.parent.glob(".plan.xlsx.*.tmp"))
    assert "Idéer" in openpyxl.load_workbook(path).sheetnames


def test_workbook_gets_a_frozen_header_the_status_dropdown_and_a_numeric_note_count(workbook):
    path, settings = workbook
    Backbone(settings).sync()
    book = openpyxl.load_workbook(path)
    assert book["Idéer"].freeze_panes == "A2" and book["Åtgärder"].freeze_panes == "A2"
    actions = book["Åtgärder"]
    status = [c.value for c in actions[1]].index("Status")
    rules = actions.data_validations.dataValidation
    assert len(rules) == 1 and rules[0].type == "list" and "Ej påbörjad,Pågår,Klar,Stoppad" in rules[0].formula1
    assert openpyxl.utils.get_column_letter(status + 1) in str(rules[0].sqref)
    workshops = book["Workshops"]
    header = [c.value for c in workshops[1]]
    ci2 = next(r for r in workshops.iter_rows(min_row=2) if r[0].value == "ci2")
    assert isinstance(ci2[header.index("Lappar")].value, int)
    Backbone(settings).sync()  # added only when missing
    assert len(openpyxl.load_workbook(path)["Åtgärder"].data_validations.dataValidation) == 1


@pytest.mark.slow
def test_google_a_tab_renamed_as_the_write_arrives_is_written_under_its_new_name(google, tmp_path):
    fake, settings = google
    Backbone(settings).sync()
    new_notes(tmp_path / "ex" / "boards", ["Läxhjälp"])

    def person(spreadsheet):
        sheet = spreadsheet.sheet("Idéer")
        spreadsheet.batch_update({"requests": [{"updateSheetProperties": {
            "properties": {"sheetId": sheet.sheet_id, "title": "Idéer 2021"}, "fields": "title"}}]})
    fake.hold_next("values:batchUpdate", person)
    result = Backbone(settings).sync()
    assert result.counts()["new"] == 1 and "Idéer" not in fake.titles()
    assert "Läxhjälp" in [r["Text"] for r in records(fake.values("Idéer 2021"))]
    assert len(records(fake.values("Idéer 2021"))) == 32


def test_google_workshops_tab_under_an_alias_is_read_with_the_others(google):
    fake, settings = google
    fake.spreadsheet(KEY).sheet("Workshops").title = "Workshoppar"
    fake.clear_log()
    result = Backbone(settings).sync()
    assert result.counts()["new"] == 35  # the example curates one row already
    gets = [(r.path, r.status) for r in fake.api_requests() if r.method == "GET"]
    assert gets == [(f"/v4/spreadsheets/{KEY}", 400), (f"/v4/spreadsheets/{KEY}", 200),
                    (f"/v4/spreadsheets/{KEY}/values:batchGet", 200),  # the Workshops tab, with the others
                    (f"/v4/spreadsheets/{KEY}/values:batchGet", 200)]  # after the boards: the read to plan on


def test_google_workshops_sorted_as_the_write_arrives_keep_their_own_counts(google):
    fake, settings = google

    def person(spreadsheet):  # newest workshop first: ci2 moves to row 2, ci1 to row 3
        sheet = spreadsheet.sheet("Workshops")
        spreadsheet.batch_update({"requests": [{"sortRange": {
            "range": {"sheetId": sheet.sheet_id, "startRowIndex": 1, "endRowIndex": 3},
            "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}]}}]})
    fake.hold_next("values:batchUpdate", person)
    Backbone(settings).sync()
    rows = {r["ID"]: r for r in records(fake.values("Workshops"))}
    assert [r["ID"] for r in records(fake.values("Workshops"))] == ["ci2", "ci1", "ci3", "ci4"]
    assert int(rows["ci2"]["Lappar"]) > 0 and rows["ci2"]["Senast synkad"]
    assert rows["ci1"]["Lappar"] == "" and rows["ci1"]["Senast synkad"] == ""  # ci1 has no board: nothing of ci2's
    assert rows["ci1"]["Titel"] == "Collective Impact 1" and rows["ci2"]["Mural"].startswith("https://app.mural.co/")
