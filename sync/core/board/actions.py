"""Prioritised actions: a group whose stickies carry the labels HUR / NÄR / VEM (How / When / Who)."""
from __future__ import annotations

import re

from sync.core.model import Action, Note

_LABELS = {"hur": "how", "how": "how", "när": "when", "nar": "when", "when": "when", "vem": "who", "who": "who"}
_LABEL = re.compile(r"^\s*(hur|när|nar|vem|how|when|who)\b[ \t]*([:\-–—]?)[ \t]*(.*)$", re.IGNORECASE)


def _labelled_lines(text: str) -> list[tuple[str | None, str, bool]]:
    """(field or None, text, had a separator) per line."""
    out: list[tuple[str | None, str, bool]] = []
    for line in text.split("\n"):
        match = _LABEL.match(line)
        if match:
            out.append((_LABELS[match.group(1).casefold()], match.group(3).strip(), bool(match.group(2))))
        else:
            out.append((None, line.strip(), False))
    return out


def is_action_group(notes: tuple[Note, ...]) -> bool:
    """Every sticky starts with a label, and the labels look deliberate: two kinds of label,
    or a ':'/'-' after one. ("Hur kan vi ...?" questions alone are ideas, not an action.)"""
    if not notes:
        return False
    firsts = []
    for note in notes:  # most groups are ideas: the first sticky without a label says so
        first = _labelled_lines(note.text.split("\n", 1)[0])[0]
        if first[0] is None:
            return False
        firsts.append(first)
    all_labels = {f for n in notes for f, _, _ in _labelled_lines(n.text) if f}
    return len(all_labels) >= 2 or any(sep for _, _, sep in firsts)


def make_action(action_id: str, title: str, exercise: str, notes: tuple[Note, ...], workshop: str = "") -> Action:
    """Fields from the labelled lines; lines without a label continue the previous label;
    several stickies with one label are joined with a line break; a missing label is empty."""
    values: dict[str, list[str]] = {"how": [], "when": [], "who": []}
    for note in notes:
        current: str | None = None
        parts: dict[str, list[str]] = {}
        for field, text, _ in _labelled_lines(note.text):
            current = field or current
            if current and text:
                parts.setdefault(current, []).append(text)
        for field, lines in parts.items():
            values[field].append("\n".join(lines))
    return Action(
        id=action_id, workshop=workshop, title=title, exercise=exercise,
        how="\n".join(values["how"]), when="\n".join(values["when"]), who="\n".join(values["who"]),
        note_ids=tuple(n.id for n in notes),
    )
