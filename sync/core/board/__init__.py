"""Normalise MURAL widgets into a Board: exercises of groups of notes, and prioritised actions.

Pure: a list of widget dicts in, a Board out. Rules (docs/architecture.md has the long form):
- outer areas (or drawn boxes) are exercises, containers inside them are groups, deeper ones fold
  into their group; notes in an exercise but in no group form a group without a title; notes
  outside every exercise are "unsorted". No note is ever dropped silently.
- a sticky's container is its parent area (or a smaller box inside it holding its centre); an
  unparented sticky goes to the smallest container holding its centre.
- group areas (untitled, made by MURAL's Group) are transparent and decorative shapes (shadows, background
  plates) are no containers: see layout.py.
- HTML is stripped from every text field that holds it; Private Mode authors come out as "" with
  `author_hidden`; unresolved comments and the chosen voting session's votes are attached to their notes,
  and prioritised actions are ordered by votes when the board has a voting session.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sync.core.board.actions import is_action_group, make_action
from sync.core.board.content import comment_of, make_note, widget_text
from sync.core.board.geometry import Box, absolute_boxes, reading_order
from sync.core.board.layout import CONTAINER_TYPES
from sync.core.board.layout import Layout as _Layout
from sync.core.errors import InputError
from sync.core.i18n import _, ngettext
from sync.core.jsonio import collector_paused
from sync.core.model import MIRO, Action, Board, Comment, Exercise, Group, Note
from sync.core.text import html_to_text, plain_text

if TYPE_CHECKING:
    from sync.core.board_export import BoardExport

STICKY = "sticky note"
TABLE_CELL = "table cell"
PLACED_TYPES = frozenset({*CONTAINER_TYPES, STICKY, "text"})  # the widgets whose position matters


REFERENCES = ("parentId", "referenceWidgetId")  # widget ids other widgets are looked up by


def _checked(widgets: list[Any]) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for position, widget in enumerate(widgets, 1):
        if not isinstance(widget, dict) or not widget.get("id") or not isinstance(widget.get("type"), str):
            raise InputError(_("widget {number} has no id or type: is this a MURAL widgets export?").format(number=position))
        parent, reference = widget.get("parentId"), widget.get("referenceWidgetId")
        if (parent is not None and parent.__class__ is not str) or (reference is not None and reference.__class__ is not str):
            # a list or object where an id belongs refers to nothing (and would break every lookup)
            widget = {**widget, **{k: None for k in REFERENCES if not isinstance(widget.get(k), (str, type(None)))}}
        by_id[str(widget["id"])] = widget
    return by_id


def _title(layout: _Layout, container_id: str, texts: list[tuple[Box, str]]) -> tuple[str, Box | None]:
    """An area's title; a drawn box's own text; else the text widget at the top of the container.
    Returns the title and the text widget used for it, if any."""
    widget = layout.widgets[container_id]
    own = plain_text(widget.get("title")) if widget["type"] == "area" else widget_text(widget)
    if own:
        return " ".join(own.split()), None
    if texts:
        box, text = min(texts, key=lambda t: (t[0].y, t[0].x))
        return " ".join(text.split()), box
    return " ".join(plain_text(widget.get("title")).split()), None


def board_from_export(export: BoardExport, *, include_hidden: bool = False, workshop: str = "",
                      voting_session: str | None = None) -> Board:
    """The one way from a board export to a Board: sync, recaps and `backbone board` all come through here.
    `voting_session`: BACKBONE_MURAL_VOTING_SESSION; None keeps the choice the export's source made."""
    if export.vendor == MIRO:  # its cards are actions; imported here as sync.core.board.miro imports this module
        from sync.core.board.miro import board_from_miro
        return board_from_miro(export, workshop=workshop, include_hidden=include_hidden)
    return normalise(list(export.widgets), board_id=export.id, title=export.title, updated=export.updated,
                     tags=export.tags, include_hidden=include_hidden, workshop=workshop,
                     votes=export.votes(voting_session))


def normalise(widgets: list[Any], *, board_id: str = "", title: str = "", updated: int | None = None,
              tags: dict[str, str] | None = None, include_hidden: bool = False, workshop: str = "",
              votes: dict[str, int] | None = None) -> Board:
    """`votes`: widget id -> votes in the chosen voting session; None when the board has no voting session."""
    with collector_paused():
        return _normalised(widgets, board_id, title, updated, tags, include_hidden, workshop, votes)


