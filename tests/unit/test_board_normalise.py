"""The board normaliser's rules, each on a small board."""
from __future__ import annotations

import pytest

from sync.core import i18n
from sync.core.board import normalise
from sync.core.errors import InputError

from .boards import area, outline, shape, sticky, textbox


def test_outer_areas_are_exercises_and_inner_areas_groups():
    ex = area("Övning 1", 0, 0, 2000, 1000, id="ex")
    grp = area("Lokal förankring", 50, 50, 500, 500, parent="ex", id="g")
    board = normalise([ex, grp, sticky("Medborgardialoger", 10, 60, parent="g")])
    assert outline(board) == {"Övning 1": {"Lokal förankring": ["Medborgardialoger"]}}


def test_parented_positions_are_relative_to_every_ancestor():
    ex = area("E", 1000, 1000, 3000, 3000, id="ex")
    outer = area("G", 100, 100, 1000, 1000, parent="ex", id="g")
    inner = area("Inner", 100, 100, 500, 500, parent="g", id="in")
    # Relative (10, 10) inside `inner` is absolute (1210, 1210): inside all three.
    note = sticky("deep", 10, 10, parent="in")
    board = normalise([ex, outer, inner, note])
    assert outline(board) == {"E": {"G": ["deep"]}}  # deeper containers fold into their group


def test_unparented_sticky_goes_to_smallest_container_holding_its_centre():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    big = area("Big", 100, 100, 1000, 1000, parent="ex", id="big")
    box = shape(1500, 200, 400, 400, text="Kommunikation", id="box")
    notes = [sticky("in box", 1550, 250), sticky("in big", 500, 500), sticky("in exercise only", 2500, 1500)]
    board = normalise([ex, big, box, *notes])
    assert outline(board) == {"E": {"Big": ["in big"], "Kommunikation": ["in box"], "": ["in exercise only"]}}


def test_a_sticky_parented_to_a_group_stays_in_it_wherever_it_lies_and_many_are_placed_alike():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    left = area("Vänster", 100, 100, 1000, 1000, parent="ex", id="left")
    right = area("Höger", 1500, 100, 1000, 1000, parent="ex", id="right")
    # (1500, 50) relative to `left` is (1600, 150) on the board: over `right`, but MURAL says it is in `left`
    notes = [sticky("flyttad", 1500, 50, parent="left"), sticky("hemma", 50, 50, parent="left"), sticky("utan förälder", 1600, 700)]
    assert outline(normalise([ex, left, right, *notes])) == {"E": {"Vänster": ["hemma", "flyttad"], "Höger": ["utan förälder"]}}
    # Hundreds of stickies in the same few areas (the index's lookups are shared per cell): each where it lies
    many = [sticky(f"{x},{y}", x, y) for x in range(0, 3000, 150) for y in range(0, 2000, 150)]
    placed = outline(normalise([ex, left, right, *many]))["E"]
    def centre_in(a, text):
        x, y = (int(v) + 50 for v in text.split(","))
        return a["x"] <= x <= a["x"] + a["width"] and a["y"] <= y <= a["y"] + a["height"]
    for group, box in (("Vänster", left), ("Höger", right)):
        assert placed[group] and all(centre_in(box, text) for text in placed[group])
    assert all(not centre_in(left, text) and not centre_in(right, text) for text in placed[""])
    assert sum(map(len, placed.values())) == len(many)  # every one inside the exercise


def test_drawn_box_title_from_its_own_text_or_the_text_at_its_top():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    own = shape(100, 100, 500, 500, text="Resurser & ekonomi")
    plain = shape(1000, 100, 500, 500)
    heading = textbox("Behovskartläggning/analys", 1010, 105)
    board = normalise([ex, own, plain, heading, sticky("Budget", 150, 250), sticky("Kartlägga förväntningar", 1050, 250)])
    assert outline(board)["E"] == {"Resurser & ekonomi": ["Budget"], "Behovskartläggning/analys": ["Kartlägga förväntningar"]}


def test_sticky_parented_to_exercise_but_inside_a_drawn_box_belongs_to_the_box():
    ex = area("E", 0, 0, 3000, 2000, id="ex")
    box = shape(100, 100, 500, 500, text="Övrigt")
    board = normalise([ex, box, sticky("Gemensam start", 150, 150, parent="ex")])
    assert outline(board) == {"E": {"Övrigt": ["Gemensam start"]}}


