"""`backbone sync` and `backbone report` against Google Sheets: the real gspread client and google-auth
service-account sign-in, talking to the stateful loopback fake of the Sheets API."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from sync.bootstrap import Backbone
from sync.core.errors import AccessError
from sync.core.text import html_to_text
from sync.entry.cli.main import main
from sync.settings import Settings
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG"
ACCOUNT = "backbone-sync@ci-biskopsgarden.iam.gserviceaccount.com"


@pytest.fixture
def google(tmp_path: Path, private_key: str):
    shutil.copytree(EXAMPLE / "boards", tmp_path / "boards")
    with FakeSheetsServer(KEY, title="CI Biskopsgården planering") as fake:
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        book = fake.spreadsheet(KEY)  # a team that starts with only the tabs people fill: sync creates the rest
        book.sheets = [s for s in book.sheets if s.title in ("Workshops", "Deltagare")]
        credentials = service_account_file(tmp_path / "service-account.json", private_key, fake.token_uri, ACCOUNT)
        settings = Settings(sheet=f"gsheet:https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
                            google_credentials=str(credentials), sheets_api_url=fake.url, boards=f"files:{tmp_path / 'boards'}",
                            state=str(tmp_path / "state.sqlite3"), reports_dir=str(tmp_path / "reports"), http_timeout=5)
        yield fake, settings


def row(fake: FakeSheetsServer, tab: str, row_id: str) -> dict:
    rows = fake.values(tab)
    found = next(r for r in rows[1:] if r and r[0] == row_id)
    return dict(zip(rows[0], found + [""] * (len(rows[0]) - len(found))))


@pytest.mark.slow
def test_first_sync_costs_at_most_4_requests_and_a_sync_with_nothing_new_at_most_3(google):
    fake, settings = google
    fake.clear_log()
    first = Backbone(settings).sync()
    assert first.counts()["new"] == 36
    assert {"Idéer", "Åtgärder", "Synklogg"} <= set(fake.titles(KEY))
    assert len(fake.api_requests()) <= 4, [(r.method, r.path) for r in fake.api_requests()]
    fake.clear_log()
    second = Backbone(settings).sync()
    assert second.counts() == {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}
    assert len(fake.api_requests()) <= 3, [(r.method, r.path) for r in fake.api_requests()]
    writes = [r for r in fake.api_requests() if r.method != "GET"]
    assert len(writes) == 1 and "Synklogg" in json.dumps(writes[0].body, ensure_ascii=False)
    assert all(r.query.get("valueInputOption", ["RAW"]) == ["RAW"] and (r.body or {}).get("valueInputOption", "RAW") == "RAW"
               for r in writes)


@pytest.mark.slow
def test_peoples_edits_survive_and_board_edits_flow_in_on_google(google, tmp_path):
    fake, settings = google
    Backbone(settings).sync()
    ideas = fake.values("Idéer")
    header = ideas[0] + ["Ansvarig"]
    text_col = header.index("Text")
    budget = next(i for i, r in enumerate(ideas) if len(r) > text_col and r[text_col] == "Budget")
    ideas = [r + [""] * (len(header) - len(r)) for r in ideas]
    ideas[0] = header
    ideas[budget][text_col] = "Budget 2022"
    ideas[budget][header.index("Ansvarig")] = "Karin"
    ideas[1:] = sorted(ideas[1:], key=lambda r: r[text_col])  # sorted by a person
    fake.set_values("Idéer", ideas)
    board_file = next((tmp_path / "boards").glob("*.json"))
    pages = json.loads(board_file.read_text("utf-8"))
    note = next(w for p in pages for w in p["value"] if w.get("type") == "sticky note"
                and html_to_text(w.get("htmlText") or "") + (w.get("text") or "")
                in ("Medborgardialoger", "MedborgardialogerMedborgardialoger"))
    note["text"], note["htmlText"] = '=HYPERLINK("http://evil.example","klicka")', ""
    board_file.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    result = Backbone(settings).sync()
    assert result.counts()["changed"] == 1
    budget_id = next(r[0] for r in fake.values("Idéer")[1:] if r[text_col] == "Budget 2022")
    assert row(fake, "Idéer", budget_id)["Ansvarig"] == "Karin"
    changed = row(fake, "Idéer", note["id"])
    assert changed["Text"] == '=HYPERLINK("http://evil.example","klicka")'
    assert fake.values("Idéer", render="FORMULA")  # the fake keeps RAW text as text under every render


@pytest.mark.slow
def test_report_straight_from_google_sheets(google, capsys, monkeypatch, tmp_path):
    fake, settings = google
    app = Backbone(settings)
    app.sync()
    files = app.report("ci2")
    text = "\n".join(p.text for p in docx.Document(str(files.docx)).paragraphs)
    assert "Sammanlagt 23 engagerade intressenter från 20 olika organisationer deltog." in text


@pytest.mark.slow
def test_a_spreadsheet_not_shared_names_the_service_account(google, capsys, monkeypatch):
    fake, settings = google
    fake.deny(KEY)
    with pytest.raises(AccessError, match=ACCOUNT):
        Backbone(settings).sync()
    for name, value in {"BACKBONE_SHEET": settings.sheet, "BACKBONE_GOOGLE_CREDENTIALS": settings.google_credentials,
                        "BACKBONE_SHEETS_API_URL": settings.sheets_api_url, "BACKBONE_BOARDS": settings.boards,
                        "BACKBONE_STATE": settings.state}.items():
        monkeypatch.setenv(name, value)
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert ACCOUNT in err and "Traceback" not in err and "PRIVATE KEY" not in err
