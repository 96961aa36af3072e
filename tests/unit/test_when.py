"""NÄR as a due date: the documented rule (sync/core/due_dates.py), and properties over any text."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.core.due_dates import due_date, is_done, is_overdue

WORKSHOP = dt.date(2021, 5, 4)


@pytest.mark.parametrize("text, expected", [
    ("2021-09-01", dt.date(2021, 9, 1)),
    ("hösten 2021", dt.date(2021, 11, 30)),
    ("Hösten", dt.date(2021, 11, 30)),
    ("i höst", dt.date(2021, 11, 30)),
    ("v. 34", dt.date(2021, 8, 29)),  # the Sunday of ISO week 34
    ("vecka 34 2022", dt.date(2022, 8, 28)),
    ("v. 10", dt.date(2022, 3, 13)),  # week 10 of 2021 was before the workshop: next year's
    ("innan sommaren", dt.date(2021, 5, 31)),
    ("Före sommarlovet", dt.date(2021, 5, 31)),
    ("sommaren", dt.date(2021, 8, 31)),
    ("september", dt.date(2021, 9, 30)),
    ("15 september", dt.date(2021, 9, 15)),
    ("1/9", dt.date(2021, 9, 1)),
    ("1.9.2021", dt.date(2021, 9, 1)),
    ("sept–okt 2021", dt.date(2021, 10, 31)),
    ("maj–juni", dt.date(2021, 6, 30)),
    ("hösten 2021 eller våren 2022", dt.date(2022, 5, 31)),
    ("HT21", dt.date(2021, 12, 31)),
    ("VT 2022", dt.date(2022, 6, 30)),
    ("Q3", dt.date(2021, 9, 30)),
    ("innan jul", dt.date(2021, 12, 23)),
    ("till årsskiftet", dt.date(2021, 12, 31)),
    ("under 2022", dt.date(2022, 12, 31)),
    ("vintern", dt.date(2022, 2, 28)),
    ("v. 53 2020", dt.date(2020, 12, 31)),  # its Sunday is in January 2021: the written year is kept
])
def test_dated_when(text, expected):
    assert due_date(text, WORKSHOP) == expected


@pytest.mark.parametrize("text", [
    "löpande", "Löpande under året", "kontinuerligt", "tills vidare", "ongoing", "", "snart",
    "när vi har budget", "vår förening bestämmer", "i så fall", "efter sommaren", "vintern 2021", "31/2",
    "=HYPERLINK(\"x\")",
])
def test_not_dated(text):
    assert due_date(text, WORKSHOP) is None


def test_without_a_workshop_date_only_written_years_date_anything():
    assert due_date("v. 34") is None and due_date("innan sommaren") is None
    assert due_date("hösten 2021") == dt.date(2021, 11, 30)


def test_overdue_needs_a_passed_deadline_and_a_status_other_than_done():
    today = dt.date(2021, 12, 1)
    assert is_overdue("hösten 2021", "Pågår", today, WORKSHOP)
    assert is_overdue("v. 34", "", today, WORKSHOP)
    assert not is_overdue("hösten 2021", "Klar", today, WORKSHOP)
    assert not is_overdue("hösten 2021", " klar ", today, WORKSHOP)
    assert not is_overdue("löpande", "", today, WORKSHOP)
    assert not is_overdue("2021-12-01", "", today, WORKSHOP)  # due today is not overdue yet
    assert not is_overdue("när vi har budget", "", today, WORKSHOP)
    assert is_done("Done") and not is_done("Nästan klar")


_PIECES = st.sampled_from([
    "v. ", "vecka ", "hösten", "våren", "sommaren", "vintern", "innan ", "före ", "efter ", "i ", "jul", "Q",
    "HT", "VT", "sept", "maj", "december", "löpande", "-", "/", ".", " ", "–", "2021", "2022", "1999", "21",
    "34", "53", "0", "31", "12", "årsskiftet", "å", "ö", "🚌", "\n",
])
_TEXTS = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=8).map("".join))
_DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.one_of(st.none(), _DATES))
def test_never_raises_and_never_moves_a_date_by_a_wrong_year(text, reference):
    due = due_date(text, reference)
    if due is None:
        return
    # A year is written as a word of its own ("2021", not "2021A"), as the rule says.
    written = {int(y) for y in re.findall(r"\b(20\d{2})\b", text.casefold())}
    terms = re.findall(r"\b(?:ht|vt)\s*-?\s*(20\d{2}|\d{2})\b", text.casefold())  # HT21, VT 2022
    short = {int(y) if len(y) == 4 else 2000 + int(y) for y in terms}
    if written or short:
        assert due.year in written | short, (text, reference, due)
    else:
        # No year written: a deadline in the year after the workshop, never before it and never later.
        assert reference is not None, (text, due)
        assert reference <= due <= reference + dt.timedelta(days=372), (text, reference, due)
