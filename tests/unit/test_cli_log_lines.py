"""The terminal's log lines (sync/entry/cli/main.py): a warning is said to the person ("varning: …", translated when the
catalogs have the message); details (debug, info, a traceback) keep the technical form for -v."""
from __future__ import annotations

import logging
import sys
from contextlib import ExitStack

import pytest

from sync.core import i18n
from sync.entry.cli.main import PersonFormatter


def record(level: int, msg: str, *args: object, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("sync.adapters.xlsx.workbook_sheet", level, __file__, 1, msg, args, exc_info)


@pytest.fixture
def speak():
    """speak("en"): the rest of the test in that language (a block entered here, left when the test ends)."""
    with ExitStack() as blocks:
        yield lambda lang: blocks.enter_context(i18n.speaking(lang))


def test_a_warning_is_said_in_swedish_and_in_english(speak):
    saving = record(logging.WARNING, "saving %s failed: %s", "/data/plan.xlsx", "File too large")
    speak("sv")
    assert PersonFormatter().format(saving) == "varning: /data/plan.xlsx kunde inte sparas: File too large"
    speak("en")
    assert PersonFormatter().format(saving) == "warning: saving /data/plan.xlsx failed: File too large"


def test_a_message_the_catalogs_lack_is_said_as_logged(speak):
    speak("sv")
    assert PersonFormatter().format(record(logging.WARNING, "Retrying (%r) after %s", 3, "reset")) == \
        "varning: Retrying (3) after reset"


def test_details_keep_the_technical_form(speak):
    speak("sv")
    assert PersonFormatter().format(record(logging.DEBUG, "read %d rows", 4)) == "DEBUG sync.adapters.xlsx.workbook_sheet: read 4 rows"
    try:
        raise ValueError("x")
    except ValueError:
        crashed = record(logging.ERROR, "%s: %s", "backbone sync", "ValueError", exc_info=sys.exc_info())
    line = PersonFormatter().format(crashed)
    assert line.startswith("ERROR sync.adapters.xlsx.workbook_sheet: backbone sync: ValueError\nTraceback")
    assert PersonFormatter().format(record(logging.ERROR, "saving %s failed: %s", "a", "b")) == \
        "backbone: fel: a kunde inte sparas: b"
