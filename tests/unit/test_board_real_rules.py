"""The rules for what real MURAL boards hold, each on a small board (see also test_board_real_shapes.py)."""
from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core import i18n
from sync.core.board import normalise
from sync.core.board.geometry import Box, ContainerIndex, absolute_boxes
from sync.core.board.layout import Layout
from sync.core.board_export import chosen_votes
from sync.core.model import MIRO, Board, Comment, Exercise, Group, Note, to_json
from sync.core.text import plain_text

from .boards import area, board_from_json, outline, shape, sticky, textbox


def test_html_in_text_is_stripped_for_text_widgets_shapes_and_area_titles():
    ex = area("<div>Övning&nbsp;1</div>", 0, 0, 3000, 2000, id="ex")
    box = shape(100, 100, 800, 800, text='<div><span style="color:#2589a7">Lunch</span></div>', parent="ex")
    plain = shape(1000, 100, 800, 800, parent="ex")
    heading = textbox("<div>Things people want to stop&nbsp;doing</div>", 1010, 105, parent="ex")
    board = normalise([ex, box, plain, heading, sticky("a", 150, 300, parent="ex"), sticky("b", 1050, 300, parent="ex")])
    assert outline(board) == {"Övning 1": {"Lunch": ["a"], "Things people want to stop doing": ["b"]}}


def test_plain_text_that_only_looks_like_markup_is_kept():
    assert [plain_text(t) for t in ("a < b", "R&D", "x<y>z", "AT&amp;T", None)] == ["a < b", "R&D", "xz", "AT&T", ""]


def test_a_group_area_is_transparent_and_its_stickies_stay_in_the_box_around_it():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    titled = area("Idéer", 100, 100, 1200, 1000, parent="ex", id="g")
    group = area("", 50, 50, 600, 300, parent="g", id="grp", showTitle=False)
    notes = [sticky("ett", 10, 10, parent="grp"), sticky("två", 200, 10, parent="grp")]  # relative to the group
    board = normalise([ex, titled, group, *notes])
    assert outline(board) == {"E": {"Idéer": ["ett", "två"]}}


def test_a_group_area_in_an_exercise_adds_no_group_and_no_exercise():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    box = shape(100, 100, 1200, 1000, text="Box", parent="ex")
    group = area("", 150, 150, 600, 300, parent="ex", id="grp")
    outside = area("", 5000, 5000, 600, 300, id="lonely")  # a grouped pair nowhere near an exercise
    board = normalise([ex, box, group, outside, sticky("in box", 20, 20, parent="grp"), sticky("far", 20, 20, parent="lonely")])
    assert outline(board) == {"E": {"Box": ["in box"]}}
    assert [n.text for n in board.unsorted] == ["far"]


def test_an_untitled_area_with_a_heading_of_its_own_or_showing_its_title_is_still_a_container():
    headed = area("", 0, 0, 2000, 1000, id="ex")
    shown = area("", 3000, 0, 2000, 1000, id="ex2", showTitle=True)
    board = normalise([headed, textbox("Övning 1", 10, 5, parent="ex"), sticky("a", 100, 100, parent="ex"),
                       shown, sticky("b", 100, 100, parent="ex2")])
    assert outline(board) == {"Övning 1": {"": ["a"]}, "": {"": ["b"]}}


def test_a_drop_shadow_behind_a_box_is_decoration():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    box = shape(100, 100, 1000, 800, text="Kommunikation", parent="ex", stackingOrder=5)
    shadow = shape(112, 112, 1000, 800, parent="ex", stackingOrder=4)
    # On the shadow's strip outside the box: without the rule this sticky would form a group of its own.
    board = normalise([ex, shadow, box, sticky("inne", 150, 150, parent="ex"), sticky("kant", 1060, 860, parent="ex")])
    assert outline(board) == {"E": {"Kommunikation": ["inne"], "": ["kant"]}}


