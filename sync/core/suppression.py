"""Forgotten people, recognised without being named: keyed hashes of their names and MURAL user ids.

`backbone forget NAME --apply` stores HMAC-SHA256(installation key, normalised name) and the same of every
MURAL user id that carried the name. The list holds no name, so it can be kept for good; the key lives in
a 0600 file beside the state database (sync/suppression_key.py), never in the sheet or a log.

Text is matched without the name in clear: every window of 1..MAX_WORDS words in a text is normalised and
hashed the same way, and a window whose hash is listed is the name (a Swedish genitive, "Amira Hassans",
"Hassan:s", is tried without its "s"). Words must follow each other with only spaces between them, as
NameEraser (sync/core/redact.py) matches a name written out. Pure: the key and the hashes come in.

`Suppression.export` is the one function a board export passes through where it enters backbone (board
sources, the snapshot archive, `backbone board`): see docs/gdpr.md.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sync.core import i18n
from sync.core.redact import json_without, name_removed, names_person

if TYPE_CHECKING:
    from sync.core.board_export import BoardExport

NAME, USER = "name", "user"  # the two kinds of hash, kept apart so a user id never matches a name
MAX_WORDS = 6  # the longest name (in words) recognised in text
_WORD = re.compile(r"\w+(?:['’:\-]\w+)*")  # "Åsa-Britt", "O'Brien", "Hassan:s" are one word each
_GENITIVE = re.compile(r"(?:[:'’]?s)$", re.IGNORECASE)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalise(name: str) -> str:
    """"  Amira   HASSAN " -> "amira hassan": words only, case folded, Unicode NFC, single spaces."""
    return _nfc(" ".join(m.group() for m in _WORD.finditer(_nfc(name))).casefold())


def digest(key: bytes, kind: str, value: str) -> str:
    """The keyed hash kept for a name (normalised first) or a MURAL user id (as MURAL spells it)."""
    message = normalise(value) if kind == NAME else value.strip()
    return hmac.new(key, f"{kind}\0{message}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Suppression:
    key: bytes = b""
    names: frozenset[str] = frozenset()  # digests of forgotten names
    users: frozenset[str] = frozenset()  # digests of the MURAL user ids that carried them
    lang: str = ""  # the marker's language: a document's own (in_language), else the block's being run
    # A board repeats most of its strings (types, fonts, colours, people): each is cut once per list.
    _done: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _seen: dict[tuple[str, str], bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def in_language(self, lang: str) -> Suppression:
        """The same list, its marker in `lang` ("[name removed]" in an English recap, whatever the block speaks)."""
        return self if lang == self.lang else replace(self, lang=lang)

    def __bool__(self) -> bool:
        return bool(self.names or self.users)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where a forgotten name stands in the text, longest window first, never overlapping."""
        words, spans = list(_WORD.finditer(text)), []
        for i in range(len(words)):
            for n in range(1, min(MAX_WORDS, len(words) - i) + 1):
                if n > 1 and not text[words[i + n - 2].end():words[i + n - 1].start()].isspace():
                    break  # "Amira, Hassan" or "Amira<br>Hassan": not the name written out
                window = text[words[i].start():words[i + n - 1].end()]
                tail = _GENITIVE.search(window)
                forms = [window] + ([window[:tail.start()]] if tail and words[i].start() + tail.start() > words[i + n - 1].start() else [])
                spans += [(words[i].start(), words[i].start() + len(f)) for f in forms if self._listed(NAME, f)][:1]
        return _disjoint(spans)

    def _listed(self, kind: str, value: str) -> bool:
        found = self._seen.get((kind, value))
        if found is None:
            found = self._seen[kind, value] = digest(self.key, kind, value) in (self.names if kind == NAME else self.users)
        return found

    def mentions(self, text: object) -> bool:
        return isinstance(text, str) and bool(self.names) and self.text(text) is not text

    def text(self, text: str) -> str:
        """The text without a forgotten name: "" when it said nothing else, else the marker in its place."""
        if not self.names or not isinstance(text, str):
            return text
        marker = name_removed(self.lang or i18n.language())
        cut = self._done.get((text, marker))
        if cut is None:
            cut = self._done[text, marker] = self._text(text, marker)
        return text if cut == text else cut  # the same object back when nothing named them

    def _text(self, text: str, marker: str) -> str:
        normal = _nfc(text)
        spans = self._spans(normal)
        if not spans:
            return text
        rest = _cut(normal, spans, "")
        if not re.sub(r"[\W_]", "", rest):
            return ""
        return _cut(normal, spans, marker)

    def is_person(self, value: dict[str, Any]) -> bool:
        """A MURAL person object (or anything carrying an id) of a forgotten person: by user id or by name."""
        if isinstance(value.get("id"), str) and self._listed(USER, value["id"]):
            return True
        return names_person(value, self.mentions)

    def json(self, value: Any) -> Any:
        """JSON data without forgotten people; the same object back when nothing named them."""
        return json_without(value, self.text, self.is_person) if self else value

    def export(self, export: BoardExport) -> BoardExport:
        """THE way a board export enters backbone: authors of forgotten people become nobody (as MURAL's
        hidden owner does), and their names leave note texts, comments, titles, tags and voting sessions."""
        if not self:
            return export
        widgets = self.json(list(export.widgets))
        tags = {k: self.text(v) for k, v in export.tags.items()}
        sessions = self.json(list(export.voting_sessions))
        return replace(export, widgets=tuple(widgets), title=self.text(export.title), tags=tags,
                       voting_sessions=tuple(sessions))


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, the longest kept where two overlap."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            if end > kept[-1][1]:
                kept[-1] = (kept[-1][0], end)
            continue
        kept.append((start, end))
    return kept


def _cut(text: str, spans: list[tuple[int, int]], marker: str) -> str:
    out, at = [], 0
    for start, end in spans:
        out += [text[at:start], marker]
        at = end
    return "".join(out + [text[at:]])


NOBODY = Suppression()
