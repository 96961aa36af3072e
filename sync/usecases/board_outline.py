"""The board use case: one board export (a file or an archived snapshot) as a readable outline or as JSON."""
from __future__ import annotations

from sync.core import jsonio
from sync.core.board import board_from_export
from sync.core.board_export import BoardExport
from sync.core.i18n import N_, _, ngettext
from sync.core.model import Action, Board


def show_board(export: BoardExport, *, as_json: bool, include_hidden: bool, voting_session: str | None) -> str:
    board = board_from_export(export, include_hidden=include_hidden, voting_session=voting_session)
    if as_json:
        # orjson writes the model's dataclasses itself, field by field in declaration order, as to_json does
        return jsonio.dumps({"id": board.id, "title": board.title, "exercises": board.exercises,
                             "actions": board.actions, "unsorted": board.unsorted, "warnings": board.warnings},
                            indent=True).decode("utf-8")
    return board_outline(board)


ACTION_LABELS = (("how", N_("HOW")), ("when", N_("WHEN")), ("who", N_("WHO")))  # Swedish: HUR, NÄR, VEM


def _action_lines(action: Action) -> list[str]:
    """An action's title, then HUR/NÄR/VEM each on a line ("–" when empty)."""
    lines = [f"  {action.title}"]
    for field, label in ACTION_LABELS:
        lines.append(f"    {_(label)}: {' / '.join(getattr(action, field).splitlines()) or '–'}")
    return lines


def board_outline(board: Board) -> str:
    title = board.title or _("Untitled board")
    lines = [f"{title} ({board.id})" if board.id else title]
    for exercise in board.exercises:
        lines.append("\n" + (exercise.title or _("(exercise without a title)")))
        for group in exercise.groups:
            group_title = group.title or _("(no group)")
            lines.append(f"  {group_title}  [{len(group.notes)}]")
            if group.description:
                lines.append(f"    {' '.join(group.description.split())}")
            lines.extend(f"    • {' / '.join(note.text.splitlines())}" for note in group.notes)
        for action in (a for a in board.actions if a.exercise == exercise.title):
            lines.extend(_action_lines(action))
    # Tied to no exercise, e.g. a Miro card outside every frame: listed, as counted below.
    titles = {e.title for e in board.exercises}
    elsewhere = [a for a in board.actions if a.exercise not in titles]
    if elsewhere:
        lines.append("\n" + _("Prioritised actions") + f"  [{len(elsewhere)}]")
        for action in elsewhere:
            lines.extend(_action_lines(action))
    if board.unsorted:
        lines.append("\n" + _("Outside every area") + f"  [{len(board.unsorted)}]")
        lines.extend(f"    • {' / '.join(note.text.splitlines())}" for note in board.unsorted)
    notes, groups, actions = len(board.notes()), sum(len(e.groups) for e in board.exercises), len(board.actions)
    lines.append("\n" + _("{notes} in {groups}, {actions}").format(
        notes=ngettext("{count} note", "{count} notes", notes).format(count=notes),
        groups=ngettext("{count} group", "{count} groups", groups).format(count=groups),
        actions=ngettext("{count} prioritised action", "{count} prioritised actions", actions).format(count=actions)))
    lines.extend(_("warning: {text}").format(text=w) for w in board.warnings)
    return "\n".join(lines)
