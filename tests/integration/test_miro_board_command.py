"""`backbone board` on a Miro export: its cards are actions (title, HUR, NÄR, VEM) as MURAL's HUR/NÄR/VEM are."""
from __future__ import annotations

import json
from pathlib import Path

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
