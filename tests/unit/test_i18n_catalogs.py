"""The message catalogs: every message a coordinator can see has a Swedish translation with its plural forms,
and the committed .mo files (what `pip install .` ships) say what the .po files say."""
from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract, extract_from_dir
from babel.messages.pofile import read_po

from sync.core import i18n
from sync.core.run_result import RunResult
from sync.core.sheet.plan import Conflict, Plan

SYNC = Path(i18n.__file__).resolve().parents[1]
LOCALE = SYNC / "locale"


def source_messages() -> set:
    """Every message marked in the code (_, ngettext, pgettext, npgettext, N_, later_, later_ngettext, and the same
    calls on words(lang)), as Babel extracts it for the catalogs: (context, message or (singular, plural))."""
    found = set()
    keywords = {**DEFAULT_KEYWORDS, "N_": None, "later_": None, "later_ngettext": (1, 2)}  # as `make catalogs` has them
    for package in (SYNC, SYNC.parent / "reports"):  # as `make catalogs` extracts them
        for _file, _line, message, _comments, _context in extract_from_dir(str(package), keywords=keywords):
            found.add((_context, message if isinstance(message, str) else tuple(message[:2])))
    with open(SYNC.parent / "tools" / "demo_say.py", "rb") as narration:  # `make demo`'s words, read by the stdlib
        found |= {(None, message) for _line, message, _comments, _context in extract("python", narration, keywords=keywords)}
    return found


def po(lang: str):
    with open(LOCALE / lang / "LC_MESSAGES" / "backbone.po", "rb") as file:
        return read_po(file)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.slow
def test_every_marked_message_has_a_swedish_translation_with_the_same_placeholders():
    catalog = po("sv")
    untranslated = []
    for context, message in sorted(source_messages(), key=str):
        entry = catalog.get(message if isinstance(message, str) else message[0], context=context)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not all(strings) or len(strings) != (1 if isinstance(message, str) else 2):
            untranslated.append((context, message) if context else message)
            continue
        originals = (message,) if isinstance(message, str) else message
        for translated in strings:  # "{count}" must survive translation, or .format() breaks or says nothing
            assert fields(translated) == fields(originals[-1]), (message, translated)
    assert not untranslated, f"messages without a Swedish translation (run `make catalogs`, translate, commit): {untranslated}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_shipped_mo_files_say_what_the_po_files_say(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "backbone.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    for entry in po(lang):
        if not entry.id:
            continue
        if isinstance(entry.id, str):
            said = compiled.pgettext(entry.context, entry.id) if entry.context else compiled.gettext(entry.id)
            assert said == entry.string, f"{lang} .mo is stale: run `make catalogs`"
        else:
            for count, form in ((1, entry.string[0]), (2, entry.string[1])):
                said = (compiled.npgettext(entry.context, *entry.id[:2], count) if entry.context
                        else compiled.ngettext(*entry.id[:2], count))
                assert said == form, f"{lang} .mo is stale: run `make catalogs`"


def test_swedish_plurals():
    assert i18n.counts_line({"new": 1, "changed": 1, "removed": 1, "conflicts": 1}) == \
        "1 ny, 1 ändrad, 1 borttagen från tavlan, 1 konflikt"
    assert i18n.counts_line({"new": 2, "changed": 0, "removed": 2, "conflicts": 2}) == \
        "2 nya, 0 ändrade, 2 borttagna från tavlan, 2 konflikter"
    one, two = (RunResult(started="", plan=Plan(deleted_by_people=[("Idéer", f"ci2-{n}") for n in range(count)]))
                for count in (1, 2))
    assert one.message() == "1 rad som raderats i arket förblir raderad"
    assert two.message() == "2 rader som raderats i arket förblir raderade"


def test_english_plurals_and_the_request_language_wins_over_the_setting():
    with i18n.speaking("en"):
        assert i18n.counts_line({"new": 1, "conflicts": 2}) == "1 new, 0 changed, 0 removed from the board, 2 conflicts"
        result = RunResult(started="", plan=Plan(conflicts=[Conflict("Idéer", "ci2-1", "Text", "a", "b")]))
        assert result.message().startswith("a conflict kept the sheet's value (Idéer ci2-1 Text)")
    assert i18n.language() == "sv"
    assert result.message().startswith("en konflikt behöll arkets värde (Idéer ci2-1 Text)")
