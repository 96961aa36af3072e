"""A1 column letters, as the workbook's XML writes them: shared by the reader and the in-place writer."""
from __future__ import annotations


def column_letter(col: int) -> str:
    """0-based column index -> A, B, …, AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, AA -> 26 (lower case read as upper)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1
