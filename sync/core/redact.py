"""Finding and removing one person's name in text and in MURAL's JSON. Pure.

The name matches whole words, ignoring case and how the spaces inside it are written, so
"amira  hassan" finds "Amira Hassan" and "Amira Hassans", but "Per" does not find "Persson". A cell or field that says
only the name becomes empty; a longer text keeps its words and gets a marker where the name was.
MURAL's person objects (createdBy, updatedBy, a reply's user, ...) that are this person lose every
identifying field — first and last name, alias, e-mail and the user id, which spells the name.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.core.errors import InputError
from sync.core.i18n import _, language, words

_PERSON_KEYS = ("firstName", "lastName", "alias")  # only MURAL's person objects have these (widgets never do)
_PERSON_FIELDS = (*_PERSON_KEYS, "email", "username", "name")


def names_person(value: dict[str, Any], mentions: Callable[[object], bool]) -> bool:
    """Whether a MURAL person object (createdBy, a reply's user, ...) carries a name `mentions` finds: its first and
    last name together, or any one identifying field."""
    if not any(isinstance(value.get(k), str) for k in _PERSON_KEYS):
        return False
    full = " ".join(str(value.get(k) or "") for k in ("firstName", "lastName"))
    return any(mentions(v) for v in (full, *(value.get(k) for k in _PERSON_FIELDS)))


def json_without(value: Any, text: Callable[[str], str], is_person: Callable[[dict[str, Any]], bool]) -> Any:
    """A copy of JSON data with `text` applied to every string and every person object `is_person` finds reduced to
    its type; the same object back when nothing changed (so callers can tell, and nothing is copied in vain)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        items = [json_without(item, text, is_person) for item in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, dict):
        if is_person(value):
            return {k: v for k, v in value.items() if k == "type"}
        fields = {k: json_without(v, text, is_person) for k, v in value.items()}
        return value if all(fields[k] is value[k] for k in value) else fields
    return value


def name_removed(lang: str) -> str:
    """What stands where a forgotten name stood: "[namn borttaget]" / "[name removed]"."""
    return words(lang).gettext("[name removed]")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class NameEraser:
    name: str
    marker: str = ""  # empty: name_removed() in the language being spoken
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.marker:
            object.__setattr__(self, "marker", name_removed(language()))
        words = _nfc(self.name).split()
        if sum(len(w) for w in words) < 3 or not any(c.isalpha() for c in self.name):
            raise InputError(_("{name!r}: give the person's name as it is written, at least 3 letters "
                               "(e.g. \"Amira Hassan\"); a shorter one would match too much").format(name=self.name))
        body = r"\s+".join(re.escape(w) for w in words)
        # A Swedish genitive ("Amira Hassans grupp") is the name too; its "s" stays after the marker.
        object.__setattr__(self, "pattern", re.compile(rf"(?<!\w){body}(?=(?:[:'’]?s)?(?!\w))", re.IGNORECASE))
        object.__setattr__(self, "name", " ".join(words))

    def mentions(self, text: object) -> bool:
        return isinstance(text, str) and self.pattern.search(_nfc(text)) is not None

    def text(self, text: str) -> str:
        """The text without the name: "" when it said nothing else, else the marker in its place."""
        if not self.mentions(text):
            return text
        rest = self.pattern.sub("", _nfc(text))
        if not re.sub(r"[\W_]", "", rest):
            return ""
        return self.pattern.sub(self.marker, _nfc(text))

    def is_person(self, value: dict[str, Any]) -> bool:
        """A MURAL person object naming this person."""
        return names_person(value, self.mentions)

    def json(self, value: Any) -> Any:
        """A copy of JSON data without the person; the same object back when nothing named them."""
        return json_without(value, self.text, self.is_person)

    def user_ids(self, value: Any) -> set[str]:
        """The MURAL user ids of this person's person objects anywhere in JSON data (to recognise them later)."""
        if isinstance(value, list):
            return set().union(*(self.user_ids(item) for item in value))
        if isinstance(value, dict):
            if self.is_person(value):
                return {value["id"]} if isinstance(value.get("id"), str) and value["id"].strip() else set()
            return set().union(*(self.user_ids(v) for v in value.values()))
        return set()
