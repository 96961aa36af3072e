"""Loading each workshop's board (sync/usecases/board_loading.py) over an in-memory board source: which workshops a
run takes, and that one bad board fails its workshop alone, said in a line a coordinator can act on."""
from __future__ import annotations

import pytest

from sync.core.errors import AccessError, NotFoundError
from sync.core.model import Planning, Workshop
from sync.core.run_result import RunResult
from sync.usecases.board_loading import chosen_workshops, load_boards
from tests.fakes.in_memory import InMemoryBoards
from tests.usecases.world import board


def planning(*rows: tuple[str, str]) -> Planning:
    return Planning(workshops=[Workshop(id=i, title=i.upper(), board=ref) for i, ref in rows])


def load(plan: Planning, boards: InMemoryBoards, only: str | None = None) -> tuple[dict, RunResult, list[str]]:
    result, said = RunResult(started="2021-05-04 02:00:00"), []
    loaded = load_boards(plan, boards, result, only=only, progress=lambda s: said.append(str(s)))
    return loaded, result, said


def test_every_workshop_with_a_board_is_chosen_and_one_without_is_passed_over():
    plan = planning(("ci1", "ws.1"), ("ci2", "  "), ("ci3", "ws.3"))
    assert [w.id for w in chosen_workshops(plan, None)] == ["ci1", "ci3"]


def test_a_workshop_is_chosen_by_its_id_whatever_the_case():
    assert [w.id for w in chosen_workshops(planning(("CI1", "ws.1"), ("ci2", "ws.2")), "ci1")] == ["CI1"]


def test_an_unknown_workshop_names_the_ids_there_are():
    with pytest.raises(NotFoundError, match=r"ingen workshop med ID 'ci9'.*ci1, ci2"):
        chosen_workshops(planning(("ci1", "ws.1"), ("ci2", "ws.2")), "ci9")


def test_an_unknown_workshop_in_an_empty_tab_says_to_add_one():
    with pytest.raises(NotFoundError, match="ingen workshop än"):
        chosen_workshops(planning(), "ci1")


def test_a_long_list_of_ids_is_cut_short():
    plan = planning(*[(f"w{n}", f"ws.{n}") for n in range(40)])
    with pytest.raises(NotFoundError, match=r"w29, …\)$"):
        chosen_workshops(plan, "nope")


def test_a_workshop_asked_for_without_a_board_says_which_column_to_fill():
    with pytest.raises(NotFoundError, match="ci2.*Mural"):
        chosen_workshops(planning(("ci2", "")), "ci2")


def test_each_board_is_loaded_normalised_and_counted_in_the_progress():
    boards = InMemoryBoards({"ws.1": board("ws.1", {"a": "Ett", "b": "Två"}), "ws.2": board("ws.2", {"c": "Tre"})})
    loaded, result, said = load(planning(("ci1", "ws.1"), ("ci2", "ws.2")), boards)
    assert {w: [note.text for _, _, note in b.notes()] for w, b in loaded.items()} == {"ci1": ["Ett", "Två"], "ci2": ["Tre"]}
    assert said == ["[1/2] ci1: hämtar tavlan", "[1/2] ci1: 2 idéer, 0 åtgärder",
                    "[2/2] ci2: hämtar tavlan", "[2/2] ci2: 1 idé, 0 åtgärder"]
    assert result.failures == [] and result.warnings == []


def test_the_board_ref_is_used_without_the_spaces_around_it():
    boards = InMemoryBoards({"ws.1": board("ws.1", {"a": "Ett"})})
    loaded, _, _ = load(planning(("ci1", "  ws.1 ")), boards)
    assert list(loaded) == ["ci1"] and boards.fetched == ["ws.1"]


def test_a_board_that_cannot_be_read_fails_its_workshop_in_one_line_and_the_others_load():
    boards = InMemoryBoards({"ws.2": board("ws.2", {"c": "Tre"})})
    boards.failing["ws.1"] = AccessError("MURAL refused access to ws.1; ask its owner to share it")
    loaded, result, said = load(planning(("ci1", "ws.1"), ("ci2", "ws.2")), boards)
    assert list(loaded) == ["ci2"]
    assert result.failures == [("ci1", "MURAL refused access to ws.1; ask its owner to share it")]
    assert "[1/2] ci1: MISSLYCKADES: MURAL refused access to ws.1; ask its owner to share it" in said


def test_a_bug_while_loading_a_board_fails_that_workshop_without_a_traceback():
    boards = InMemoryBoards({"ws.2": board("ws.2", {"c": "Tre"})})
    boards.failing["ws.1"] = ZeroDivisionError("division by zero")
    loaded, result, _ = load(planning(("ci1", "ws.1"), ("ci2", "ws.2")), boards)
    assert list(loaded) == ["ci2"] and result.failures[0][0] == "ci1"
    assert "Traceback" not in result.failures[0][1] and "\n" not in result.failures[0][1]


def test_a_board_named_by_two_workshops_goes_to_the_first_and_the_second_is_told_to_get_its_own():
    boards = InMemoryBoards({"ws.1": board("ws.1", {"a": "Ett"})})
    loaded, result, said = load(planning(("ci1", "ws.1"), ("ci1b", "ws.1")), boards)
    assert list(loaded) == ["ci1"]
    assert result.warnings == ["workshopparna ci1 och ci1b pekar båda på tavlan ws.1; bara ci1 synkas: ge ci1b en egen "
                               "tavla i kolumnen Mural"]
    assert said[-1] == "[2/2] ci1b: hoppades över, samma tavla som ci1"


def test_only_the_chosen_workshops_board_is_fetched():
    boards = InMemoryBoards({"ws.1": board("ws.1", {"a": "Ett"}), "ws.2": board("ws.2", {"c": "Tre"})})
    loaded, _, _ = load(planning(("ci1", "ws.1"), ("ci2", "ws.2")), boards, only="ci2")
    assert list(loaded) == ["ci2"] and boards.fetched == ["ws.2"]