def test_notes_in_exercise_but_no_group_form_an_untitled_group_and_outside_notes_are_unsorted():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    board = normalise([ex, sticky("loose", 100, 100, parent="ex"), sticky("far away", 5000, 5000)])
    assert outline(board) == {"E": {"": ["loose"]}}
    assert [n.text for n in board.unsorted] == ["far away"]
    assert any("utanför alla områden" in w for w in board.warnings)


def test_reading_order_rows_then_left_to_right():
    ex = area("E", 0, 0, 3000, 3000, id="ex")
    g = area("G", 0, 0, 2000, 2000, parent="ex", id="g")
    notes = [
        sticky("row1-right", 400, 20, parent="g"),
        sticky("row1-left", 10, 45, parent="g"),  # 25 px lower: less than half a height, same row
        sticky("row2-left", 10, 160, parent="g"),
        sticky("row1-mid", 200, 0, parent="g"),
    ]
    board = normalise([ex, g, *notes])
    assert outline(board)["E"]["G"] == ["row1-left", "row1-mid", "row1-right", "row2-left"]


def test_html_text_wins_and_is_cleaned():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    note = sticky("", 10, 10, parent="ex", htmlText="<p>Relationer &amp; tillit</p><p>rad 2<br>rad 3 🎉</p>")
    ctrl = sticky("Budget\x0b\x00 2021", 300, 10, parent="ex")
    board = normalise([ex, note, ctrl])
    assert [n.text for n in board.exercises[0].groups[0].notes] == ["Relationer & tillit\nrad 2\nrad 3 🎉", "Budget 2021"]


def test_hidden_empty_and_non_text_widgets_are_left_out_and_counted():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    widgets = [ex, sticky("visible", 10, 10, parent="ex"), sticky("Dold lapp", 200, 10, parent="ex", hidden=True),
               sticky("gone", 400, 10, parent="ex", invisible=True), sticky("  ", 600, 10, parent="ex"),
               {"id": "arrow", "type": "arrow", "x": 0, "y": 0}, {"id": "c", "type": "comment", "x": 1, "y": 1},
               {"id": "img", "type": "image", "x": 1, "y": 1, "width": 10, "height": 10}]
    board = normalise(widgets)
    assert outline(board) == {"E": {"": ["visible"]}}
    assert board.warnings == ("hoppade över 3 objekt utan lapptext (1 pil, 1 kommentar, 1 bild)",
                              "utelämnade 2 dolda lappar (ta med dem med inställningen BACKBONE_INCLUDE_HIDDEN=true)",
                              "tog bort 1 tom lapp")
    with_hidden = normalise(widgets, include_hidden=True)
    assert outline(with_hidden) == {"E": {"": ["visible", "Dold lapp", "gone"]}}


def test_labelled_group_becomes_an_action_and_a_missing_label_is_empty():
    ex = area("Övning 2", 0, 0, 3000, 1000, id="ex")
    g = area("Avtal med syfte & mål", 0, 0, 1000, 500, parent="ex", id="act")
    notes = [sticky("NÄR: Q1 – Q2 2022", 10, 10, parent="act"), sticky("vem - Processgrupp och aktörerna i CI", 200, 10, parent="act")]
    board = normalise([ex, g, *notes], workshop="ci2")
    assert board.exercises[0].groups == ()
    (action,) = board.actions
    assert (action.title, action.how, action.when, action.who) == (
        "Avtal med syfte & mål", "", "Q1 – Q2 2022", "Processgrupp och aktörerna i CI")
    assert (action.workshop, action.exercise, action.id) == ("ci2", "Övning 2", "act")


def test_several_stickies_with_one_label_are_joined_and_labels_without_separator_count():
    ex = area("E", 0, 0, 3000, 1000, id="ex")
    g = area("Fysisk plats", 0, 0, 1000, 500, parent="ex", id="g")
    notes = [sticky("HUR Bjud in", 10, 10, parent="g"), sticky("how skriva en plan", 200, 10, parent="g"),
             sticky("När Q1 2022", 400, 10, parent="g"), sticky("Who: kärngrupp\nmed avtal", 600, 10, parent="g")]
    (action,) = normalise([ex, g, *notes]).actions
    assert action.how == "Bjud in\nskriva en plan" and action.when == "Q1 2022" and action.who == "kärngrupp\nmed avtal"


