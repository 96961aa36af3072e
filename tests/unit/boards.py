"""Tiny widget builders for normaliser tests."""
from __future__ import annotations

import itertools

from sync.core.model import MURAL, Action, Board, Comment, Exercise, Group, Note

_ids = itertools.count(1)


def area(title, x, y, w, h, parent=None, **extra):
    return {"id": extra.pop("id", f"area-{next(_ids)}"), "type": "area", "title": title, "x": x, "y": y,
            "width": w, "height": h, "parentId": parent, **extra}


def shape(x, y, w, h, text="", parent=None, **extra):
    return {"id": extra.pop("id", f"shape-{next(_ids)}"), "type": "shape", "text": text, "x": x, "y": y,
            "width": w, "height": h, "parentId": parent, **extra}


def sticky(text, x, y, parent=None, size=100, **extra):
    return {"id": extra.pop("id", f"note-{next(_ids)}"), "type": "sticky note", "text": text, "x": x, "y": y,
            "width": size, "height": size, "parentId": parent, **extra}


def textbox(text, x, y, w=200, h=40, parent=None, **extra):
    return {"id": extra.pop("id", f"text-{next(_ids)}"), "type": "text", "text": text, "x": x, "y": y,
            "width": w, "height": h, "parentId": parent, **extra}


def outline(board):
    """{exercise: {group: [texts]}} for compact assertions."""
    return {e.title: {g.title: [n.text for n in g.notes] for g in e.groups} for e in board.exercises}


# --- the model read back from its JSON (only tests need this direction) ---------------------------

def _comment(data: dict) -> Comment:
    return Comment(text=data.get("text", ""), replies=tuple(data.get("replies", ())))


def _note(data: dict) -> Note:
    return Note(**{**data, "tags": tuple(data.get("tags", ())),
                   "comments": tuple(_comment(c) for c in data.get("comments", ()))})


def _group(data: dict) -> Group:
    return Group(**{**data, "notes": tuple(_note(n) for n in data.get("notes", ()))})


def _exercise(data: dict) -> Exercise:
    return Exercise(**{**data, "groups": tuple(_group(g) for g in data.get("groups", ()))})


def _action(data: dict) -> Action:
    return Action(**{**data, "note_ids": tuple(data.get("note_ids", ()))})


def board_from_json(data: dict) -> Board:
    return Board(
        id=data.get("id", ""),
        title=data.get("title", ""),
        exercises=tuple(_exercise(e) for e in data.get("exercises", ())),
        actions=tuple(_action(a) for a in data.get("actions", ())),
        unsorted=tuple(_note(n) for n in data.get("unsorted", ())),
        warnings=tuple(data.get("warnings", ())),
        updated=data.get("updated"),
        vendor=data.get("vendor", MURAL),
    )
