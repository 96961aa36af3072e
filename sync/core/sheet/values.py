"""The values the sheet port speaks in: what a read gives, what a write sends, what the intent log keeps. Pure data."""
from __future__ import annotations

from dataclasses import dataclass

CellValue = str | int | float

# A read sheet: tab title -> rows (row 0 is the header), every cell a str ("" when empty),
# rows padded to no particular width (trailing empty cells may be missing, as Google trims them).
SheetValues = dict[str, list[list[str]]]


@dataclass(frozen=True)
class CellWrite:
    tab: str  # exact tab title
    row: int  # 0-based; row 0 is the header; may lie past the last row (the grid grows)
    col: int  # 0-based
    value: CellValue  # written as a plain value: text stays text, never a formula or a date


@dataclass(frozen=True)
class SheetWrite:
    """Everything one sync writes. Backends apply it atomically as far as the service allows."""

    new_tabs: tuple[str, ...] = ()
    cells: tuple[CellWrite, ...] = ()

    def is_empty(self) -> bool:
        return not self.new_tabs and not self.cells


LAYOUT = -1  # Intent.col of a layout record: the read saw row_id at row (a row a new row's write may overwrite)


@dataclass(frozen=True)
class Intent:
    """One cell of a positional write, recorded before it is sent (sync/core/sheet/intents.py)."""
    tab: str
    row: int  # 0-based, as addressed
    row_id: str  # the ID of the row the value is meant for
    col: int  # 0-based, as addressed; LAYOUT for a layout record
    header: str = ""
    value: str = ""
    base: str = ""  # what the read held in the addressed cell
    new: bool = False  # the row is new: its slot was blank in the read


BaseKey = tuple[str, str, str]  # (tab key, row ID, column key) -> the value sync last wrote there
