"""Which of a board's notes a recap lists: the one rule behind the recap, `Lappar` in the sheet, the web page
and the follow-up report. Pure.

A note is left out only for a reason it can name: its row in Idéer says `I sammanfattningen` = "nej"
(SAID_NO), or sync wrote its row once (the merge base knows it) and a person deleted it (ROW_DELETED).
A note the sheet has never seen (before the first sync, or put on the board after the last one) is in.
HUR/NÄR/VEM stickies belong to their action and are not notes.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping

from sync.core.model import Board

SAID_NO, ROW_DELETED = "said_no", "row_deleted"
_NO = {"nej", "no", "n", "false", "0"}


def says_no(in_recap: str) -> bool:
    """Whether an `I sammanfattningen` cell leaves its note out."""
    return " ".join(in_recap.split()).casefold() in _NO


def left_out_reason(in_recap: str | None, written: bool) -> str | None:
    """Why a note is not in the recap, or None. `in_recap`: its row's `I sammanfattningen` cell, None when it has
    no row; `written`: whether sync wrote its row once (the merge base)."""
    if in_recap is None:
        return ROW_DELETED if written else None
    return SAID_NO if says_no(in_recap) else None


def recap_note_count(board: Board, in_recap: Mapping[str, str], written: Collection[str]) -> int:
    """The notes the recap lists: `Lappar`. `in_recap`: row ID -> its `I sammanfattningen` cell, for every row of
    Idéer; `written`: the row IDs sync wrote once."""
    return sum(1 for _, _, note in board.notes() if left_out_reason(in_recap.get(note.id), note.id in written) is None)
