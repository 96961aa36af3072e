"""The common model: what a workshop produced, independent of MURAL and of the sheet.

Plain immutable dataclasses with a JSON round trip. Nothing here does I/O.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

MURAL, MIRO = "mural", "miro"  # the vendors a board comes from: Miro's REST API gives no votes and no comments


@dataclass(frozen=True, slots=True)
class Comment:
    """An unresolved comment on a note: its message and the replies to it, as plain text."""

    text: str
    replies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    text: str
    author: str = ""
    colour: str = ""
    created: int | None = None  # epoch milliseconds, as MURAL gives them
    updated: int | None = None
    tags: tuple[str, ...] = ()
    votes: int | None = None  # in the chosen voting session; None when the board has no voting session
    comments: tuple[Comment, ...] = ()  # unresolved only
    author_hidden: bool = False  # MURAL's Private Mode (hideOwner/hideEditor): `author` is "" and must stay so


@dataclass(frozen=True, slots=True)
class Group:
    title: str
    description: str = ""
    notes: tuple[Note, ...] = ()
    id: str = ""


@dataclass(frozen=True, slots=True)
class Exercise:
    title: str
    order: int = 0
    groups: tuple[Group, ...] = ()
    id: str = ""


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    workshop: str
    title: str
    how: str = ""
    when: str = ""
    who: str = ""
    status: str = ""
    exercise: str = ""
    note_ids: tuple[str, ...] = ()
    votes: int | None = None  # the votes on its stickies; None when the board has no voting session


@dataclass(frozen=True, slots=True)
class Attendee:
    name: str
    organisation: str = ""
    workshop: str = ""


@dataclass(frozen=True, slots=True)
class Workshop:
    id: str
    title: str
    date: str = ""  # ISO date, YYYY-MM-DD, or "" when the sheet has none
    theme: str = ""
    intro: str = ""
    slides: str = ""
    board: str = ""  # a MURAL id or URL as typed in the sheet
    # People's texts for the recap (Workshops tab): the number in the series as typed ("2" or "andra"),
    # the series' name, a sentence on the day's purpose, and the text that introduces the board.
    number: str = ""
    series: str = ""
    purpose: str = ""
    board_intro: str = ""


@dataclass(frozen=True, slots=True)
class Board:
    """A normalised board: exercises of groups of notes, prioritised actions, and what fit nowhere."""

    id: str = ""
    title: str = ""
    exercises: tuple[Exercise, ...] = ()
    actions: tuple[Action, ...] = ()
    unsorted: tuple[Note, ...] = ()
    warnings: tuple[str, ...] = ()
    updated: int | None = None
    vendor: str = MURAL  # MURAL or MIRO: a recap says what a Miro board cannot have

    def notes(self) -> list[tuple[Exercise | None, Group | None, Note]]:
        """Every idea note with where it sits; notes consumed by actions are not ideas."""
        found: list[tuple[Exercise | None, Group | None, Note]] = []
        for exercise in self.exercises:
            for group in exercise.groups:
                found.extend((exercise, group, note) for note in group.notes)
        found.extend((None, None, note) for note in self.unsorted)
        return found


@dataclass(frozen=True)
class Planning:
    """What the planning sheet holds, read side."""

    workshops: tuple[Workshop, ...] = ()
    actions: tuple[Action, ...] = ()
    attendees: tuple[Attendee, ...] = ()
    ideas: dict[str, dict[str, str]] = field(default_factory=dict)  # ID -> column -> value

    def workshop(self, workshop_id: str) -> Workshop | None:
        wanted = workshop_id.strip().casefold()
        return next((w for w in self.workshops if w.id.casefold() == wanted), None)


def to_json(obj: Any) -> Any:
    """Model objects to plain JSON values (tuples become lists)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_json(item) for item in obj]
    if isinstance(obj, dict):
        return {key: to_json(value) for key, value in obj.items()}
    return obj