def test_a_textless_shape_in_front_of_a_box_or_without_stacking_order_is_still_a_box():
    widgets = {w["id"]: w for w in [
        area("E", 0, 0, 3000, 2000, id="ex"),
        shape(100, 100, 1000, 800, text="Under", parent="ex", stackingOrder=4, id="under"),
        shape(112, 112, 1000, 800, parent="ex", stackingOrder=5, id="front"),  # drawn over the box: not a shadow
        shape(1500, 100, 1000, 800, text="Box", parent="ex", id="box"),
        shape(1512, 112, 1000, 800, parent="ex", id="unordered")]}  # no stackingOrder: nothing to judge by
    layout = Layout(widgets, absolute_boxes(widgets))
    assert layout.decorative == set() and {"front", "unordered"} <= set(layout.boxes)


def test_a_background_plate_behind_every_box_it_holds_is_decoration():
    ex = area("E", 0, 0, 4000, 2000, id="ex", stackingOrder=0)
    plate = shape(50, 50, 3900, 1900, parent="ex", stackingOrder=1)
    boxes = [shape(100 + i * 1200, 100, 1000, 800, text=f"Box {i}", parent="ex", stackingOrder=10 + i) for i in range(2)]
    board = normalise([ex, plate, *boxes, sticky("a", 150, 150, parent="ex"), sticky("loose", 1000, 1500, parent="ex")])
    assert outline(board) == {"E": {"Box 0": ["a"], "": ["loose"]}}


def test_table_cells_with_text_are_counted_honestly():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    cells = [{"id": f"c{i}", "type": "table cell", "x": 0, "y": 0, "width": 10, "height": 10, "textContent": t}
             for i, t in enumerate(["Kontakt", "<div>Polisen</div>", ""])]
    with i18n.speaking("en"):  # the warnings as an English-speaking coordinator reads them
        board = normalise([ex, sticky("a", 10, 10, parent="ex"), *cells])
    assert board.warnings == ("left out 2 table cells with text (tables are not read as sticky notes)",
                              "ignored 1 widget without note text (1 table cell)")


def test_private_mode_hides_the_author_with_an_explicit_signal():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    owner = sticky("a", 10, 10, parent="ex", hideOwner=True, createdBy={"firstName": "Hemlig", "lastName": "Person"})
    editor = sticky("b", 200, 10, parent="ex", hideEditor=True, createdBy={"alias": "Gäst"})
    open_ = sticky("c", 400, 10, parent="ex", createdBy={"firstName": "Öppen"})
    notes = normalise([ex, owner, editor, open_]).exercises[0].groups[0].notes
    assert [(n.author, n.author_hidden) for n in notes] == [("", True), ("", True), ("Öppen", False)]


def test_content_edited_on_zero_falls_back_to_updated_on():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    note = sticky("a", 10, 10, parent="ex", createdOn=1000, updatedOn=5000, contentEditedOn=0)
    (found,) = normalise([ex, note]).exercises[0].groups[0].notes
    assert (found.created, found.updated) == (1000, 5000)


def test_unresolved_comments_attach_to_their_note_and_resolved_ones_are_left_out():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    note = sticky("a", 10, 10, parent="ex", id="n1")
    comments = [
        {"id": "c2", "type": "comment", "x": 0, "y": 0, "referenceWidgetId": "n1", "message": "Andra", "createdOn": 20},
        {"id": "c1", "type": "comment", "x": 0, "y": 0, "referenceWidgetId": "n1", "message": "<p>Första &amp; bästa</p>",
         "replies": [{"message": "Svar", "created": 5}], "createdOn": 10},
        {"id": "c3", "type": "comment", "x": 0, "y": 0, "referenceWidgetId": "n1", "message": "Klar", "resolvedOn": 30},
        {"id": "c4", "type": "comment", "x": 0, "y": 0, "message": "Lös kommentar"},
    ]
    with i18n.speaking("en"):
        board = normalise([ex, note, *comments])
    (found,) = board.exercises[0].groups[0].notes
    assert found.comments == (Comment("Första & bästa", ("Svar",)), Comment("Andra"))
    assert board.warnings == ("ignored 1 widget without note text (1 comment)",)