def _normalised(widgets: list[Any], board_id: str, title: str, updated: int | None, tags: dict[str, str] | None,
                include_hidden: bool, workshop: str, votes: dict[str, int] | None) -> Board:
    by_id = _checked(widgets)
    boxes = absolute_boxes(by_id, PLACED_TYPES)
    layout = _Layout(by_id, boxes)
    tag_names = tags or {}
    comments = _comments(by_id)
    ignored: Counter[str] = Counter()
    hidden = empty = table_text = 0
    notes_in: dict[str | None, list[tuple[Box, Note]]] = {}
    texts_in: dict[str | None, list[tuple[Box, str]]] = {}

    for widget_id, widget in by_id.items():
        kind = widget["type"]
        if kind in CONTAINER_TYPES:
            continue
        if kind not in (STICKY, "text"):
            if kind == TABLE_CELL and widget_text(widget):
                table_text += 1  # text people wrote, left out: say so rather than call it empty
            elif not (kind == "comment" and widget.get("referenceWidgetId") in by_id):
                ignored[kind] += 1
            continue
        if (widget.get("hidden") or widget.get("invisible")) and not include_hidden:
            hidden += kind == STICKY
            continue
        text = widget_text(widget)
        if not text:
            empty += kind == STICKY
            continue
        home = layout.container_of(widget, boxes[widget_id])
        if kind == STICKY:
            note = make_note(widget, text, tag_names, None if votes is None else int(votes.get(widget_id, 0)),
                             comments.get(widget_id, ()))
            notes_in.setdefault(home, []).append((boxes[widget_id], note))
        else:
            texts_in.setdefault(home, []).append((boxes[widget_id], text))

    titles = {c: _title(layout, c, _heading_texts(texts_in.get(c, []), notes_in.get(c, []))) for c in layout.boxes}
    exercises, actions, unsorted = _assemble(layout, titles, notes_in, texts_in, workshop)
    if votes is not None:
        actions = tuple(sorted(actions, key=lambda a: -(a.votes or 0)))  # stable: board order among equals
    return Board(id=board_id, title=plain_text(title), exercises=exercises, actions=actions, unsorted=unsorted,
                 warnings=_warnings(ignored, hidden, empty, len(unsorted), table_text), updated=updated)


def _comments(by_id: dict[str, dict[str, Any]]) -> dict[str, tuple[Comment, ...]]:
    """Unresolved comments by the id of the widget they point at, oldest first."""
    found: dict[str, list[tuple[float, Comment]]] = {}
    for widget in by_id.values():
        if widget["type"] != "comment" or not isinstance(widget.get("referenceWidgetId"), str):
            continue
        comment = comment_of(widget)
        if comment is not None:
            when = widget.get("createdOn") or widget.get("timestamp") or 0
            found.setdefault(widget["referenceWidgetId"], []).append((when if isinstance(when, (int, float)) else 0, comment))
    return {key: tuple(c for _, c in sorted(pairs, key=lambda p: p[0])) for key, pairs in found.items()}


def _heading_texts(texts: list[tuple[Box, str]], notes: list[tuple[Box, Note]]) -> list[tuple[Box, str]]:
    """Text widgets that sit above every sticky of a container: candidates for its heading."""
    top = min((box.y for box, _ in notes), default=float("inf"))
    return [(box, text) for box, text in texts if box.y < top]


def _assemble(layout: _Layout, titles: dict[str, tuple[str, Box | None]],
              notes_in: dict[str | None, list[tuple[Box, Note]]], texts_in: dict[str | None, list[tuple[Box, str]]],
              workshop: str) -> tuple[tuple[Exercise, ...], tuple[Action, ...], tuple[Note, ...]]:
    """Fold containers into exercise -> group, order everything, and split off the actions."""
    placed: dict[str, dict[str | None, list[tuple[Box, Note]]]] = {}
    described: dict[str, list[tuple[Box, str]]] = {}
    unsorted = [pair for pair in notes_in.get(None, [])]
    for container, pairs in notes_in.items():
        if container is None:
            continue
        chain = layout.chain[container]
        group = chain[1] if len(chain) > 1 else None
        placed.setdefault(chain[0], {}).setdefault(group, []).extend(pairs)
    for container, texts in texts_in.items():
        if container is None or len(layout.chain[container]) < 2:
            continue
        group = layout.chain[container][1]
        used = titles[container][1]
        described.setdefault(group, []).extend(t for t in texts if t[0] is not used)

    exercises, actions = [], []
    exercise_boxes = reading_order([layout.boxes[e] for e in placed])
    for order, exercise_box in enumerate(exercise_boxes, 1):
        exercise_id = exercise_box.id
        exercise_title = titles[exercise_id][0]
        groups_here = placed[exercise_id]
        group_ids: list[str | None] = [b.id for b in reading_order([layout.boxes[g] for g in groups_here if g is not None])]
        if None in groups_here:
            group_ids.append(None)
        groups = []
        for group_id in group_ids:
            ordered = _in_reading_order(groups_here[group_id])
            group_title = titles[group_id][0] if group_id else ""
            if group_id and group_title and is_action_group(ordered):
                action = make_action(group_id, group_title, exercise_title, ordered, workshop)
                if any(n.votes is not None for n in ordered):
                    action = replace(action, votes=sum(n.votes or 0 for n in ordered))
                actions.append(action)
                continue
            groups.append(Group(title=group_title, description=_description(layout, group_id, described),
                                notes=ordered, id=group_id or f"{exercise_id}#loose"))
        exercises.append(Exercise(title=exercise_title, order=order, groups=tuple(groups), id=exercise_id))
    return tuple(exercises), tuple(actions), _in_reading_order(unsorted)


