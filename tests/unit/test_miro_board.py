"""Miro items (REST API v2 shapes) into the normalised Board: frames, nesting, rotation, HTML, cards, the rest ignored."""
from __future__ import annotations

import pytest

from sync.core.board.miro import board_from_miro, export_from_miro, is_miro_ref, miro_id_from_ref
from sync.core.errors import InputError
from sync.core.suppression import NAME, Suppression, digest


def item(item_id, kind, x, y, w, h, *, parent=None, content=None, rotation=0, **extra):
    position = {"x": x, "y": y, "origin": "center",
                "relativeTo": "parent_top_left" if parent else "canvas_center"}
    out = {"id": item_id, "type": kind, "position": position,
           "geometry": {"width": w, "height": h, "rotation": rotation}, "data": content or {}, **extra}
    if parent:
        out["parent"] = {"id": parent}
    return out


def sticky(item_id, x, y, text, parent=None, **extra):
    return item(item_id, "sticky_note", x, y, 200, 200, parent=parent,
                content={"content": text, "shape": "square"}, **extra)


def export(items, **more):
    return {"miro": {"id": "uXjVOD6Xk1E=", "name": "Workshop <b>2</b>", "modifiedAt": "2023-05-02T10:15:00Z"},
            "items": items, "tags": more.get("tags", []), "members": more.get("members", [])}


FRAME = item("f1", "frame", 1000, 0, 2000, 1000, content={"title": "Övning 1: Idéer"})


def test_children_of_a_frame_are_placed_from_its_top_left_corner_and_grouped_by_shapes():
    # The frame spans x 0..2000, y -500..500 on the canvas. The shape is its child at (500, 500): canvas 0..1000 by
    # -500..500 minus its own half size; the stickies are frame children inside the shape, and one canvas item too.
    shape = item("s1", "shape", 500, 500, 800, 800, parent="f1", content={"content": "<p>Trygghet</p>"})
    items = [FRAME, shape,
             sticky("n1", 300, 400, "<p>Fler vuxna</p><p>i parken</p>", parent="f1",
                    createdBy={"id": "307", "type": "user"}, tagIds=["t1"], createdAt="2023-05-02T10:00:00Z"),
             sticky("n2", 1500, 500, "Loose idea", parent="f1"),
             sticky("n3", 300, 100, "Canvas sticky at the shape"),  # canvas centre 300,100 is inside the shape
             sticky("n4", 5000, 5000, "Far away")]
    board = board_from_miro(export_from_miro(export(items, members=[{"id": "307", "name": "Amira Hassan"}],
                                                    tags=[{"id": "t1", "title": "Trygghet"}]), "test"))
    (exercise,) = board.exercises
    assert exercise.title == "Övning 1: Idéer"
    assert [(g.title, [n.text for n in g.notes]) for g in exercise.groups] == [
        ("Trygghet", ["Fler vuxna\ni parken", "Canvas sticky at the shape"]), ("", ["Loose idea"])]
    note = exercise.groups[0].notes[0]  # canvas centre (300, -100): above the canvas sticky
    assert (note.author, note.tags, note.created, note.votes, note.comments) == ("Amira Hassan", ("Trygghet",),
                                                                                 1683021600000, None, ())
    assert [n.text for n in board.unsorted] == ["Far away"]
    assert board.title == "Workshop 2" and board.updated == 1683022500000


def test_rotated_items_empty_sticky_connector_and_image_do_not_break_the_board():
    items = [FRAME,
             # a 90°-rotated tall shape is wide on the canvas: its bounding box holds the sticky at x 1700
             item("s2", "shape", 1500, 500, 200, 1600, parent="f1", rotation=90, content={"content": "Rotated group"}),
             sticky("n5", 1600, 500, "Inside the rotated shape", parent="f1", geometry={"width": 100, "rotation": 33}),
             sticky("n6", 200, 200, "<p></p>", parent="f1"),
             sticky("n7", 400, 200, "<p>Rad ett<br>rad två &amp; tre</p>", parent="f1"),
             {"id": "c1", "type": "connector", "startItem": {"id": "n5"}, "endItem": {"id": "n7"}},
             item("i1", "image", 10, 10, 300, 300, content={"imageUrl": "https://api.miro.com/v2/boards/x/images/1"})]
    board = board_from_miro(export_from_miro(export(items), "test"))
    groups = {g.title: [n.text for n in g.notes] for g in board.exercises[0].groups}
    assert groups == {"Rotated group": ["Inside the rotated shape"], "": ["Rad ett\nrad två & tre"]}
    assert "hoppade över 2 objekt utan lapptext (1 koppling, 1 bild)" in board.warnings, board.warnings
    assert "tog bort 1 tom lapp" in board.warnings, board.warnings


def test_hur_nar_vem_groups_and_cards_become_actions_without_votes():
    shape = item("s1", "shape", 1000, 500, 1000, 800, parent="f1", content={"content": "Läxhjälp"})
    items = [FRAME, shape, sticky("a1", 800, 400, "HUR: Volontärer", parent="f1"),
             sticky("a2", 1200, 400, "NÄR: Hösten", parent="f1"),
             item("k1", "card", 200, 200, 300, 100, parent="f1",
                  content={"title": "Boka lokal", "description": "<p>Fråga skolan</p>", "assigneeId": "9",
                           "dueDate": "2023-09-01T00:00:00Z"})]
    board = board_from_miro(export_from_miro(export(items, members=[{"id": "9", "name": "Kim"}]), "test"), workshop="CI2")
    assert [(a.title, a.how, a.when, a.who, a.exercise, a.votes) for a in board.actions] == [
        ("Läxhjälp", "Volontärer", "Hösten", "", "Övning 1: Idéer", None),
        ("Boka lokal", "Fråga skolan", "2023-09-01", "Kim", "Övning 1: Idéer", None)]


def test_forgotten_people_are_cut_from_authors_and_texts_at_entry():
    key = b"k" * 32
    hide = Suppression(key=key, names=frozenset({digest(key, NAME, "Amira Hassan")}))
    items = [FRAME, sticky("n1", 300, 400, "Amira Hassan sa: mer ljus", parent="f1", createdBy={"id": "307"})]
    cut = hide.export(export_from_miro(export(items, members=[{"id": "307", "name": "Amira Hassan"}]), "test"))
    note = board_from_miro(cut).exercises[0].groups[0].notes[0]
    assert note.author == "" and "Amira" not in note.text


@pytest.mark.parametrize("ref", ["https://miro.com/app/board/uXjVOD6Xk1E=/", "uXjVOD6Xk1E=",
                                 "https://miro.com/app/board/uXjVOD6Xk1E=/?share_link_id=123"])
def test_board_refs(ref):
    assert is_miro_ref(ref) and miro_id_from_ref(ref) == "uXjVOD6Xk1E="


def test_bad_refs_and_exports_are_one_clear_error():
    assert not is_miro_ref("acme.1620000000000")
    with pytest.raises(InputError, match="ingen referens till en Miro-tavla"):
        miro_id_from_ref("https://miro.com/app/dashboard/")
    with pytest.raises(InputError, match="objekt 1 saknar id eller typ"):
        export_from_miro({"miro": {}, "items": [{"x": 1}]}, "b.json")
    with pytest.raises(InputError, match="objektet `miro` saknas"):
        export_from_miro({"value": []}, "b.json")
