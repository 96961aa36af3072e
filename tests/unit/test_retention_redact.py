"""The pure halves of BACKBONE_KEEP_SNAPSHOTS (which snapshots go) and `backbone forget` (what a name becomes)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.core import i18n
from sync.core.errors import ConfigError, InputError
from sync.core.redact import NameEraser
from sync.core.retention import DAY, Retention
from sync.usecases.forget import scan_sheet

NOW = 1_800_000_000.0


def test_the_setting_reads_days_a_count_or_nothing():
    assert Retention.parse("90d") == Retention(days=90) and Retention.parse(" 90 D ") == Retention(days=90)
    assert Retention.parse("10") == Retention(count=10)
    assert Retention.parse("").keeps_all()
    for wrong in ("0", "0d", "-3", "90 days", "3m"):
        with pytest.raises(ConfigError, match="BACKBONE_KEEP_SNAPSHOTS=.*ange ett antal dagar som 90d"):
            Retention.parse(wrong)
    with i18n.speaking("en"), pytest.raises(ConfigError, match="BACKBONE_KEEP_SNAPSHOTS='3m': use a number of days"):
        Retention.parse("3m")


def test_old_snapshots_go_but_a_boards_newest_stays_however_old():
    rows = [(1, "ws.a", NOW - 200 * DAY), (2, "ws.a", NOW - 100 * DAY), (3, "ws.a", NOW - 10 * DAY),
            (4, "ws.b", NOW - 400 * DAY), (5, "ws.b", NOW - 300 * DAY)]
    assert Retention(days=90).doomed(rows, NOW) == [1, 2, 4]
    assert Retention(count=2).doomed(rows, NOW) == [1]
    assert Retention(count=1).doomed(rows, NOW) == [1, 2, 4]
    assert Retention().doomed(rows, NOW) == []


snapshots = st.lists(st.tuples(st.sampled_from(["ws.a", "ws.b", "ws.c"]), st.floats(NOW - 1000 * DAY, NOW)), max_size=30)


@given(snapshots, st.one_of(st.builds(Retention, days=st.integers(1, 500)), st.builds(Retention, count=st.integers(1, 5))))
def test_pruning_never_removes_a_boards_newest_snapshot(rows, keep):
    rows = [(i, board, fetched) for i, (board, fetched) in enumerate(rows, 1)]
    doomed = set(keep.doomed(rows, NOW))
    for board in {b for _, b, _ in rows}:
        newest = max((fetched, i) for i, b, fetched in rows if b == board)[1]  # as StateStore.latest orders them
        assert newest not in doomed


def test_a_name_is_found_as_whole_words_whatever_the_case_and_spacing():
    eraser = NameEraser("Amira  Hassan", "[namn borttaget]")
    assert eraser.mentions("Ring amira hassan om budget") and eraser.mentions("AMIRA\nHASSAN")
    assert not eraser.mentions("Amira Hassanpour") and not eraser.mentions("Amira")
    assert eraser.text("Amira Hassans förslag, Amira Hassan:s idé") == "[namn borttaget]s förslag, [namn borttaget]:s idé"
    assert eraser.text("Amira Hassan") == "" and eraser.text(" Amira Hassan, ") == ""
    assert eraser.text("Ring Amira Hassan om budget") == "Ring [namn borttaget] om budget"
    assert not NameEraser("Per").mentions("Persson, Åsa")


@pytest.mark.parametrize("name", ["", "  ", "Bo", "42"])
def test_a_name_too_short_to_be_safe_is_refused(name):
    with pytest.raises(InputError, match="minst 3 bokstäver"):
        NameEraser(name)


def test_muras_person_objects_lose_every_identifying_field():
    export = {"value": [
        {"id": "s1", "type": "sticky note", "text": "Budget",
         "createdBy": {"id": "amirahassan2128", "firstName": "Amira", "lastName": "Hassan", "type": "member"},
         "updatedBy": {"id": "johanaberg2141", "firstName": "Johan", "lastName": "Åberg", "type": "member"}},
        {"id": "c1", "type": "comment", "message": "Fråga Amira Hassan", "replies": [
            {"message": "Ok", "user": {"alias": "Amira Hassan (gäst)"}}]}],
        "mural": {"id": "ws.1", "title": "CI 2"}}
    erased = NameEraser("Amira Hassan", "[x]").json(export)
    assert erased["value"][0]["createdBy"] == {"type": "member"}
    assert erased["value"][0]["updatedBy"] == export["value"][0]["updatedBy"]  # someone else stays
    assert erased["value"][1]["message"] == "Fråga [x]" and erased["value"][1]["replies"][0]["user"] == {}
    assert "amira" not in str(erased).lower() and "Amira" in str(export)  # a copy: the input is untouched
    # A widget that mentions her keeps its shape: only the words go.
    area = {"id": "a1", "type": "area", "name": "Amira Hassan", "title": "Amira Hassans grupp", "x": 0}
    assert NameEraser("Amira Hassan", "[x]").json(area) == {**area, "name": "", "title": "[x]s grupp"}
    untouched = {"value": [{"id": "s2", "text": "Budget"}]}
    assert NameEraser("Amira Hassan").json(untouched) is untouched


def test_forget_rewrites_only_cells_sync_wrote_and_lists_the_rest():
    values = {
        "Idéer": [["ID", "Text", "Författare", "Kontakt"],
                  ["n1", "Fråga Amira Hassan", "Amira Hassan", "Amira Hassan"],  # sync's row; Kontakt is people's
                  ["x9", "Amira Hassan", "", ""],  # a row a person added, with an ID of their own
                  ["", "Amira Hassan"]],  # a row without an ID
        "Synklogg": [["Start", "Meddelande"], ["2026-11-27 02:00:00", "ci2: Amira Hassan"]],
        "Deltagare": [["Namn", "Organisation"], ["Amira Hassan", "RISE"]]}
    writes, to_check = scan_sheet(values, NameEraser("Amira Hassan", "[x]"), "plan.xlsx", {("ideas", "n1")})
    assert [(w.tab, w.row, w.col, w.value) for _, w in writes] == [
        ("Idéer", 1, 1, "Fråga [x]"), ("Idéer", 1, 2, ""), ("Synklogg", 1, 1, "ci2: [x]")]
    assert [str(p) for p in to_check] == ["Idéer, ID n1, kolumnen 'Kontakt'", "Idéer, ID x9, kolumnen 'Text'",
                                          "Idéer, rad 4, kolumnen 'Text'", "Deltagare, rad 2, kolumnen 'Namn'"]
    with i18n.speaking("en"):
        assert [str(p) for p in to_check[2:]] == ["Idéer, row 4, column 'Text'", "Deltagare, row 2, column 'Namn'"]
