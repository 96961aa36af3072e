"""The board use case: one board export (a file or an archived snapshot) as a readable outline or as JSON."""
from __future__ import annotations

from pathlib import Path

from . import jsonio
from .board import board_from_export
from .boards import BoardExport
from .errors import InputError, NotFoundError
from .model import Board
from .mural.export import export_from_json, load_export_file
from .state import StateStore


def export_to_read(file: str | None, snapshot: int | None, state: StateStore) -> BoardExport:
    """The export `backbone board` reads: a FILE, or snapshot N of the state database (one of them)."""
    if (file is None) == (snapshot is None):
        raise InputError("give a board export FILE or --snapshot N (one of them)")
    if file is None:
        found = state.snapshot(snapshot) if snapshot is not None else None
        if found is None:
            raise NotFoundError(f"no snapshot {snapshot} in {state.path}; `backbone mural history MURAL_ID` lists them")
        return export_from_json(found[1], f"snapshot {snapshot}", found[0].mural_id)
    path = Path(file)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    return load_export_file(path)


def show_board(export: BoardExport, *, as_json: bool, include_hidden: bool, voting_session: str | None) -> str:
    board = board_from_export(export, include_hidden=include_hidden, voting_session=voting_session)
    if as_json:
        # orjson writes the model's dataclasses itself, field by field in declaration order, as to_json does
        return jsonio.dumps({"id": board.id, "title": board.title, "exercises": board.exercises,
                             "actions": board.actions, "unsorted": board.unsorted, "warnings": board.warnings},
                            indent=True).decode("utf-8")
    return board_outline(board)


def board_outline(board: Board) -> str:
    lines = [f"{board.title or 'Board'}{f' ({board.id})' if board.id else ''}"]
    for exercise in board.exercises:
        lines.append(f"\n{exercise.title or '(exercise without a title)'}")
        for group in exercise.groups:
            lines.append(f"  {group.title or '(no group)'}  [{len(group.notes)}]")
            if group.description:
                lines.append(f"    {' '.join(group.description.split())}")
            lines.extend(f"    • {' / '.join(note.text.splitlines())}" for note in group.notes)
        for action in (a for a in board.actions if a.exercise == exercise.title):
            lines.append(f"  {action.title}")
            for label, value in (("HUR", action.how), ("NÄR", action.when), ("VEM", action.who)):
                lines.append(f"    {label}: {' / '.join(value.splitlines()) or '–'}")
    if board.unsorted:
        lines.append(f"\nOutside every area  [{len(board.unsorted)}]")
        lines.extend(f"    • {' / '.join(note.text.splitlines())}" for note in board.unsorted)
    ideas, actions = len(board.notes()), len(board.actions)
    lines.append(f"\n{ideas} notes in {sum(len(e.groups) for e in board.exercises)} groups, {actions} prioritised actions")
    lines.extend(f"warning: {w}" for w in board.warnings)
    return "\n".join(lines)
