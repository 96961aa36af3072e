"""`backbone board`'s outline and the board-reading errors, in Swedish (the default) and in English."""
from __future__ import annotations

from pathlib import Path

import pytest

from sync.adapters.mural.export_files import export_to_read
from sync.core import i18n
from sync.core.errors import InputError, NotFoundError
from sync.core.model import Action, Board, Exercise, Group, Note
from sync.usecases.board_outline import board_outline
from tests.fakes.in_memory import InMemoryState


def note(text: str) -> Note:
    return Note(id=text, text=text)


ONE_OF_EACH = Board(
    id="ws.1", title="",
    exercises=(Exercise(title="", groups=(Group(title="", notes=(note("Ensam lapp"),)),)),),
    actions=(Action(id="a1", workshop="ci2", title="Avtal", how="Skriva", when="", who="Alla", exercise=""),),
    unsorted=(note("Vilsen"),),
    warnings=("tog bort 1 tom lapp",))

ONE = Board(exercises=(Exercise(title="Övning", groups=(Group(title="G", notes=(note("x"),)),)),))

MANY = Board(id="", title="Workshop 2", exercises=(
    Exercise(title="Övning 1", groups=(Group(title="Relationer", notes=(note("a"), note("b"))),
                                      Group(title="Tillit", notes=(note("c"),)))),),
    actions=(Action(id="a1", workshop="ci2", title="A", exercise="Övning 1"),
             Action(id="a2", workshop="ci2", title="B", exercise="Övning 1")))


def test_outline_in_swedish_names_what_has_no_title_and_counts_with_plurals():
    lines = board_outline(ONE_OF_EACH).splitlines()
    assert lines[0] == "Tavla utan namn (ws.1)"
    assert "(övning utan rubrik)" in lines and "  (ingen grupp)  [1]" in lines
    assert lines[lines.index("  Avtal") + 1:lines.index("  Avtal") + 4] == ["    HUR: Skriva", "    NÄR: –", "    VEM: Alla"]
    assert "Utanför alla områden  [1]" in lines
    assert lines[-2:] == ["2 lappar i 1 grupp, 1 prioriterad åtgärd", "varning: tog bort 1 tom lapp"]  # the unsorted one too
    assert board_outline(ONE).splitlines()[-1] == "1 lapp i 1 grupp, 0 prioriterade åtgärder"
    assert board_outline(MANY).splitlines()[0] == "Workshop 2"
    assert board_outline(MANY).splitlines()[-1] == "3 lappar i 2 grupper, 2 prioriterade åtgärder"
    assert board_outline(Board()).splitlines() == ["Tavla utan namn", "", "0 lappar i 0 grupper, 0 prioriterade åtgärder"]


def test_outline_in_english():
    with i18n.speaking("en"):
        lines = board_outline(ONE_OF_EACH).splitlines()
        many = board_outline(MANY).splitlines()
        one = board_outline(ONE).splitlines()
    assert lines[0] == "Untitled board (ws.1)"
    assert "(exercise without a title)" in lines and "  (no group)  [1]" in lines
    assert "    HOW: Skriva" in lines and "    WHO: Alla" in lines and "Outside every area  [1]" in lines
    assert lines[-2:] == ["2 notes in 1 group, 1 prioritised action", "warning: tog bort 1 tom lapp"]
    assert one[-1] == "1 note in 1 group, 0 prioritised actions"
    assert many[-1] == "3 notes in 2 groups, 2 prioritised actions"


def test_reading_a_board_names_what_is_missing(tmp_path: Path):
    state = InMemoryState(where=str(tmp_path / "state.sqlite3"))  # no snapshot in it
    with pytest.raises(InputError, match=r"^ange en tavelexport FIL eller --snapshot N \(en av dem\)$"):
        export_to_read(None, None, state)
    with pytest.raises(NotFoundError, match=r"^ingen ögonblicksbild 7 i .*state.sqlite3; `backbone mural history MURAL_ID` "
                                            r"eller `backbone miro history BOARD` listar"):
        export_to_read(None, 7, state)
    with pytest.raises(NotFoundError, match=r"nope.json: filen finns inte$"):
        export_to_read(str(tmp_path / "nope.json"), None, state)
    with i18n.speaking("en"), pytest.raises(NotFoundError, match=r"^no snapshot 7 in .*; `backbone mural history MURAL_ID` "
                                                                 r"or `backbone miro history BOARD` lists"):
        export_to_read(None, 7, state)


def test_history_of_a_board_never_fetched_says_how_to_get_a_snapshot(tmp_path):
    from sync.bootstrap import Backbone
    from sync.entry.cli.command_output import history_table
    from sync.settings import Settings

    app = Backbone(Settings(sheet=f"xlsx:{tmp_path / 'plan.xlsx'}", state=str(tmp_path / "state.sqlite3")))
    assert history_table(app, "https://app.mural.co/t/ws/m/ws/1620000000000/abc") == (
        "Inga ögonblicksbilder av ws.1620000000000 än; `backbone mural pull ws.1620000000000` eller en synk med "
        "BACKBONE_BOARDS=mural tar en.")
    with i18n.speaking("en"):
        assert history_table(app, "ws.1620000000000").startswith("No snapshots of ws.1620000000000 yet; ")


def test_a_snapshot_is_read_back_as_the_export_it_was():
    state = InMemoryState()
    number = state.save("ws.1", {"value": [{"id": "a", "type": "sticky note", "text": "Ett"}]}, None, 1000.0)
    export = export_to_read(None, number, state)
    assert export.id == "ws.1" and [w["text"] for w in export.widgets] == ["Ett"]
