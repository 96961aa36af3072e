"""What a coordinator reads, in their language: gettext catalogs (sync/locale/<lang>/LC_MESSAGES/backbone.mo).

The sources are English; `sync/locale/*/backbone.po` hold the Swedish and English catalogs with their plural
forms, compiled to .mo by Babel (`make catalogs`) and committed, so a fresh clone and `pip install .` have them
without a build step. A test fails when a message has no Swedish translation or a .mo is older than its .po.

One mechanism for every phrase: messages, plurals (ngettext), words whose English needs two Swedish words
(pgettext, a context), the month names, the Word templates' fixed words (tools/make_*templates.py) and the
web page's labels. No Python module outside this one holds a table of phrases per language (a test checks).

The language is passed, never set for the whole process. `speaking(lang)` says which language the messages
made inside a block are in (a ContextVar: one CLI command, one web request, one sync run's thread); outside
every block it is BACKBONE_LANGUAGE as the environment gave it at start (else Swedish), read once. A document
rendered in a given language takes `lang` and asks `words(lang)` for its phrases, whatever the block speaks.
"""
from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.resources import files

DOMAIN = "backbone"
LANGUAGES = ("sv", "en")
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}  # a document's language as Word and HTML name it (not a phrase)
_STARTED_WITH = os.environ.get("BACKBONE_LANGUAGE", "").strip().lower()
DEFAULT = _STARTED_WITH if _STARTED_WITH in LANGUAGES else "sv"  # read once, at start; nothing changes it
_block_language: ContextVar[str | None] = ContextVar("backbone_language", default=None)


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang`; a missing .mo is an install error, never silently English."""
    return gettext.translation(DOMAIN, localedir=str(files("sync") / "locale"), languages=[lang])


def words(lang: str) -> gettext.NullTranslations:
    """The phrases of a document in `lang`, whatever the current block speaks: words(lang).gettext("…"),
    .ngettext(singular, plural, n), .pgettext(context, "…"), .npgettext(…) (Babel extracts those calls)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return catalog(lang)


def language() -> str:
    """The language of the block being run (speaking), else BACKBONE_LANGUAGE as the process started with it."""
    return _block_language.get() or DEFAULT


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages made inside the block are in `lang` (one command, one web request, one run), whatever
    BACKBONE_LANGUAGE says; the language before the block is back after it, in this thread and context only."""
    token = _block_language.set(lang if lang in LANGUAGES else None)
    try:
        yield
    finally:
        _block_language.reset(token)


def _(message: str) -> str:
    return catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` ("1 konflikt", "2 konflikter"); format it with the count yourself."""
    return catalog(language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message whose English needs more than one Swedish word, told apart by its context."""
    return catalog(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; translate it with _() where it is shown."""
    return message


class Later:
    """A message said in the language of whoever reads it, not of the moment it was made.

    A sync's progress lines are kept by the web service and shown to each visitor in the language they picked,
    while the run itself speaks BACKBONE_LANGUAGE to the sheet; `str()` says the line in the current language.
    Joined to plain text with `+` ("[1/2] ci2: " + later_("loading the board")).
    """

    __slots__ = ("_say",)

    def __init__(self, say: Callable[[], str]):
        self._say = say

    def __str__(self) -> str:
        return self._say()

    def __repr__(self) -> str:
        return f"Later({self._say()!r})"

    def __add__(self, other: object) -> Later:
        return Later(lambda: str(self) + str(other))

    def __radd__(self, other: object) -> Later:
        return Later(lambda: str(other) + str(self))


def later_(message: str, **fields: object) -> Later:
    """_(message).format(**fields), said when read; fields that are Later are said then too."""
    return Later(lambda: _(message).format(**{name: str(value) for name, value in fields.items()}))


def later_ngettext(singular: str, plural: str, count: int, **fields: object) -> Later:
    return Later(lambda: ngettext(singular, plural, count).format(count=count, **{n: str(v) for n, v in fields.items()}))


def counts_line(counts: dict[str, int]) -> str:
    """"35 nya, 1 ändrad, 0 borttagna från tavlan, 1 konflikt": a run's counts, each with its plural."""
    new, changed, removed, conflicts = (int(counts.get(k, 0) or 0) for k in ("new", "changed", "removed", "conflicts"))
    return ", ".join((ngettext("{count} new", "{count} new", new).format(count=new),
                      ngettext("{count} changed", "{count} changed", changed).format(count=changed),
                      ngettext("{count} removed from the board", "{count} removed from the board", removed).format(count=removed),
                      ngettext("{count} conflict", "{count} conflicts", conflicts).format(count=conflicts)))


RESULT_WORDS = {"ok": N_("ok"), "partial": N_("partly done"), "failed": N_("failed"), "dry-run": N_("dry run"),
                "busy": N_("busy")}


def result_word(result: str) -> str:
    """A run's result (ok, partial, failed, …) as the Synklogg, `backbone runs` and the CLI show it."""
    return _(RESULT_WORDS[result]) if result in RESULT_WORDS else result
