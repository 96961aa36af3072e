"""`backbone sync` with BACKBONE_BOARDS=mural: live boards into the sheet, snapshots, failures per workshop."""
from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import time
import zlib
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.mural.mural_config import MURAL  # noqa: E402
from sync.adapters.signin.tokens import Tokens, TokenStore
from sync.bootstrap import Backbone
from sync.entry.cli.main import main
from tests.fakes.mural_api import FakeMural

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
LIVE_ID = "biskopsgarden2021.1620111600000"
DENIED_ID = "biskopsgarden2021.1622505600000"


def example_widgets() -> list[dict]:
    pages = json.loads((EXAMPLE / "boards" / f"{LIVE_ID}.json").read_text("utf-8"))
    return [w for page in pages for w in page["value"]]


@pytest.fixture
def live(tmp_path: Path):
    place = tmp_path / "place"
    shutil.copytree(EXAMPLE, place)
    shutil.rmtree(place / "boards")
    book = openpyxl.load_workbook(place / "plan.xlsx")
    ci3 = next(row for row in book["Workshops"].iter_rows(min_row=2) if row[0].value == "ci3")  # the example's
    ci3[4].value = DENIED_ID  # its Mural cell: a board this account may not read
    book.save(place / "plan.xlsx")
    with FakeMural(page_size=10, rotate_refresh=False) as fake:
        fake.add_board(LIVE_ID, example_widgets(), title="CI Biskopsgården WS2", updated_on=1620130000000)
        fake.add_board(DENIED_ID, [], title="WS3")
        fake.deny(DENIED_ID, 403)
        settings = fake.settings(place / "var" / "mural-token.json")
        settings = dataclasses.replace(settings, sheet=f"xlsx:{place / 'plan.xlsx'}", boards="mural",
                                       state=str(place / "var" / "backbone.sqlite3"), reports_dir=str(place / "reports"),
                                       http_retries=2)
        issued = fake.issue_tokens(expires_in=-60)  # the stored access token has already expired
        TokenStore(settings.mural_token_file, MURAL).save(Tokens(issued["access_token"], issued["refresh_token"], time.time() - 60))
        yield fake, settings, place


def ideas(place: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(place / "plan.xlsx")["Idéer"].iter_rows(min_row=2, values_only=True))


@pytest.mark.slow
def test_nightly_sync_brings_a_live_board_in_and_records_the_denied_one(live):
    fake, settings, place = live
    result = Backbone(settings).sync()
    assert result.result == "partial" and result.synced == ["ci2"]
    assert result.failures[0][0] == "ci3" and DENIED_ID in result.failures[0][1]
    assert len(ideas(place)) == 31
    log = list(openpyxl.load_workbook(place / "plan.xlsx")["Synklogg"].iter_rows(values_only=True))
    assert log[1][2] == "delvis klar" and "ci3" in log[1][7]
    assert Backbone(settings).state.runs()[0].result == "partial"
    # The board has not changed since: its widgets are not downloaded again.
    before = len(fake.api_requests("/widgets"))
    Backbone(settings).sync()
    assert len(fake.api_requests("/widgets")) == before
    assert len(ideas(place)) == 31


@pytest.mark.slow
def test_an_edited_live_board_flows_in_and_every_pull_is_archived(live):
    fake, settings, place = live
    Backbone(settings).sync()
    sticky = next(w for w in fake.boards[LIVE_ID].widgets
                  if w.get("type") == "sticky note" and "Budget" in (w.get("text") or "") + (w.get("htmlText") or ""))
    sticky["text"], sticky["htmlText"] = "Budget 2022", "<p>Budget 2022</p>"
    fake.touch(LIVE_ID)
    Backbone(settings).sync()
    assert any(row[4] == "Budget 2022" for row in ideas(place))
    assert len(Backbone(settings).state.snapshots(LIVE_ID)) == 2