def _in_reading_order(pairs: list[tuple[Box, Note]]) -> tuple[Note, ...]:
    by_box = {id(box): note for box, note in pairs}
    return tuple(by_box[id(box)] for box in reading_order([box for box, _ in pairs]))


def _description(layout: _Layout, group_id: str | None, described: dict[str, list[tuple[Box, str]]]) -> str:
    """The group's facilitator instruction, then any free text placed in it besides its title."""
    if group_id is None:
        return ""
    parts = []
    instruction = layout.widgets[group_id].get("instruction")
    if isinstance(instruction, str) and instruction.strip():
        parts.append(html_to_text(instruction))
    parts.extend(text for _, text in sorted(described.get(group_id, []), key=lambda t: (t[0].y, t[0].x)))
    return "\n".join(p for p in parts if p)


# MURAL's widget types (reference §7, and kinds other clients report) as a coordinator reads them, counted.
WIDGET_KINDS: dict[str, Callable[[int], str]] = {
    "area": lambda n: ngettext("{count} area", "{count} areas", n),
    "arrow": lambda n: ngettext("{count} arrow", "{count} arrows", n),
    "comment": lambda n: ngettext("{count} comment", "{count} comments", n),
    "connector": lambda n: ngettext("{count} connector", "{count} connectors", n),
    "drawing": lambda n: ngettext("{count} drawing", "{count} drawings", n),
    "file": lambda n: ngettext("{count} file", "{count} files", n),
    "icon": lambda n: ngettext("{count} icon", "{count} icons", n),
    "image": lambda n: ngettext("{count} image", "{count} images", n),
    "line": lambda n: ngettext("{count} line", "{count} lines", n),
    "shape": lambda n: ngettext("{count} shape", "{count} shapes", n),
    "sticky note": lambda n: ngettext("{count} sticky note", "{count} sticky notes", n),
    "table": lambda n: ngettext("{count} table", "{count} tables", n),
    "table cell": lambda n: ngettext("{count} table cell", "{count} table cells", n),
    "text": lambda n: ngettext("{count} text", "{count} texts", n),
}


def widget_count(kind: str, count: int) -> str:
    """"2 pilar": a count of widgets of one MURAL type; a type MURAL adds later keeps its own name ("1 kanban")."""
    words = WIDGET_KINDS.get(kind)
    return words(count).format(count=count) if words else f"{count} {kind}"


def _warnings(ignored: Counter[str], hidden: int, empty: int, unsorted: int, table_text: int = 0) -> tuple[str, ...]:
    out = []
    if table_text:
        out.append(ngettext("left out {count} table cell with text (tables are not read as sticky notes)",
                            "left out {count} table cells with text (tables are not read as sticky notes)",
                            table_text).format(count=table_text))
    if ignored:
        kinds = ", ".join(widget_count(kind, count) for kind, count in sorted(ignored.items()))
        total = sum(ignored.values())
        out.append(ngettext("ignored {count} widget without note text ({kinds})",
                            "ignored {count} widgets without note text ({kinds})", total).format(count=total, kinds=kinds))
    if hidden:
        out.append(ngettext("left out {count} hidden sticky note (include them with BACKBONE_INCLUDE_HIDDEN=true)",
                            "left out {count} hidden sticky notes (include them with BACKBONE_INCLUDE_HIDDEN=true)",
                            hidden).format(count=hidden))
    if empty:
        out.append(ngettext("dropped {count} empty sticky note", "dropped {count} empty sticky notes", empty).format(count=empty))
    if unsorted:
        out.append(ngettext("{count} sticky note lies outside every area: listed as unsorted",
                            "{count} sticky notes lie outside every area: listed as unsorted", unsorted).format(count=unsorted))
    return tuple(out)
