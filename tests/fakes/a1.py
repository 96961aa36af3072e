"""A1 notation as the Sheets API reads and echoes it: tab titles (quoted or not), cells, open-ended ranges.

Standard library only: the fake Sheets server imports this when run on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CELLS = re.compile(r"^([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?$")
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Titles that would read as a cell, a column or an R1C1 reference must stay quoted (the API echoes 'D3'!A1).
_REFERENCE_LIKE = re.compile(r"[A-Za-z]{1,3}\d*|[Rr]\d*[Cc]\d*|true|false", re.IGNORECASE)


class A1Error(ValueError):
    """Not a range the API could parse; the message is the API's."""


@dataclass(frozen=True)
class Box:
    """0-based, inclusive; None on an end means 'to the edge of the grid'."""

    r0: int
    c0: int
    r1: int | None
    c1: int | None
    single: bool = False  # written as one cell ("A1"): a write anchor, not a bound

    def clamp(self, rows: int, cols: int) -> Box:
        return Box(self.r0, self.c0, rows - 1 if self.r1 is None else self.r1,
                   cols - 1 if self.c1 is None else self.c1, self.single)


@dataclass(frozen=True)
class Range:
    title: str | None  # None: no tab given (the API then means the first tab)
    box: Box | None  # None: the whole tab


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    value = 0
    for ch in letters.upper():
        value = value * 26 + ord(ch) - 64
    return value - 1


def quote_title(title: str) -> str:
    """As the API echoes a tab title: bare when it can be, else single-quoted with ' doubled."""
    if _PLAIN_TITLE.fullmatch(title) and not _REFERENCE_LIKE.fullmatch(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_box(box: Box) -> str:
    start = f"{column_letters(box.c0)}{box.r0 + 1}"
    if box.r0 == box.r1 and box.c0 == box.c1:
        return start
    return f"{start}:{column_letters(box.c1)}{box.r1 + 1}"


def format_range(title: str, box: Box) -> str:
    return f"{quote_title(title)}!{format_box(box)}"


def split_title(text: str) -> tuple[str | None, str | None]:
    """'Tab'!A1 -> ('Tab', 'A1'); Tab!A1 -> ('Tab', 'A1'); 'Tab' -> ('Tab', None); A1 -> (None, 'A1') is left to the caller."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1:i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                break
            title.append(text[i])
            i += 1
        else:
            raise A1Error(f"Unable to parse range: {text}")
        rest = text[i + 1:]
        if not rest:
            return "".join(title), None
        if not rest.startswith("!"):
            raise A1Error(f"Unable to parse range: {text}")
        return "".join(title), rest[1:]
    if "!" in text:
        title, _, cells = text.partition("!")
        return title, cells
    return text, None  # a bare word: a tab title, or cells on the first tab (decided by the caller)


def parse_cells(cells: str, original: str) -> Box:
    match = _CELLS.match(cells.strip())
    if not match or not cells.strip():
        raise A1Error(f"Unable to parse range: {original}")
    c0, r0, c1, r1 = match.groups()
    if c1 is None and r1 is None:  # one cell: needs both a column and a row
        if not c0 or not r0:
            raise A1Error(f"Unable to parse range: {original}")
        return Box(int(r0) - 1, column_index(c0), int(r0) - 1, column_index(c0), single=True)
    if (not c0 and not r0) or (not c1 and not r1) or (r0 and int(r0) < 1) or (r1 and int(r1) < 1):
        raise A1Error(f"Unable to parse range: {original}")
    start_r = int(r0) - 1 if r0 else 0
    start_c = column_index(c0) if c0 else 0
    end_r = int(r1) - 1 if r1 else None
    end_c = column_index(c1) if c1 else None
    # Whole rows ("2:5") or columns ("A:C") keep both ends open in the other dimension.
    if not c0 and not c1:
        start_c, end_c = 0, None
    if not r0 and not r1:
        start_r, end_r = 0, None
    if end_r is not None and end_r < start_r:
        start_r, end_r = end_r, start_r
    if end_c is not None and end_c < start_c:
        start_c, end_c = end_c, start_c
    return Box(start_r, start_c, end_r, end_c)


def parse_range(text: str, titles: list[str]) -> Range:
    """A range as the API reads it; `titles` decides whether a bare word is a tab or a cell reference."""
    title, cells = split_title(text)
    if cells is None and not text.startswith("'"):
        if find_title(text, titles) is None:
            return Range(None, parse_cells(text, text))
        return Range(text, None)
    if cells is None:
        return Range(title, None)
    return Range(title, parse_cells(cells, text))


def find_title(title: str, titles: list[str]) -> str | None:
    """Tab references are case-insensitive in Sheets."""
    if title in titles:
        return title
    folded = title.casefold()
    return next((t for t in titles if t.casefold() == folded), None)
