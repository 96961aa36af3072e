"""The example workshop (CI2) laid out on Miro gives the same board as its MURAL export, note for note."""
from __future__ import annotations

import json
from pathlib import Path

from sync.adapters.mural.export_files import load_export_file
from sync.core.board import board_from_export
from sync.core.board.miro import board_from_miro, export_from_miro
from sync.core.model import Board

ROOT = Path(__file__).resolve().parents[2]
MURAL = ROOT / "examples" / "biskopsgarden" / "boards" / "biskopsgarden2021.1620111600000.json"
MIRO = ROOT / "tests" / "data" / "miro" / "uXjVPbiskop=.json"


def outline(board: Board) -> list[tuple]:
    """Everything a recap and the sheet read of a board, without ids (Miro's are numbers) or votes and comments."""
    rows: list[tuple] = []
    for exercise in board.exercises:
        rows.append((exercise.order, exercise.title))
        for group in exercise.groups:
            rows.append((group.title, group.description, tuple((n.text, n.author, n.colour, n.tags, n.created, n.updated)
                                                               for n in group.notes)))
    rows += [(a.title, a.how, a.when, a.who, a.exercise, len(a.note_ids)) for a in board.actions]
    rows += [(n.text, n.author) for n in board.unsorted]
    return rows


def test_the_miro_example_is_the_mural_example_without_votes_and_comments():
    mural = board_from_export(load_export_file(MURAL, "biskopsgarden2021.1620111600000"), workshop="ci2")
    miro = board_from_miro(export_from_miro(json.loads(MIRO.read_text("utf-8")), str(MIRO)), workshop="ci2")
    assert outline(miro) == outline(mural)
    assert len(outline(miro)) == 14 and sum(len(g.notes) for e in miro.exercises for g in e.groups) == 30
    assert all(n.votes is None and n.comments == () for _, _, n in miro.notes())
    assert any(n.comments for _, _, n in mural.notes())  # the MURAL board has a comment; Miro's REST API has none


def test_the_miro_example_holds_the_real_world_shapes():
    data = json.loads(MIRO.read_text("utf-8"))
    kinds = {item["type"] for item in data["items"]}
    assert {"frame", "shape", "sticky_note", "text", "image", "connector"} <= kinds
    assert any(i["position"]["relativeTo"] == "parent_top_left" for i in data["items"] if "position" in i)
    assert any(i.get("geometry", {}).get("rotation") for i in data["items"])
    assert any("<p>" in str(i.get("data", {}).get("content")) for i in data["items"])
