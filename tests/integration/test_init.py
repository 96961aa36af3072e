"""`backbone init`: a planning sheet from scratch, as a local workbook and in Google Sheets (the real gspread
client against the loopback fake of the Sheets API)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sync.bootstrap import Backbone
from sync.core.sheet.tabs import ACTIONS, ATTENDEES, IDEAS, SYNC_LOG, WORKSHOPS
from sync.entry.cli.main import main
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG"
ACCOUNT = "backbone-sync@ci-biskopsgarden.iam.gserviceaccount.com"
TABS = ["Workshops", "Idéer", "Åtgärder", "Deltagare", "Synklogg"]
HEADERS = {s.title: [c.header for c in s.columns] for s in (WORKSHOPS, IDEAS, ACTIONS, ATTENDEES, SYNC_LOG)}
NEXT = ("Nästa steg: skriv en rad per workshop i fliken Workshops (ID, Titel, Datum och tavlans MURAL-adress i "
        "Mural), och kör sedan `backbone sync`")


def backbone(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_")}
    return subprocess.run([sys.executable, "-m", "sync.entry.cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=clean)


def test_init_makes_a_workbook_with_every_tab_header_frozen_row_and_the_status_drop_down(tmp_path, monkeypatch, capsys):
    (tmp_path / "settings.env").write_text("BACKBONE_SHEET=xlsx:plan.xlsx\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKBONE_LANGUAGE", raising=False)
    assert main(["init"]) == 0
    assert capsys.readouterr().out == (
        f"Skapade {tmp_path / 'plan.xlsx'} med flikarna Workshops, Idéer, Åtgärder, Deltagare, Synklogg: rubrikrader, "
        f"låsta rubriker och rullistan för Status\n"
        f"Skapade mappen {tmp_path / 'boards'} för tavlornas exportfiler (`backbone mural pull` sparar dem där)\n"
        f"{NEXT}\n")
    assert (tmp_path / "boards").is_dir()  # the default BACKBONE_BOARDS=files:boards, so the next sync finds it
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert book.sheetnames == TABS
    for title in TABS:
        assert [c.value for c in book[title][1]] == HEADERS[title], title
        assert book[title].freeze_panes == "A2", title
        assert book[title].max_row == 1
    rules = book["Åtgärder"].data_validations.dataValidation
    status = openpyxl.utils.get_column_letter(HEADERS["Åtgärder"].index("Status") + 1)
    assert len(rules) == 1 and rules[0].type == "list" and status in str(rules[0].sqref)
    assert "Ej påbörjad,Pågår,Klar,Stoppad" in rules[0].formula1
    # Again: the tabs are there, nothing is written.
    before = (tmp_path / "plan.xlsx").read_bytes()
    assert main(["init"]) == 0
    assert capsys.readouterr().out == (f"{tmp_path / 'plan.xlsx'} har redan alla flikar: inget att göra. "
                                       "Nästa steg: `backbone sync`\n")
    assert (tmp_path / "plan.xlsx").read_bytes() == before


EMPTY_NOTE = ("obs: fliken Workshops har inga workshoppar än: skriv en rad per workshop (ID, Titel, Datum, Mural) och kör "
              "`backbone sync` igen")


def test_a_sync_after_init_says_the_workshops_tab_is_empty_until_it_has_a_workshop(tmp_path, monkeypatch, capsys):
    import shutil
    (tmp_path / "settings.env").write_text("BACKBONE_SHEET=xlsx:plan.xlsx\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKBONE_LANGUAGE", raising=False)
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["sync"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("Synk lyckades: 0 nya, 0 ändrade") and said[1:] == [EMPTY_NOTE]
    assert main(["sync", "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [EMPTY_NOTE]

    (tmp_path / "settings.env").write_text("BACKBONE_SHEET=xlsx:plan.xlsx\nBACKBONE_LANGUAGE=en\n", "utf-8")
    assert main(["sync"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "note: the Workshops tab has no workshops yet: write one row per workshop (ID, Titel, Datum, Mural) and run "
        "`backbone sync` again"]

    # With a workshop in the tab the note is gone.
    (tmp_path / "settings.env").write_text("BACKBONE_SHEET=xlsx:plan.xlsx\n", "utf-8")
    for board in (EXAMPLE / "boards").iterdir():
        shutil.copy(board, tmp_path / "boards")
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    row = {"ID": "ci2", "Titel": "Collective Impact 2", "Datum": "2021-05-04",
           "Mural": "https://app.mural.co/t/biskopsgarden2021/m/biskopsgarden2021/1620111600000/"}
    book["Workshops"].append([row.get(h) for h in HEADERS["Workshops"]])
    book.save(tmp_path / "plan.xlsx")
    assert main(["sync"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Synk lyckades: 36 nya") and "obs:" not in said


@pytest.mark.subprocess
def test_an_empty_workbook_gets_the_tabs_and_one_with_data_is_refused(tmp_path):
    (tmp_path / "settings.env").write_text("BACKBONE_SHEET=xlsx:plan.xlsx\n", "utf-8")
    empty = openpyxl.Workbook()
    empty.active.title = "Blad1"
    empty.save(tmp_path / "plan.xlsx")  # what Excel's "new workbook" gives
    done = backbone(["init"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (f"La till 5 flikar i {tmp_path / 'plan.xlsx'}: Workshops, Idéer, Åtgärder, "
                                           "Deltagare, Synklogg")
    assert openpyxl.load_workbook(tmp_path / "plan.xlsx").sheetnames == ["Blad1", *TABS]

    (tmp_path / "plan.xlsx").write_bytes((EXAMPLE / "plan.xlsx").read_bytes())
    before = (tmp_path / "plan.xlsx").read_bytes()
    done = backbone(["init"], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == (f"backbone: fel: {tmp_path / 'plan.xlsx'}: arbetsboken finns redan och har innehåll; backbone "
                           "init skriver aldrig över en arbetsbok: kör `backbone sync` på den (den lägger till flikarna "
                           "och kolumnerna den behöver), eller ange en ny fil i BACKBONE_SHEET\n")
    assert (tmp_path / "plan.xlsx").read_bytes() == before


@pytest.mark.subprocess
def test_sync_on_a_missing_workbook_says_to_run_init(tmp_path):
    (tmp_path / "settings.env").write_text("BACKBONE_SHEET=xlsx:plan.xlsx\n", "utf-8")
    (tmp_path / "boards").mkdir()  # the boards are there (BACKBONE_BOARDS=files:boards): only the workbook is missing
    done = backbone(["sync"], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"backbone: fel: {tmp_path / 'plan.xlsx'}: arbetsboken finns inte; skapa den med `backbone init`, eller "
        "kontrollera BACKBONE_SHEET (xlsx:SÖKVÄG)")
    assert not (tmp_path / "plan.xlsx").exists()


@pytest.fixture
def google(tmp_path: Path, private_key: str):
    with FakeSheetsServer(KEY, title="CI planering", tabs=("Blad1",)) as fake:
        credentials = service_account_file(tmp_path / "service-account.json", private_key, fake.token_uri, ACCOUNT)
        settings = Settings(sheet=f"gsheet:{KEY}", google_credentials=str(credentials), sheets_api_url=fake.url,
                            boards=f"files:{EXAMPLE / 'boards'}", state=str(tmp_path / "state.sqlite3"),
                            reports_dir=str(tmp_path / "reports"), http_timeout=5)
        yield fake, settings


@pytest.mark.slow
def test_init_adds_the_missing_tabs_to_a_google_spreadsheet_with_their_guides(google):
    fake, settings = google
    fake.set_values("Deltagare", [["Namn", "Organisation", "Workshop"], ["Anna", "RISE", "ci1"]])  # people's, kept
    fake.clear_log()
    done = Backbone(settings).init()
    assert (done.created, done.added) == (False, ("Workshops", "Idéer", "Åtgärder", "Synklogg"))
    assert len(fake.api_requests()) <= 4, [(r.method, r.path) for r in fake.api_requests()]
    assert fake.titles() == ["Blad1", "Deltagare", "Workshops", "Idéer", "Åtgärder", "Synklogg"]
    book = fake.spreadsheet(KEY)
    for title in ("Workshops", "Idéer", "Åtgärder", "Synklogg"):
        assert fake.values(title) == [HEADERS[title]], title
        assert book.sheet(title).frozen_rows == 1, title
    assert fake.values("Deltagare") == [["Namn", "Organisation", "Workshop"], ["Anna", "RISE", "ci1"]]
    rule = book.validation_at("Åtgärder", 1, HEADERS["Åtgärder"].index("Status"))
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]][:4] == ["Ej påbörjad", "Pågår", "Klar", "Stoppad"]
    assert any(p["warningOnly"] for p in book.sheet("Idéer").protected)  # sync's columns warn a person editing them
    fake.clear_log()
    again = Backbone(settings).init()
    assert again.added == () and again.headed == ()
    assert [r for r in fake.api_requests() if r.method != "GET"] == []  # nothing written the second time


@pytest.mark.slow
def test_after_init_a_google_sync_brings_the_board_in(google):
    fake, settings = google
    Backbone(settings).init()
    header = HEADERS["Workshops"]
    row = dict.fromkeys(header, "")
    row.update({"ID": "ci2", "Titel": "Collective Impact 2", "Datum": "2021-05-04",
                "Mural": "https://app.mural.co/t/biskopsgarden2021/m/biskopsgarden2021/1620111600000/"})
    fake.set_values("Workshops", [header, [row[h] for h in header]])
    result = Backbone(settings).sync()
    assert result.counts()["new"] == 36 and not result.failures
