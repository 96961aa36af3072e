"""Property: whatever the placement and nesting, every sticky comes out exactly once."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core.board import normalise

coords = st.floats(min_value=-500, max_value=3000, allow_nan=False, allow_infinity=False)
sizes = st.floats(min_value=1, max_value=2500, allow_nan=False, allow_infinity=False)
texts = st.sampled_from(["Idé", "HUR: något", "NÄR: Q1", "VEM - alla", "Hur då?", "å ä ö 🎉", "a & <b>", "x"])


@st.composite
def boards(draw):
    widgets = []
    containers = []
    for i in range(draw(st.integers(0, 8))):
        parent = draw(st.sampled_from([None, *containers])) if containers and draw(st.booleans()) else None
        kind = draw(st.sampled_from(["area", "shape"]))
        widget = {"id": f"c{i}", "type": kind, "x": draw(coords), "y": draw(coords), "width": draw(sizes),
                  "height": draw(sizes), "parentId": parent if kind == "area" else None,
                  "title": draw(st.sampled_from(["", "Grupp", "Övning"])), "text": draw(st.sampled_from(["", "Box"]))}
        widgets.append(widget)
        containers.append(widget["id"])
    for i in range(draw(st.integers(0, 30))):
        parent = draw(st.sampled_from([None, *containers])) if containers and draw(st.booleans()) else None
        widgets.append({"id": f"s{i}", "type": "sticky note", "text": draw(texts), "x": draw(coords), "y": draw(coords),
                        "width": 100, "height": draw(st.sampled_from([60, 100, 138])), "parentId": parent})
    if draw(st.booleans()):
        widgets.append({"id": "t0", "type": "text", "text": "Rubrik", "x": draw(coords), "y": draw(coords), "width": 200, "height": 40})
    order = draw(st.permutations(range(len(widgets))))
    return [widgets[i] for i in order]


def every_sticky_once(widgets: list[dict]):
    """Each sticky note of the export is in exactly one group or action of the board; the board, for more checks."""
    board = normalise(widgets)
    stickies = sorted(w["id"] for w in widgets if w["type"] == "sticky note")
    in_groups = [n.id for _, _, n in board.notes()]
    in_actions = [i for a in board.actions for i in a.note_ids]
    assert sorted(in_groups + in_actions) == stickies
    return board


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(boards())
def test_no_sticky_is_lost_or_duplicated(widgets):
    every_sticky_once(widgets)


@st.composite
def real_boards(draw):
    """Boards as facilitators make them: exercises, boxes with drop shadows behind them, background plates,
    and stickies grouped (an untitled area, possibly inside another group, children relative to it)."""
    widgets: list[dict] = []
    areas: list[str] = []
    stacking = iter(range(1000))
    for i in range(draw(st.integers(0, 3))):
        widgets.append({"id": f"ex{i}", "type": "area", "title": f"Övning {i}", "x": draw(coords), "y": draw(coords),
                        "width": draw(sizes), "height": draw(sizes), "stackingOrder": next(stacking)})
        areas.append(f"ex{i}")
    for i in range(draw(st.integers(0, 4))):
        x, y, w, h = draw(coords), draw(coords), draw(sizes), draw(sizes)
        offset = draw(st.sampled_from([0.0, 0.01, 0.03, 0.05])) * min(w, h)  # a shadow peeks out a little
        plate = draw(st.booleans())  # or a background plate three times the box
        widgets.append({"id": f"{'plate' if plate else 'shadow'}{i}", "type": "shape", "text": "", "x": x + offset, "y": y + offset,
                        "width": w * (3 if plate else 1), "height": h * (3 if plate else 1), "stackingOrder": next(stacking)})
        widgets.append({"id": f"box{i}", "type": "shape", "text": draw(st.sampled_from(["<div>Box</div>", "", "Ruta"])),
                        "x": x, "y": y, "width": w, "height": h, "stackingOrder": next(stacking)})
    for i in range(draw(st.integers(0, 4))):
        parent = draw(st.sampled_from([None, *areas]))
        widgets.append({"id": f"grp{i}", "type": "area", "title": "", "showTitle": False, "x": draw(coords), "y": draw(coords),
                        "width": draw(sizes), "height": draw(sizes), "parentId": parent, "stackingOrder": next(stacking)})
        areas.append(f"grp{i}")
    for i in range(draw(st.integers(0, 30))):
        parent = draw(st.sampled_from([None, *areas]))
        widgets.append({"id": f"s{i}", "type": "sticky note", "text": draw(texts), "x": draw(coords), "y": draw(coords),
                        "width": 138, "height": 138, "parentId": parent, "stackingOrder": next(stacking)})
    order = draw(st.permutations(range(len(widgets))))
    return [widgets[i] for i in order]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(real_boards())
def test_no_sticky_is_lost_or_duplicated_with_group_areas_and_decorative_shapes(widgets):
    board = every_sticky_once(widgets)
    group_ids = {g.id for e in board.exercises for g in e.groups} | {e.id for e in board.exercises}
    assert not any(i.startswith(("grp", "shadow")) for i in group_ids)  # group areas and shadows never become groups