@pytest.mark.slow
def test_pull_history_and_reading_a_snapshot_through_the_cli(live, capsys, monkeypatch):
    fake, settings, place = live
    for key, value in {"BACKBONE_MURAL_API_URL": settings.mural_api_url, "BACKBONE_MURAL_CLIENT_ID": settings.mural_client_id,
                       "BACKBONE_MURAL_CLIENT_SECRET": settings.mural_client_secret, "BACKBONE_MURAL_TOKEN_FILE": settings.mural_token_file,
                       "BACKBONE_STATE": settings.state}.items():
        monkeypatch.setenv(key, value)
    out = place / "pulled.json"
    url = "https://app.mural.co/t/biskopsgarden2021/m/biskopsgarden2021/1620111600000/abc"
    assert main(["--settings", str(place / "settings.env"), "mural", "pull", url, "--out", str(out)]) == 0
    line = capsys.readouterr().out
    assert line.startswith("'CI Biskopsgården WS2' (biskopsgarden2021.1620111600000): 67 objekt, 48 lappar -> ") and out.is_file()
    assert main(["--settings", str(place / "settings.env"), "board", str(out), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["actions"]) == 5
    assert main(["--settings", str(place / "settings.env"), "mural", "history", LIVE_ID]) == 0
    history = capsys.readouterr().out
    assert history.splitlines()[0].split() == ["#", "hämtad", "(UTC)", "tavlan", "ändrad", "(UTC)", "objekt"]
    assert history.splitlines()[-1] == "Läs en med `backbone board --snapshot N`."
    snapshot_id = int(history.splitlines()[1].split()[0])
    assert main(["--settings", str(place / "settings.env"), "board", "--snapshot", str(snapshot_id)]) == 0
    assert "Lokal förankring" in capsys.readouterr().out
    assert issued_token_not_printed(fake, capsys)


def issued_token_not_printed(fake: FakeMural, capsys) -> bool:
    printed = capsys.readouterr()
    return not any(token in printed.out + printed.err for token in fake.valid_refresh_tokens())


def test_a_dry_run_with_live_boards_archives_nothing(live):
    fake, settings, place = live
    result = Backbone(settings).sync(dry_run=True)
    assert result.counts()["new"] == 35 and result.result == "dry-run"  # 36 notes, one already curated in Idéer
    assert not Path(settings.state).exists()


@pytest.mark.slow
def test_the_recap_of_a_deleted_board_comes_from_its_archived_snapshot(live, capsys, monkeypatch):
    fake, settings, place = live
    Backbone(settings).sync()
    fake.deny(LIVE_ID, 404)  # the board was deleted in MURAL
    files = Backbone(settings).report("ci2", out=place / "recap.docx")
    assert "; sammanfattningen använder ögonblicksbilden som arkiverades 20" in files.notes[0] and LIVE_ID in files.notes[0]
    import docx
    text = "\n".join(p.text for p in docx.Document(str(files.docx)).paragraphs)
    assert "Lokal förankring" in text and "Medborgardialoger" in text
    fake.deny(DENIED_ID, 404)
    with pytest.raises(Exception, match=DENIED_ID):  # never archived: nothing to fall back on
        Backbone(settings).report("ci3")


@pytest.mark.slow
def test_a_forgotten_person_stays_out_of_live_pulls_the_archive_and_a_pulled_file(live):
    """Issue 20 with live boards: after `forget`, the board in MURAL still names Amira Hassan; the snapshots each
    sync archives, the Författare column (BACKBONE_AUTHORS=name) and a `mural pull` file do not."""
    from sync.entry.cli.command_output import forget_command

    fake, settings, place = live
    settings = dataclasses.replace(settings, authors="name")
    Backbone(settings).sync()
    assert "Amira Hassan" in {row[5] for row in ideas(place)}
    forget_command(Backbone(settings), "Amira Hassan", True)
    Backbone(settings).sync()  # unchanged: served from the (cut) snapshot
    sticky = next(w for w in fake.boards[LIVE_ID].widgets if (w.get("createdBy") or {}).get("id") == "amirahassan2128")
    sticky["text"], sticky["htmlText"] = "Fråga Amira Hassan", "<p>Fråga Amira Hassan</p>"
    fake.touch(LIVE_ID)
    app = Backbone(settings)
    app.sync()  # changed: downloaded and archived again
    fake.touch(LIVE_ID)  # so the pull downloads the board rather than reuse the snapshot
    path = Path(app.mural_pull(LIVE_ID, place / "pulled.json").rsplit("-> ", 1)[1])
    with sqlite3.connect(app.state.path) as db:  # as stored, not as the store serves them
        archived = [zlib.decompress(blob).decode("utf-8") for (blob,) in db.execute("SELECT export FROM snapshots")]
    kept = "\n".join(archived) + path.read_text("utf-8")
    assert len(archived) == 3 and "amira" not in kept.casefold() and "hassan" not in kept.casefold()
    assert "Fråga [namn borttaget]" in kept
    assert "Amira Hassan" not in {row[5] for row in ideas(place)} and "Fråga [namn borttaget]" in {row[4] for row in ideas(place)}
