"""The suppression list (issue 20): a forgotten name is recognised in text and in MURAL's JSON from keyed hashes
alone, the list holds no name, and every table of the state database is covered by `forget`."""
from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.adapters.sqlite.erasure import ERASED, KEPT
from sync.adapters.sqlite.state_db import SCHEMA
from sync.adapters.sqlite.state_store import StateStore
from sync.core import i18n
from sync.core.board_export import BoardExport
from sync.core.errors import ConfigError
from sync.core.redact import NameEraser
from sync.core.suppression import NAME, USER, Suppression, digest, normalise

KEY = bytes(range(32))


def hiding(*names: str, users: tuple[str, ...] = ()) -> Suppression:
    return Suppression(KEY, frozenset(digest(KEY, NAME, n) for n in names), frozenset(digest(KEY, USER, u) for u in users))


def test_a_name_is_normalised_before_it_is_hashed():
    assert normalise("  Amira \t HASSAN ") == "amira hassan" == normalise("amira hassan")
    assert normalise("A\u0308sa-Britt Öberg") == normalise("Äsa-britt öberg")  # NFC: a decomposed Ä is the same letter
    assert digest(KEY, NAME, "Amira  Hassan") == digest(KEY, NAME, "amira hassan") != digest(b"other" * 8, NAME, "amira hassan")
    assert digest(KEY, NAME, "amirahassan2128") != digest(KEY, USER, "amirahassan2128")  # a user id is no name


def test_the_name_leaves_texts_as_whole_words_whatever_the_case_and_spacing():
    hide = hiding("Amira Hassan")
    assert hide.text("Amira Hassan") == "" and hide.text(" amira   HASSAN ") == ""
    assert hide.text("Fråga Amira Hassan om lokalen") == "Fråga [namn borttaget] om lokalen"
    assert hide.text("Amira Hassans grupp, Hassan:s idé och AMIRA HASSAN:S") == \
        "[namn borttaget]s grupp, Hassan:s idé och [namn borttaget]:S"
    assert hide.text("<p>Amira\nHassan</p>") == "<p>[namn borttaget]</p>"
    for kept in ("Amira Hassanpour", "Amira, Hassan", "Amira", "Hassan"):
        assert hide.text(kept) == kept and not hide.mentions(kept)
    with i18n.speaking("en"):
        assert hide.text("ask Amira Hassan") == "ask [name removed]"


def test_a_document_in_another_language_gets_the_marker_in_its_own():
    """An English recap written while the command speaks Swedish says "[name removed]" (write_recap passes its lang)."""
    english = hiding("Amira Hassan").in_language("en")
    assert english.text("ask Amira Hassan") == "ask [name removed]"
    with i18n.speaking("en"):
        assert english.in_language("sv").text("Fråga Amira Hassan") == "Fråga [namn borttaget]"


@given(st.lists(st.sampled_from(["Fråga", "om", "Amira", "Hassan", "Per", "lokalen", ",", "Persson"]), max_size=12))
def test_the_hashes_find_what_the_name_in_clear_finds(words):
    """The suppression list (hashes only) and NameEraser (the name in clear) cut the same text the same way."""
    text = " ".join(words)
    for name in ("Amira Hassan", "Per"):
        assert hiding(name).text(text) == NameEraser(name).text(text)


def test_mural_person_objects_of_a_forgotten_person_lose_everything_but_their_type():
    hide = hiding("Amira Hassan", users=("amirahassan2128",))
    widget = {"id": "w1", "type": "sticky note", "text": "Idé", "createdBy": {"id": "amirahassan2128", "firstName": "Amira",
              "lastName": "Hassan", "type": "member"}, "updatedBy": {"id": "amirahassan2128", "firstName": "A.", "lastName": "H",
                                                                     "type": "member"},
              "replies": [{"user": {"alias": "Amira Hassan"}, "message": "ok"}]}
    cut = hide.json(widget)
    assert cut["createdBy"] == cut["updatedBy"] == {"type": "member"}  # the second by her user id alone
    assert cut["replies"][0]["user"] == {} and cut["text"] == "Idé"
    other = {"id": "w2", "createdBy": {"id": "sara1", "firstName": "Sara", "lastName": "Lind"}}
    assert hide.json(other) is other  # untouched: the same object back


def test_a_board_export_passes_through_one_function():
    hide = hiding("Amira Hassan")
    export = BoardExport("ws.1", ({"id": "w", "type": "sticky note", "text": "Amira Hassan"},), title="Amira Hassans tavla",
                         tags={"t": "Amira Hassan"}, voting_sessions=({"id": "v", "title": "Amira Hassan röstar", "results": []},))
    cut = hide.export(export)
    assert "amira" not in json.dumps([cut.widgets, cut.title, cut.tags, cut.voting_sessions]).casefold()
    assert Suppression().export(export) is export  # nobody forgotten: nothing is copied


def test_the_list_and_its_key_name_nobody_and_the_key_is_private(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    assert store.suppressed_people() == 0 and not (tmp_path / "state.sqlite3.key").exists()
    store.erase(NameEraser("Amira Hassan"), apply=True, user_ids={"amirahassan2128"})
    store.erase(NameEraser("amira  hassan"), apply=True)  # the same person again
    store.erase(NameEraser("Per Persson"), apply=True)
    key = tmp_path / "state.sqlite3.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and store.suppressed_people() == 2
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"amira" not in files.lower() and b"persson" not in files.lower()
    assert store.suppression().text("Fråga Per Persson") == "Fråga [namn borttaget]"
    assert store.suppression().is_person({"id": "amirahassan2128"})
    os.remove(key)  # hashes without their key recognise nobody: stop rather than let the name back in
    with pytest.raises(ConfigError, match="nyckeln till listan över glömda personer saknas"):
        store.suppression()


def _text_columns() -> dict[str, set[str]]:
    """Every column of every table the schema (and the stores that add tables) creates, but whole numbers."""
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    db.execute(StateStore._FOLLOWUPS)
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: {row[1] for row in db.execute(f"PRAGMA table_info({t})") if row[2].upper() not in ("INTEGER", "REAL")}
            for t in tables}


def test_every_text_column_of_every_table_is_erased_by_forget_or_says_why_not():
    """A new table or column that can hold text fails here until sync/adapters/sqlite/erasure.py says what forget does with it."""
    for table, columns in _text_columns().items():
        covered = set(ERASED.get(table, {})) | set(KEPT.get(table, {}))
        assert columns <= covered, f"table {table}: forget does not cover {sorted(columns - covered)} (sync/adapters/sqlite/erasure.py)"
        assert not set(ERASED.get(table, {})) & set(KEPT.get(table, {}))


def test_the_coverage_check_notices_a_new_table(monkeypatch):
    monkeypatch.setattr("tests.unit.test_suppression.SCHEMA", SCHEMA + "CREATE TABLE notes_kept (id INTEGER, said TEXT);")
    with pytest.raises(AssertionError, match="notes_kept"):
        test_every_text_column_of_every_table_is_erased_by_forget_or_says_why_not()
