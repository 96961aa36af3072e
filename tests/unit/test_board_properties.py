"""Property: whatever the placement and nesting, every sticky comes out exactly once."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.board import normalise

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


@settings(max_examples=300, deadline=None)
@given(boards())
def test_no_sticky_is_lost_or_duplicated(widgets):
    board = normalise(widgets)
    stickies = sorted(w["id"] for w in widgets if w["type"] == "sticky note")
    in_groups = [n.id for _, _, n in board.notes()]
    in_actions = [i for a in board.actions for i in a.note_ids]
    assert sorted(in_groups + in_actions) == stickies
