"""A board in the shapes MURAL's API really returns (tests/data/boards/real_shapes.json): HTML in `text`,
category boxes drawn as shapes with drop shadows, a grouped pair of stickies, a background plate, table cells,
visitors, Private Mode, comments, tags and two voting sessions. Checked against an expected outline."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sync.adapters.mural.export_files import export_to_json, load_export_file
from sync.core import i18n
from sync.core.board import normalise
from sync.core.model import to_json

DATA = Path(__file__).resolve().parents[1] / "data" / "boards"
EXPORT = load_export_file(DATA / "real_shapes.json")
EXPECTED = json.loads((DATA / "real_shapes.expected.json").read_text(encoding="utf-8"))
MARKUP = re.compile(r"<[A-Za-z/][^>]*>|&(?:[A-Za-z]+|#\d+);")


def board(choice: str = "newest"):
    return normalise(list(EXPORT.widgets), board_id=EXPORT.id, title=EXPORT.title, tags=EXPORT.tags,
                     votes=EXPORT.votes(choice), workshop="CI3")


def test_the_board_comes_out_as_the_expected_outline():
    with i18n.speaking("en"):  # EXPECTED holds the English warnings
        result = board()
    assert result.title == EXPECTED["title"]
    assert {e.title: {g.title: [n.text for n in g.notes] for g in e.groups} for e in result.exercises} == EXPECTED["exercises"]
    assert [{"title": a.title, "votes": a.votes, "how": a.how, "when": a.when, "who": a.who} for a in result.actions] == EXPECTED["actions"]
    assert [n.text for n in result.unsorted] == EXPECTED["unsorted"]
    assert list(result.warnings) == EXPECTED["warnings"]


def test_each_note_carries_author_votes_tags_and_open_comments():
    notes = {n.id: to_json(n) for _, _, n in board().notes()}
    for note_id, expected in EXPECTED["notes"].items():
        assert {k: notes[note_id][k] for k in expected} == expected, note_id


def test_no_title_or_note_holds_an_html_tag_or_entity():
    data = to_json(board())
    texts = [data["title"], *data["warnings"]]
    for exercise in data["exercises"]:
        texts.append(exercise["title"])
        for group in exercise["groups"]:
            texts += [group["title"], group["description"]]
            for note in group["notes"]:
                texts += [note["text"], note["author"], *note["tags"]]
                texts += [part for c in note["comments"] for part in (c["text"], *c["replies"])]
    texts += [a[k] for a in data["actions"] for k in ("title", "exercise", "how", "when", "who")]
    assert [t for t in texts if MARKUP.search(t) or "\u00a0" in t] == []


def test_grouped_stickies_stay_in_the_box_and_shadows_and_plates_add_no_groups():
    result = board()
    groups = [g.title for e in result.exercises for g in e.groups]
    assert groups == ["Trygga platser", "Mötesplatser", ""]  # 2 boxes + the loose notes of exercise 2, nothing else


def test_the_chosen_voting_session_gives_the_votes():
    by_id = {n.id: n.votes for _, _, n in board("Uppvärmning").notes()}
    assert by_id["n-grannar"] == 3 and by_id["n-belysning"] == 0
    summed = {n.id: n.votes for _, _, n in board("all").notes()}
    assert summed["n-grannar"] == 3 and summed["n-belysning"] == 12
    assert all(n.votes is None for _, _, n in board("no such session").notes())


def test_the_export_keeps_the_voting_sessions_through_a_save_and_load(tmp_path):
    saved = tmp_path / f"{EXPORT.id}.json"
    saved.write_text(json.dumps(export_to_json(EXPORT), ensure_ascii=False), encoding="utf-8")
    again = load_export_file(saved)
    assert again.voting_sessions == EXPORT.voting_sessions and again.votes() == EXPORT.votes()
