"""What a widget says: its text, author, colour, tags and comments."""
from __future__ import annotations

from functools import lru_cache

from sync.core.model import Comment, Note
from sync.core.text import html_to_text, plain_text, tidy


def widget_text(widget: dict) -> str:
    """htmlText with tags stripped when it has any text, else the `text` field (which may hold HTML too:
    text widgets and shapes carry `<div><span ...>` there), else a table cell's `textContent`."""
    markup = widget.get("htmlText")
    if isinstance(markup, str) and markup.strip():
        text = html_to_text(markup)
        if text:
            return text
    plain = widget.get("text")
    if isinstance(plain, str):
        if "<" not in plain and "&" not in plain:  # the common sticky: no markup to look for
            if plain.isprintable() and "  " not in plain and plain[:1] != " " and plain[-1:] != " ":
                return plain  # nothing tidy() would change: no control, invisible or odd space character, no line break
            return tidy(plain)
        text = plain_text(plain)
        if text:
            return text
    return plain_text(widget.get("textContent"))


def author_hidden(widget: dict) -> bool:
    """MURAL's Private Mode: the board hides who wrote (hideOwner) or edited (hideEditor) the widget."""
    return bool(widget.get("hideOwner") or widget.get("hideEditor"))


def widget_author(widget: dict) -> str:
    """The creator's name; empty under Private Mode or when unknown. Visitors have an alias only."""
    if author_hidden(widget):
        return ""
    person = widget.get("createdBy")
    if not isinstance(person, dict):
        return ""
    return _name(*(part if part is None or isinstance(part, str) else str(part)  # hashable, for the cache
                   for part in (person.get("firstName"), person.get("lastName"), person.get("alias"))))


@lru_cache(maxsize=4096)  # a board has few authors and thousands of notes
def _name(first: object, last: object, alias: object) -> str:
    name = " ".join(str(part or "").strip() for part in (first, last)).strip()
    return plain_text(name or str(alias or ""))


LAST_MILLIS = 253402300799999  # 9999-12-31T23:59:59.999Z: any later "time" is no time (and would not convert)


def _millis(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= LAST_MILLIS:  # NaN fails too
        return int(value)
    return None


def comment_of(widget: dict) -> Comment | None:
    """An unresolved comment widget as a Comment; None when it is resolved or says nothing."""
    if widget.get("resolvedOn") or widget.get("resolvedBy") or widget.get("resolved") is True:
        return None
    text = plain_text(widget.get("message"))
    replies = widget.get("replies")
    answers = tuple(r for r in (plain_text(reply.get("message")) if isinstance(reply, dict) else plain_text(reply)
                                for reply in (replies if isinstance(replies, list) else ())) if r)
    return Comment(text, answers) if text or answers else None


def make_note(widget: dict, text: str, tag_names: dict[str, str], votes: int | None = None,
              comments: tuple[Comment, ...] = ()) -> Note:
    # Called for every sticky: plain lookups, no helper objects, the common values (whole-millisecond times,
    # a member's two names) decided inline; the rest through the functions above (benchmarks/bench_board_json.py).
    get = widget.get
    style = get("style")
    tags = get("tags")
    hidden = bool(get("hideOwner") or get("hideEditor"))
    author = ""
    person = get("createdBy")
    if not hidden and person.__class__ is dict:
        first, last, alias = person.get("firstName"), person.get("lastName"), person.get("alias")
        if (first is None or first.__class__ is str) and (last is None or last.__class__ is str) and \
                (alias is None or alias.__class__ is str):
            author = _name(first, last, alias)
        else:
            author = widget_author(widget)
    elif not hidden and isinstance(person, dict):
        author = widget_author(widget)
    created, edited = get("createdOn"), get("contentEditedOn")
    if not (created.__class__ is int and 0 < created <= LAST_MILLIS):
        created = _millis(created)
    if not (edited.__class__ is int and 0 < edited <= LAST_MILLIS):
        edited = _millis(edited) or _millis(get("updatedOn"))
    return Note(  # positional: measurably faster than keywords for a frozen dataclass
        str(widget["id"]),
        text,
        author,
        str(style.get("backgroundColor") or "") if isinstance(style, dict) else "",
        created,
        edited,
        tuple(plain_text(tag_names.get(str(t), str(t))) for t in tags) if isinstance(tags, list) and tags else (),
        votes,
        comments,
        hidden,
    )