def test_questions_starting_with_hur_stay_ideas():
    ex = area("E", 0, 0, 3000, 1000, id="ex")
    g = area("Frågor", 0, 0, 1000, 500, parent="ex", id="g")
    board = normalise([ex, g, sticky("Hur når vi unga?", 10, 10, parent="g"), sticky("Hur ofta ses vi?", 200, 10, parent="g")])
    assert board.actions == () and outline(board) == {"E": {"Frågor": ["Hur når vi unga?", "Hur ofta ses vi?"]}}


def test_group_description_from_instruction_and_free_text():
    ex = area("E", 0, 0, 3000, 1000, id="ex")
    g = area("Styrgrupp/Processgrupp", 0, 0, 1000, 800, parent="ex", id="g", instruction="<p>dela upp i två grupper</p>")
    board = normalise([ex, g, sticky("Årshjul", 10, 100, parent="g"), textbox("styrgrupp strategisk", 10, 400, parent="g")])
    assert board.exercises[0].groups[0].description == "dela upp i två grupper\nstyrgrupp strategisk"


def test_area_without_title_uses_heading_text_and_background_shapes_do_not_swallow_exercises():
    background = shape(-100, -100, 10000, 10000)
    ex = area("", 0, 0, 2000, 1000, id="ex")
    heading = textbox("Övning 1", 10, 5, parent="ex")
    g = area("G", 0, 100, 800, 800, parent="ex", id="g")
    board = normalise([background, ex, heading, g, sticky("idé", 10, 10, parent="g")])
    assert outline(board) == {"Övning 1": {"G": ["idé"]}}


def test_parent_cycles_and_missing_parents_do_not_hang_or_lose_notes():
    a = area("A", 0, 0, 100, 100, parent="b", id="a")
    b = area("B", 0, 0, 100, 100, parent="a", id="b")
    orphan = sticky("orphan", 5000, 5000, parent="does-not-exist")
    board = normalise([a, b, orphan])
    assert [n.text for _, _, n in board.notes()] == ["orphan"]


def test_skipped_widget_kinds_are_counted_in_words_with_plurals_and_unknown_kinds_keep_their_name():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    widgets = [ex, sticky("visible", 10, 10, parent="ex"), sticky("dold", 200, 10, parent="ex", hidden=True),
               *({"id": f"a{i}", "type": "arrow", "x": 0, "y": 0} for i in range(2)),
               *({"id": f"f{i}", "type": "file", "x": 0, "y": 0} for i in range(3)),
               {"id": "i", "type": "icon", "x": 0, "y": 0}, {"id": "k", "type": "kanban", "x": 0, "y": 0}]
    assert normalise(widgets).warnings[0] == "hoppade över 7 objekt utan lapptext (2 pilar, 3 filer, 1 ikon, 1 kanban)"
    with i18n.speaking("en"):
        warnings = normalise(widgets).warnings
    assert warnings == ("ignored 7 widgets without note text (2 arrows, 3 files, 1 icon, 1 kanban)",
                        "left out 1 hidden sticky note (include them with BACKBONE_INCLUDE_HIDDEN=true)")


@pytest.mark.parametrize("bad", [[1, 2], [{"type": "area"}], [{"id": "x"}]])
def test_widgets_without_id_or_type_are_a_clear_input_error(bad):
    with pytest.raises(InputError, match="objekt 1 saknar id eller typ: är det här en export av objekt från MURAL"):
        normalise(bad)
    with i18n.speaking("en"), pytest.raises(InputError, match="widget 1 has no id or type: is this a MURAL widgets export"):
        normalise(bad)


def test_tags_and_authors():
    ex = area("E", 0, 0, 1000, 1000, id="ex")
    member = sticky("a", 10, 10, parent="ex", tags=["t1"], createdBy={"id": "u", "firstName": "Åsa", "lastName": "Öberg"})
    visitor = sticky("b", 200, 10, parent="ex", createdBy={"alias": "Gäst 7"})
    private = sticky("c", 400, 10, parent="ex", hideOwner=True, createdBy={"firstName": "Hemlig"})
    notes = normalise([ex, member, visitor, private], tags={"t1": "Prioriterad"}).exercises[0].groups[0].notes
    assert [(n.author, n.tags) for n in notes] == [("Åsa Öberg", ("Prioriterad",)), ("Gäst 7", ()), ("", ())]
