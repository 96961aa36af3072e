"""Issue 10's crash cases that involve a service: a malformed Retry-After from MURAL or Google through the real
`backbone` command, a busy state database (waited for once), and the web page's line for a run that stopped."""
from __future__ import annotations

import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.mural.mural_config import MURAL  # noqa: E402
from sync.adapters.signin.tokens import Tokens, TokenStore
from sync.bootstrap import Backbone
from sync.core import crash
from sync.core.errors import BusyError, UnexpectedError
from sync.entry.web.access_log import configure_logging
from sync.entry.web.runner import SyncRunner
from sync.settings import load_settings
from tests.fakes.mural_api import FakeMural
from tests.fakes.service_account import service_account_file
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BACKBONE = Path(sys.executable).with_name("backbone")
LIVE_ID = "biskopsgarden2021.1620111600000"
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFG"
MALFORMED = ("soon", "1e1", "-1")


def run(where: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_")}
    return subprocess.run([str(BACKBONE), *args], cwd=where, env={**clean, **env}, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def place(tmp_path: Path) -> Path:
    where = tmp_path / "example"
    shutil.copytree(EXAMPLE, where)
    return where


def ideas(workbook: Path) -> int:
    return openpyxl.load_workbook(workbook)["Idéer"].max_row - 1


@pytest.mark.subprocess
def test_a_malformed_retry_after_from_mural_is_ignored_and_the_board_comes_in(place):
    pages = json.loads((place / "boards" / f"{LIVE_ID}.json").read_text("utf-8"))
    with FakeMural(page_size=50, rotate_refresh=False) as fake:
        fake.add_board(LIVE_ID, [w for page in pages for w in page["value"]], title="WS2", updated_on=1620130000000)
        issued = fake.issue_tokens(expires_in=3600)
        TokenStore(place / "var" / "mural-token.json", MURAL).save(Tokens(issued["access_token"], issued["refresh_token"],
                                                                    time.time() + 3600))
        for value in MALFORMED:
            fake.fail_next(1, 429, where="api", retry_after=value)
        done = run(place, {"BACKBONE_BOARDS": "mural", "BACKBONE_MURAL_API_URL": fake.url,
                           "BACKBONE_MURAL_CLIENT_ID": fake.client_id, "BACKBONE_MURAL_CLIENT_SECRET": fake.client_secret,
                           "BACKBONE_MURAL_TOKEN_FILE": "var/mural-token.json", "BACKBONE_HTTP_TIMEOUT": "5"}, "sync")
        refused = [fault.remaining for fault in fake._faults]
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert "Synk lyckades: 35 nya" in done.stdout
    assert refused == [0, 0, 0]  # the three 429s were answered, and retried rather than raised
    assert ideas(place / "plan.xlsx") == 31


@pytest.mark.subprocess
def test_a_malformed_retry_after_from_google_is_ignored_and_the_sheet_is_written(place, tmp_path, private_key):
    with FakeSheetsServer(KEY, title="CI Biskopsgården planering") as fake:
        load_xlsx(fake, str(EXAMPLE / "plan.xlsx"), KEY)
        credentials = service_account_file(tmp_path / "service-account.json", private_key, fake.token_uri)
        for value in MALFORMED:
            fake.fail_next(429, retry_after=value)
        done = run(place, {"BACKBONE_SHEET": f"gsheet:{KEY}", "BACKBONE_GOOGLE_CREDENTIALS": str(credentials),
                           "BACKBONE_SHEETS_API_URL": fake.url, "BACKBONE_HTTP_TIMEOUT": "5"}, "sync")
        titles = [sheet.title for sheet in fake.spreadsheet(KEY).sheets]
        refused = [fault.times for fault in fake.state.faults]
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert "Synk lyckades: 35 nya" in done.stdout and "Idéer" in titles
    assert refused == [0, 0, 0]  # each 429 was answered, and retried rather than raised


@pytest.mark.slow
def test_a_busy_state_database_is_waited_for_once_and_the_sheet_is_left_alone(place, caplog):
    settings = load_settings(str(place / "settings.env"))
    app = Backbone(settings)
    assert app.sync().result == "ok"  # creates the database
    app.state.busy_wait = 1.0
    before = (place / "plan.xlsx").read_bytes()
    holder = sqlite3.connect(place / "var" / "backbone.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the database
    try:
        started = time.monotonic()
        with pytest.raises(BusyError, match="tillståndsdatabasen är upptagen: ett annat program har hållit den"):
            app.sync()
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert 1.0 <= waited < 1.9  # one wait, not a second one to record the failure
    assert (place / "plan.xlsx").read_bytes() == before
    assert [r.result for r in app.state.runs()] == ["ok"]  # it could not be recorded there: said in the log
    assert any("not recorded in the state database" in r.getMessage() and "busy" in r.getMessage()
               for r in caplog.records)


def test_a_run_that_stops_on_an_unforeseen_error_is_recorded_and_the_page_shows_its_line(place, monkeypatch):
    def broken_plan(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("sync.usecases.sync_run.plan_sheet_update", broken_plan)
    before = (place / "plan.xlsx").read_bytes()
    runner = SyncRunner(Backbone(load_settings(str(place / "settings.env"))))
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("sync.entry.web").level)
    served_log = io.StringIO()
    configure_logging(True, served_log)  # as `backbone serve --log-json` logs
    try:
        status = runner.run("web")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.getLogger("sync.entry.web").setLevel(saved[2])
    entries = [json.loads(line) for line in served_log.getvalue().splitlines()]
    crashed = [e for e in entries if "exception" in e]
    assert crashed and "RecursionError: maximum recursion depth exceeded" in crashed[0]["exception"]  # for the log
    line = crash.run_line(RecursionError())
    assert status.result == "failed" and status.error == line
    assert "för djupt nästlad" in status.error and "oväntat fel" not in status.error
    [record] = runner.backbone.state.runs()
    assert record.result == "failed" and record.message == line
    log = list(openpyxl.load_workbook(place / "plan.xlsx")["Synklogg"].iter_rows(values_only=True))
    assert log[-1][2] == "misslyckades" and log[-1][7] == line  # the only change to the sheet: the run's log row
    assert ideas(place / "plan.xlsx") == ideas_in(before)


def ideas_in(workbook_bytes: bytes) -> int:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))["Idéer"].max_row - 1


def test_an_unforeseen_error_in_the_cli_is_one_line_and_recorded(place, monkeypatch, capsys):
    from sync.entry.cli.main import main

    monkeypatch.chdir(place)
    monkeypatch.setattr("sync.usecases.sync_run.plan_sheet_update", lambda *a, **k: {}["no such key"])
    assert main(["sync"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"backbone: fel: {crash.run_line(KeyError())}"
    assert "oväntat fel (KeyError)" in err[-1]
    state = Backbone(load_settings(str(place / "settings.env"))).state
    assert [r.result for r in state.runs()] == ["failed"]
    with pytest.raises(UnexpectedError):  # for the library's callers: a named error, the cause chained
        Backbone(load_settings(str(place / "settings.env"))).sync()