def test_votes_go_to_notes_and_order_the_prioritised_actions():
    ex = area("E", 0, 0, 4000, 1000, id="ex")
    first = area("Första", 0, 0, 1000, 500, parent="ex", id="a1")
    second = area("Andra", 2000, 0, 1000, 500, parent="ex", id="a2")
    notes = [sticky("HUR: x", 10, 10, parent="a1", id="h1"), sticky("VEM: y", 200, 10, parent="a1", id="v1"),
             sticky("HUR: z", 10, 10, parent="a2", id="h2"), sticky("NÄR: nu", 200, 10, parent="a2", id="n2")]
    voted = normalise([ex, first, second, *notes], votes={"h2": 4, "n2": 8, "v1": 1})
    assert [(a.title, a.votes) for a in voted.actions] == [("Andra", 12), ("Första", 1)]
    unvoted = normalise([ex, first, second, *notes])
    assert [(a.title, a.votes) for a in unvoted.actions] == [("Första", None), ("Andra", None)]


def test_voting_session_choice():
    sessions = [{"id": "s1", "title": "Första", "results": [{"widgetId": "a", "totalVotes": 2}]},
                {"id": "s2", "title": "Andra  rundan", "results": [{"widgetId": "a", "totalVotes": 5}, {"widgetId": "b", "totalVotes": 1}]}]
    assert chosen_votes(sessions) == {"a": 5, "b": 1}  # the last listed is the newest
    assert chosen_votes(sessions, "all") == {"a": 7, "b": 1}
    assert chosen_votes(sessions, "andra rundan") == chosen_votes(sessions, "s2")
    assert chosen_votes(sessions, "s1") == {"a": 2}
    assert chosen_votes(sessions, "saknas") is None and chosen_votes([], "newest") is None
    dated = [dict(sessions[0], createdOn=200), dict(sessions[1], createdOn=100)]
    assert chosen_votes(dated) == {"a": 2}


def test_notes_with_votes_comments_and_the_hidden_flag_survive_the_json_round_trip():
    note = Note("n1", "Idé", "", tags=("Unga",), votes=12, comments=(Comment("Fråga", ("Svar",)),), author_hidden=True)
    board = Board(id="b", exercises=(Exercise("E", 1, (Group("G", notes=(note,)),)),))
    assert board_from_json(to_json(board)) == board
    miro = Board(id="uXjVOD6Xk1E=", vendor=MIRO)  # a Miro board stays one: its recap says it has no votes
    assert board_from_json(to_json(miro)) == miro and to_json(miro)["vendor"] == "miro"


def holds(box: Box, px: float, py: float) -> bool:
    """The plain test the container index must agree with."""
    return box.x <= px <= box.x + box.width and box.y <= py <= box.y + box.height


boxes_strategy = st.lists(st.tuples(st.floats(-1e4, 3e4), st.floats(-1e4, 3e4),
                                    st.sampled_from([1.0, 30.0, 64.0, 65.0, 500.0, 4096.0, 30_000.0]),
                                    st.sampled_from([0.5, 20.0, 64.0, 800.0, 20_000.0])), max_size=40)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(boxes_strategy, st.lists(st.tuples(st.floats(-1e4, 4e4), st.floats(-1e4, 4e4)), max_size=20))
def test_the_container_index_finds_exactly_the_boxes_holding_a_point_smallest_first(sizes, points):
    boxes = [Box(f"b{i}", x, y, w, h) for i, (x, y, w, h) in enumerate(sizes)]
    index = ContainerIndex(boxes)
    for px, py in points + [b.centre() for b in boxes]:
        found = list(index.holding(px, py))
        assert sorted(b.id for b in found) == sorted(b.id for b in boxes if holds(b, px, py))
        assert [b.area for b in found] == sorted(b.area for b in found)
        assert index.smallest_holding(px, py) is (found[0] if found else None)


def test_the_container_index_puts_each_box_in_at_most_four_buckets_whatever_the_mix_of_sizes():
    rng = random.Random(3)
    boxes = [Box("huge", 0, 0, 30_000, 20_000)] + [Box(f"s{i}", rng.uniform(0, 29_000), rng.uniform(0, 19_000), 30, 30)
                                                    for i in range(2000)]
    index = ContainerIndex(boxes)
    placements = sum(len(bucket) for grid in index.levels.values() for bucket in grid.values())
    assert placements <= 4 * len(boxes)
    assert math.isclose(len(list(index.holding(15_000, 10_000))), 1 + sum(holds(b, 15_000, 10_000) for b in boxes[1:]))
