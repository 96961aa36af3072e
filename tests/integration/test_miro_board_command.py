"""`backbone board` on a Miro export: its cards are actions (title, HUR, NÄR, VEM) as MURAL's HUR/NÄR/VEM are."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sync.adapters.sqlite.state_store import StateStore
from sync.entry.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "tests" / "data" / "miro" / "uXjVCards00=.json"


def test_a_card_in_a_frame_is_an_action_of_its_exercise(capsys):
    assert main(["board", str(CARDS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("Övning 3. Nästa steg")
    assert lines[start + 1:start + 7] == ["  (ingen grupp)  [1]", "    • Fler mötesplatser för unga",
                                          "  Boka lokal för uppstartsmötet", "    HUR: Fråga skolan om aulan",
                                          "    NÄR: 2023-09-01", "    VEM: Erik Söderström"]


def test_a_card_outside_every_frame_is_listed_too(capsys):
    assert main(["board", str(CARDS)]) == 0
    out = capsys.readouterr().out
    assert ("Prioriterade åtgärder  [1]\n  Skicka ut minnesanteckningar\n    HUR: –\n    NÄR: 2023-05-10\n    VEM: –"
            in out)
    assert out.rstrip().endswith("1 lapp i 1 grupp, 2 prioriterade åtgärder")  # no warning of skipped cards
    assert "varning" not in out


def test_the_json_has_the_cards_as_actions(capsys):
    assert main(["board", str(CARDS), "--json"]) == 0
    actions = json.loads(capsys.readouterr().out)["actions"]
    assert [(a["title"], a["how"], a["when"], a["who"], a["exercise"]) for a in actions] == [
        ("Skicka ut minnesanteckningar", "", "2023-05-10", "", ""),
        ("Boka lokal för uppstartsmötet", "Fråga skolan om aulan", "2023-09-01", "Erik Söderström", "Övning 3. Nästa steg")]


BOARD = "uXjVCards00="
URL = f"https://miro.com/app/board/{BOARD}/?share_link_id=42"


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    """A settings file whose state database holds one archived snapshot of the Miro board with cards."""
    path = tmp_path / "settings.env"
    path.write_text("BACKBONE_STATE=state.sqlite3\n", encoding="utf-8")
    StateStore(tmp_path / "state.sqlite3").save(BOARD, json.loads(CARDS.read_text("utf-8")), 1_683_022_800_000,
                                               1_700_000_000.0)
    return path


@pytest.mark.parametrize("command", [["miro", "history", URL], ["miro", "history", BOARD], ["mural", "history", URL]])
def test_history_lists_a_miro_boards_snapshots(settings, capsys, command):
    assert main(["--settings", str(settings), *command]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["1", "2023-11-14", "22:13", "2023-05-02", "10:20", "4"]  # 4 Miro items
    assert lines[-1] == "Läs en med `backbone board --snapshot N`."


def test_a_miro_snapshot_reads_back_with_its_cards_as_actions(settings, capsys):
    assert main(["--settings", str(settings), "board", "--snapshot", "1"]) == 0
    out = capsys.readouterr().out
    assert "  Boka lokal för uppstartsmötet\n    HUR: Fråga skolan om aulan\n    NÄR: 2023-09-01\n    VEM: Erik Söderström" in out


def test_a_miro_board_without_snapshots_names_the_miro_pull(settings, capsys):
    assert main(["--settings", str(settings), "miro", "history", "uXjVNone00="]) == 0
    assert capsys.readouterr().out.strip() == ("Inga ögonblicksbilder av uXjVNone00= än; `backbone miro pull uXjVNone00=` "
                                               "eller en synk med BACKBONE_BOARDS=miro tar en.")


def test_miro_history_refuses_a_mural_id(settings, capsys):
    assert main(["--settings", str(settings), "miro", "history", "workspace.1620000000000"]) == 2
    assert "'workspace.1620000000000' är ingen referens till en Miro-tavla" in capsys.readouterr().err
