"""Board references from the sheet, the saved export format, and the fake run on its own."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sync.adapters.mural.board_refs import mural_id_from_ref
from sync.adapters.mural.source import export_from_json, export_to_json
from sync.core import i18n
from sync.core.board_export import BoardExport
from sync.core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("ref,expected", [
    ("acme1234.1620000000000", "acme1234.1620000000000"),
    ("  acme1234.1620000000000 \n", "acme1234.1620000000000"),
    ("https://app.mural.co/t/acme1234/m/acme1234/1620000000000/abc123def456?sender=u123", "acme1234.1620000000000"),
    ("https://app.mural.co/t/vagov6717/m/vagov6717/1605735264080/64a23a4e0bcff45c?wid=0-1664898146419&outline=open",
     "vagov6717.1605735264080"),
    ("app.mural.co/t/acme1234/m/acme1234/1620000000000/abc", "acme1234.1620000000000"),
    ("https://app.mural.co/invitation/mural/navdesign3580/1663231311908?sender=x&key=9cf412d2", "navdesign3580.1663231311908"),
    ("https://app.mural.co/invitation/mural/acme1234.1620000000000", "acme1234.1620000000000"),
    ("https://app.mural.co/t/acme1234/r/1620000000123/m/acme1234/1620000000000/abc", "acme1234.1620000000000"),
    ("<https://app.mural.co/t/acme1234/m/acme1234/1620000000000/abc>", "acme1234.1620000000000"),
])
def test_board_references(ref, expected):
    assert mural_id_from_ref(ref) == expected


@pytest.mark.parametrize("ref,why", [
    ("", "tom Mural-referens: väntade ett tavel-id som workspace.1234567890"),
    ("Workshop 3", "är ingen referens till en MURAL-tavla: väntade ett tavel-id"),
    ("https://miro.com/app/board/uXjV.123/", "är ingen referens till en MURAL-tavla"),
    ("https://app.mural.co/embed/9c9b6dae-8c4b-4b3e-8811-24e8bd2ee5c9", ": en inbäddningslänk innehåller inte tavlans id; väntade"),
    ("https://app.mural.co/t/acme1234/r/1620000000123", ": en länk till ett rum eller en arbetsyta, inte till en tavla; "),
    ("https://app.mural.co/t/acme1234/home", ": en länk till ett rum eller en arbetsyta, inte till en tavla; "),
    ("https://app.mural.co/t/acme1234/m/acme1234/abc", ": inget tavel-id i den här MURAL-adressen; "),
])
def test_bad_references_name_the_value_and_the_expected_forms(ref, why):
    with pytest.raises(InputError) as caught:
        mural_id_from_ref(ref)
    message = str(caught.value)
    assert why in message and "workspace.1234567890" in message and "https://app.mural.co/t/" in message
    assert "adressen till den öppna tavlan kopierad från webbläsaren" in message
    if ref:
        assert repr(ref) in message


def test_bad_references_in_english():
    with i18n.speaking("en"), pytest.raises(InputError) as caught:
        mural_id_from_ref("https://app.mural.co/embed/9c9b6dae")
    assert str(caught.value) == ("'https://app.mural.co/embed/9c9b6dae': an embed link does not carry the board's id; expected "
                                 "a board id like workspace.1234567890 or the address of the open board copied from the "
                                 "browser, like https://app.mural.co/t/WORKSPACE/m/WORKSPACE/1234567890/...")


WIDGETS = [{"id": "a", "type": "area"}, {"id": "s1", "type": "sticky note", "text": "Hej 🙂"}, {"id": "s2", "type": "sticky note"}]


def test_export_round_trip():
    export = BoardExport("acme.1", tuple(WIDGETS), "Workshop", 1700000000000, {"t1": "Prio"})
    data = export_to_json(export)
    assert data == {"value": WIDGETS, "mural": {"id": "acme.1", "title": "Workshop", "updatedOn": 1700000000000},
                    "tags": [{"id": "t1", "text": "Prio"}]}
    assert export_from_json(json.loads(json.dumps(data)), "x.json") == export


@pytest.mark.parametrize("data", [
    {"value": WIDGETS, "next": None},
    {"value": WIDGETS},
    [{"value": WIDGETS[:2], "next": "abc"}, {"value": WIDGETS[2:]}],
    WIDGETS,
    json.dumps(WIDGETS),
    json.dumps(WIDGETS).encode("utf-8"),
])
def test_export_shapes_read(data):
    export = export_from_json(data, "boards/acme.1620000000000.json")
    assert [w["id"] for w in export.widgets] == ["a", "s1", "s2"]
    assert export.id == "acme.1620000000000"  # from the file name when the data has no metadata


def test_duplicate_widgets_across_pages_keep_the_later_copy():
    pages = [{"value": [{"id": "a", "type": "area", "v": 1}]}, {"value": [{"id": "a", "type": "area", "v": 2}]}]
    assert export_from_json(pages, "p.json").widgets == ({"id": "a", "type": "area", "v": 2},)


@pytest.mark.parametrize("data,why", [
    ("{nope", "inte JSON"),
    ({"widgets": []}, 'väntade en lista med objekt eller {"value": [...]}'),
    (42, 'väntade en lista med objekt eller {"value": [...]}'),
    ({"value": WIDGETS + [{"id": "x"}]}, "objekt 4 saknar id eller typ"),
    ([{"type": "area"}], "objekt 1 saknar id eller typ"),
    ({"value": WIDGETS, "tags": "t1"}, '`tags` ska vara en lista med {"id", "text"}'),
    ({"value": WIDGETS, "votingSessions": {}}, '`votingSessions` ska vara en lista med {"id", "title", "results": [...]}'),
])
def test_bad_exports_name_source_and_problem(data, why):
    with pytest.raises(InputError) as caught:
        export_from_json(data, "boards/w3.json")
    assert str(caught.value).startswith("boards/w3.json: ") and why in str(caught.value)


@pytest.mark.subprocess
def test_fake_runs_on_its_own(tmp_path):
    board = tmp_path / "acme.1620000000000.json"
    board.write_text(json.dumps({"value": WIDGETS, "mural": {"id": "acme.1620000000000", "title": "W"}}))
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fakes" / "mural_api.py"), "--port", "0",
                                "--board", str(board)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = process.stdout.readline()
        url = next(line.partition("=")[2].strip() for line in iter(process.stdout.readline, "")
                   if line.startswith("BACKBONE_MURAL_API_URL="))
        assert "acme.1620000000000" in first
        answer = requests.get(f"{url}/murals/acme.1620000000000", timeout=5)
        assert answer.status_code == 401 and answer.json()["code"] and answer.headers["X-Request-Id"]
    finally:
        process.terminate()
        process.wait(timeout=5)
