"""The three-way merge of one cell: the sheet's value, the board's value, and what sync last wrote.

Pure and tiny on purpose: this is the rule that keeps people's work safe.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    SAME = "same"  # the sheet already says what the board says
    WRITE = "write"  # the board changed and nobody touched the cell: update it
    KEEP = "keep"  # a person changed the cell and the board did not: keep the person's value
    CONFLICT = "conflict"  # both changed: keep the person's value, tell the coordinator


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    new_base: str | None  # what to remember as "last written by sync"; None keeps the old base


def same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def merge_cell(sheet: str, board: str, base: str | None) -> Decision:
    if same(sheet, board):
        return Decision(Outcome.SAME, board)
    if base is None:
        # No memory of this cell (new column, new or lost state). An empty cell holds nothing a
        # person typed, so fill it; a differing value is treated as a person's edit.
        if not sheet.strip():
            return Decision(Outcome.WRITE, board)
        return Decision(Outcome.CONFLICT, board)
    if same(sheet, base):
        return Decision(Outcome.WRITE, board)
    if same(board, base):
        return Decision(Outcome.KEEP, None)
    # Remember the board's new value so the same conflict is reported once, not every night.
    return Decision(Outcome.CONFLICT, board)
