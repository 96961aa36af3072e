"""Tiny widget builders for normaliser tests."""
from __future__ import annotations

import itertools

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
