"""What a widget says: its text, author, colour and tags."""
from __future__ import annotations

from functools import lru_cache

from ..model import Note
from ..text import html_to_text, tidy


def widget_text(widget: dict) -> str:
    """htmlText with tags stripped when it has any text, else the plain `text` field."""
    markup = widget.get("htmlText")
    if isinstance(markup, str) and markup.strip():
        text = html_to_text(markup)
        if text:
            return text
    plain = widget.get("text")
    return tidy(plain) if isinstance(plain, str) else ""


def widget_author(widget: dict) -> str:
    """The creator's name; empty under MURAL's Private Mode or when unknown. Visitors have an alias only."""
    if widget.get("hideOwner"):
        return ""
    person = widget.get("createdBy")
    if not isinstance(person, dict):
        return ""
    return _name(person.get("firstName"), person.get("lastName"), person.get("alias"))


@lru_cache(maxsize=4096)  # a board has few authors and thousands of notes
def _name(first: object, last: object, alias: object) -> str:
    name = " ".join(str(part or "").strip() for part in (first, last)).strip()
    return tidy(name or str(alias or ""))


def _millis(value: object) -> int | None:
    return int(value) if isinstance(value, (int, float)) and value > 0 else None


def make_note(widget: dict, text: str, tag_names: dict[str, str]) -> Note:
    # Called for every sticky: plain lookups, no helper objects (see benchmarks/bench_normalise.py).
    style = widget.get("style")
    tags = widget.get("tags")
    return Note(  # positional: measurably faster than keywords for a frozen dataclass
        str(widget["id"]),
        text,
        widget_author(widget),
        str(style.get("backgroundColor") or "") if isinstance(style, dict) else "",
        _millis(widget.get("createdOn")),
        _millis(widget.get("contentEditedOn")) or _millis(widget.get("updatedOn")),
        tuple(tag_names.get(str(t), str(t)) for t in tags) if isinstance(tags, list) and tags else (),
    )
