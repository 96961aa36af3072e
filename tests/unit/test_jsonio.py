"""The fast JSON path: the same model JSON as the generic walk, and nothing the standard library read is refused."""
from __future__ import annotations

import json

import pytest

from sync.adapters.mural.export_files import export_from_json
from sync.core import jsonio
from sync.core.errors import InputError
from sync.core.model import Action, Board, Comment, Exercise, Group, Note, to_json

RICH = Board(
    id="1620111600000", title="CI 2 🎉", updated=1620115200000, warnings=("en varning",),
    exercises=(Exercise(title="Övning 1", order=1, id="ex", groups=(Group(title="Grupp å", description="rad\ntvå", id="g", notes=(
        Note(id="n1", text="Idé & <mer>", author="Åsa Öberg", colour="#FCFE7DFF", created=1, updated=2, tags=("Viktig",),
             votes=3, comments=(Comment(text="Varför?", replies=("Därför", "ok")),)),
        Note(id="n2", text="", author_hidden=True))),)),),
    actions=(Action(id="a1", workshop="ci2", title="Åtgärd", how="Förstudie", note_ids=("n1",), votes=2),),
    unsorted=(Note(id="n3", text="utanför\u0007"),))


def test_the_model_is_written_as_the_generic_walk_writes_it_key_for_key_in_the_same_order():
    assert jsonio.dumps(RICH, indent=True).decode("utf-8") == json.dumps(to_json(RICH), indent=2, ensure_ascii=False)
    lone = Board(unsorted=(Note(id="n", text="ensam \ud800 halva"),))  # what orjson refuses goes through json
    assert jsonio.dumps(lone, indent=True).decode("utf-8") == json.dumps(to_json(lone), indent=2)


def test_written_json_is_utf8_that_reads_back_the_same():
    value = {"text": "å ä ö 🎉 & < > \u0007", "n": [1, 2.5, None, True], "nested": {"b": 1, "a": 2}}
    pretty = jsonio.dumps(value, indent=True)
    assert json.loads(pretty.decode("utf-8")) == value
    assert "å ä ö 🎉".encode() in pretty and b'\n  "text"' in pretty
    assert jsonio.dumps(value, sort_keys=True).index(b'"a"') < jsonio.dumps(value, sort_keys=True).index(b'"b"')


def test_what_only_the_standard_library_accepts_still_loads_and_writes():
    assert jsonio.loads('{"x": NaN}')["x"] != jsonio.loads('{"x": NaN}')["x"]  # NaN, as json reads it
    lone = jsonio.loads('{"text": "\\ud800 kvar"}')
    assert lone == {"text": "\ud800 kvar"}
    assert jsonio.dumps(lone).decode("utf-8") == '{"text":"\\ud800 kvar"}'  # escaped: still valid UTF-8
    assert jsonio.loads(jsonio.dumps(lone)) == lone
    assert jsonio.loads(jsonio.dumps({"big": 2**70})) == {"big": 2**70}


def test_an_export_that_is_not_json_still_names_the_file():
    with pytest.raises(InputError, match="board.json: inte JSON"):
        export_from_json(b"{not json", "board.json")


def test_the_collector_is_paused_only_for_the_block_and_left_as_it_was():
    import gc

    assert gc.isenabled()
    with pytest.raises(ValueError), jsonio.collector_paused():
        assert not gc.isenabled()
        raise ValueError("inside")
    assert gc.isenabled()  # running again, after an error too
    gc.disable()
    try:
        with jsonio.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # whoever paused it first decides when it runs again
    finally:
        gc.enable()
    assert gc.get_freeze_count() == 0  # nothing left out of the collector's reach
