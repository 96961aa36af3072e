"""The board source port's contract: the same assertions against the in-memory source (tests/fakes/in_memory.py) and
the real source of saved export files (FileBoardSource), so use-case tests over the fake test what a real source does:
a normalised Board named for its workshop, forgotten people cut before anything reads it, NotFoundError for a board
it does not have."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sync.adapters.mural.export_files import export_to_json
from sync.adapters.mural.source import FileBoardSource
from sync.core.board_export import BoardExport
from sync.core.errors import NotFoundError
from sync.core.suppression import NAME, USER, Suppression, digest
from sync.ports import BoardSource
from tests.fakes.in_memory import InMemoryBoards
from tests.usecases.world import board

AMIRA = {"id": "u-amira", "firstName": "Amira", "lastName": "Hassan"}
KEY = b"k" * 32
FORGOTTEN = Suppression(KEY, frozenset({digest(KEY, NAME, "Amira Hassan")}), frozenset({digest(KEY, USER, "u-amira")}))


@pytest.fixture(params=["memory", "files"])
def source_of(request, tmp_path: Path) -> Callable[..., BoardSource]:
    def make(*exports: BoardExport) -> BoardSource:
        if request.param == "memory":
            return InMemoryBoards({e.id: e for e in exports})
        for export in exports:
            (tmp_path / f"{export.id}.json").write_text(json.dumps(export_to_json(export), ensure_ascii=False), "utf-8")
        return FileBoardSource(tmp_path)
    return make


def test_a_board_is_given_normalised(source_of):
    source = source_of(board("ws.1", {"a": "Budget", "b": "Lön"}, exercise="Utmaningar", title="CI 1"))
    got = source.board("ws.1", workshop="ci1")
    assert got.id == "ws.1" and got.title == "CI 1"
    assert [(e.title if e else "", n.text) for e, _, n in got.notes()] == [("Utmaningar", "Budget"), ("Utmaningar", "Lön")]


def test_a_board_it_does_not_have_is_not_found(source_of):
    source = source_of(board("ws.1", {"a": "Budget"}))
    with pytest.raises(NotFoundError, match="ws.2"):
        source.board("ws.2", workshop="ci2")


def test_forgotten_people_are_cut_before_the_board_is_given(source_of):
    source = source_of(board("ws.1", {"a": "Fråga Amira Hassan", "b": "Budget"}, authors={"b": AMIRA}))
    got = source.board("ws.1", workshop="ci1", hide=FORGOTTEN)
    assert "Amira" not in repr(got) and "u-amira" not in repr(got)
    assert [n.text for _, _, n in got.notes()] == ["Fråga [namn borttaget]", "Budget"]


def test_nothing_is_archived_by_a_source_that_keeps_no_snapshots(source_of):
    source = source_of(board("ws.1", {"a": "Budget"}))
    assert source.archived("ws.1", workshop="ci1") is None
