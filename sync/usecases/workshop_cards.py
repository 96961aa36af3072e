"""What the web page's workshop cards list, from the sheet as read: the workshops, which have rows in the sheet's
tabs, and what each recap leaves out. Functions of the values (the page caches them per read of the sheet)."""
from __future__ import annotations

from collections.abc import Callable

from sync.core.curation import ROW_DELETED, SAID_NO, says_no
from sync.core.sheet.reading import rows_of
from sync.core.sheet.tabs import ACTIONS, IDEAS, WORKSHOPS
from sync.core.sheet.values import SheetValues
from sync.core.suppression import Suppression


def workshop_rows(values: SheetValues, sheet: str) -> list[dict[str, str]]:
    """The Workshops tab's rows with an ID (ID, title, date, board, notes, last synced)."""
    return [record for _, record in rows_of(values, WORKSHOPS, sheet, required=True) if record.get("id")]


def workshops_in_sheet_tabs(values: SheetValues, sheet: str) -> frozenset[str]:
    """The workshop IDs (case-folded) with rows in Idéer or Åtgärder: a workshop without a board gets its recap
    from these."""
    return frozenset(record.get("workshop", "").casefold() for schema in (IDEAS, ACTIONS)
                     for _, record in rows_of(values, schema, sheet) if record.get("workshop"))


def left_out_of_recaps(values: SheetValues, sheet: str, written: frozenset[str],
                       base_rows: Callable[[list[str]], dict[str, dict[str, str]]],
                       hide: Suppression) -> dict[str, list[tuple[str, str]]]:
    """What each workshop's recap leaves out: workshop ID (case-folded) -> [(the note's text, SAID_NO or ROW_DELETED)],
    in the sheet's order. The recap's rule (sync/core/curation.py) on the sheet and the merge base, without loading a
    board: a note is on its board when the last sync said so (På tavlan). `written`: the Idéer rows sync wrote (the
    merge base); `base_rows(ids)`: those rows as sync wrote them; `hide`: forgotten people, cut from the texts."""
    rows = {record["id"]: record for _, record in rows_of(values, IDEAS, sheet) if record.get("id")}
    found: dict[str, list[tuple[str, str]]] = {}

    def out(workshop: str, text: str, why: str) -> None:
        found.setdefault(workshop.strip().casefold(), []).append((hide.text(text), why))
    for row in rows.values():
        if says_no(row.get("in_recap", "")) and not says_no(row.get("on_board", "")):
            out(row.get("workshop", ""), row.get("text", ""), SAID_NO)
    for row in base_rows(sorted(written - rows.keys())).values():
        if not says_no(row.get("on_board", "")):
            out(row.get("workshop", ""), row.get("text", ""), ROW_DELETED)
    return found
