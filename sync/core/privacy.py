"""What the sheet and the recaps may say about who wrote a note: BACKBONE_AUTHORS. Pure.

Participants include residents and young people, so the default shows nobody (`none`).
`initials` shows "A.H.", `organisation` the person's organisation from the *Deltagare* tab (nothing
when it is not known there), `name` the name as MURAL gives it. A note without an author — MURAL's
`hideOwner`, private mode, or simply unknown — yields nothing whatever the setting: the policy only
ever shortens what the board already shows, it never finds a name of its own.

Showing is idempotent (showing a shown value changes nothing), so a recap built from the sheet's
*Författare* column, which sync filled through this same policy, stays within the setting.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sync.core.errors import ConfigError
from sync.core.i18n import _
from sync.core.model import Attendee, Note

AUTHOR_MODES = ("none", "initials", "organisation", "name")
_WORDS = re.compile(r"[^\W\d_]+")  # letters only: "Åsa-Britt Öberg (RISE)" -> Åsa, Britt, Öberg, RISE


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def initials(name: str) -> str:
    """'Amira Hassan' -> 'A.H.'; 'A.H.' -> 'A.H.' (so showing twice is showing once)."""
    return "".join(f"{_capital(word[0])}." for word in _WORDS.findall(name))


def _capital(letter: str) -> str:
    upper = letter.upper()
    return upper if len(upper) == 1 else letter  # "ß".upper() is "SS": one letter stays one letter


def check_mode(mode: str) -> str:
    if mode not in AUTHOR_MODES:
        raise ConfigError(_("BACKBONE_AUTHORS={value!r}: use one of {modes} (none shows no author)").format(
            value=mode, modes=", ".join(AUTHOR_MODES)))
    return mode


@dataclass(frozen=True)
class AuthorPolicy:
    mode: str = "none"
    organisations: dict[str, str] = field(default_factory=dict)  # a person's name (folded) -> organisation

    shown_organisations: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_mode(self.mode)
        object.__setattr__(self, "shown_organisations", frozenset(_key(o) for o in self.organisations.values()))

    @classmethod
    def from_attendees(cls, mode: str, attendees: Iterable[Attendee]) -> AuthorPolicy:
        """The policy for a setting, with each person's organisation as the *Deltagare* tab gives it."""
        known: dict[str, str] = {}
        for attendee in attendees:
            if attendee.name.strip() and attendee.organisation.strip():
                known.setdefault(_key(attendee.name), attendee.organisation.strip())
        return cls(check_mode(mode), known)

    def show(self, note: Note) -> str:
        if getattr(note, "author_hidden", False):  # MURAL's Private Mode / hideOwner: never a name
            return ""
        return self.show_author(note.author)

    def show_author(self, author: str) -> str:
        if self.mode == "none":
            return ""
        author = " ".join(author.split())
        if not author:
            return ""
        if self.mode == "name":
            return author
        if self.mode == "initials":
            return initials(author)
        organisation = self.organisations.get(_key(author))
        if organisation is None and _key(author) in self.shown_organisations:
            return author  # already shown as an organisation (a recap read back from the sheet)
        return organisation or ""


HIDDEN = AuthorPolicy()  # the default everywhere: no author is shown
