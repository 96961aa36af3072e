"""NÄR, the free-text "when" of an action, as a due date. Pure: text and a reference date in, a date out.

People write NÄR in Swedish (English is read too): "hösten 2021", "v. 34", "innan sommaren",
"löpande", "2021-09-01". The rule, in order:

1. Ongoing words ("löpande", "kontinuerligt", "hela tiden", "tills vidare", "ongoing") mean there is
   no due date: None, so the action is never overdue.
2. Each mention of a time in the text is read as the LAST day it covers (the deadline):
     2021-09-01, 1/9, 1.9.2021, 15 september   that day
     2021-09, september, sept 2021             the last day of the month
     v. 34, vecka 34, week 34                  the Sunday of ISO week 34
     Q3, kvartal 3                             the last day of the quarter
     våren / sommaren / hösten / vintern      31 May / 31 Aug / 30 Nov / end of February
     innan / före / till / inför + a season    the day before the season starts (innan sommaren: 31 May)
     efter + a season ("efter sommaren")       a start, not a deadline: not dated
     VT22 / HT 2021 (terms)                    30 June / 31 December
     jul, innan jul / årsskiftet, nyår          24 December (23 with innan/före) / 31 December
     a year on its own ("under 2022")          31 December of that year
3. A mention's year is the one written beside it ("hösten 2021", "v. 34 2021"). Without one, a text
   with exactly one year written anywhere gives that year ("sept–okt 2021"); otherwise the year is
   the first for which the mention ends on or after the reference date (the workshop where the
   action was agreed): "v. 10" agreed on 4 May 2021 means week 10 of 2022. Without a reference
   date and without a year, the mention is not dated. So a date is never moved to a year nobody wrote
   or meant: with a year written, the due date lies in a written year; without, within a year of the
   workshop. "Vintern 2021" is not dated (the winter starting or the one ending in 2021?).
4. Several mentions ("maj–juni", "hösten 2021 eller våren 2022"): the latest deadline counts.
5. Anything else ("när vi har budget", "snart") is not dated (None) and is shown as written.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

ONGOING = re.compile(r"\b(?:löpande|kontinuerlig(?:t|a)?|hela tiden|tills vidare|ongoing|continuous(?:ly)?)\b")
DONE_STATUSES = frozenset({"klar", "klart", "klara", "avslutad", "avslutat", "genomförd", "genomfört", "done",
                           "completed", "complete", "finished"})

_MONTH_WORDS = {
    1: ("januari", "jan", "january"), 2: ("februari", "feb", "february"), 3: ("mars", "march"),
    4: ("april", "apr"), 5: ("maj", "may"), 6: ("juni", "june"), 7: ("juli", "july"),
    8: ("augusti", "aug", "august"), 9: ("september", "sept", "sep"), 10: ("oktober", "okt", "october", "oct"),
    11: ("november", "nov"), 12: ("december", "dec"),
}
_MONTHS = {word: number for number, words in _MONTH_WORDS.items() for word in words}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# Season: (first month, last month); winter starts in December and ends in February of the next year.
_SEASONS = {"våren": (3, 5), "vår": (3, 5), "spring": (3, 5), "sommaren": (6, 8), "sommar": (6, 8),
            "sommarlovet": (6, 8), "summer": (6, 8), "hösten": (9, 11), "höst": (9, 11), "autumn": (9, 11),
            "vintern": (12, 2), "vinter": (12, 2), "winter": (12, 2)}
# "vår" is also "our", "höst" a noun: the short forms count after "i" ("i vår") or before a year ("vår 2022").
_SEASON = ("(våren|sommaren|sommarlovet|hösten|vintern|spring|summer|autumn|winter"
           "|(?<=i )(?:vår|sommar|höst|vinter)|(?:vår|sommar|höst|vinter)(?=\\s*20\\d\\d))")
_BEFORE = r"(?:(innan|före|inför|till|before|by|efter|after)\s+)?"
_YEAR = r"(?:\s*,?\s*(20\d{2})\b)?"  # an optional year after a mention ("maj 15" is a day, not 2015)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if len(text) == 4 else 2000 + int(text)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _week_end(year: int, week: int) -> dt.date | None:
    try:
        sunday = dt.date.fromisocalendar(year, week, 7)
    except ValueError:
        return None
    return min(sunday, dt.date(year, 12, 31))  # week 53's Sunday may fall in January: keep the written year


Reader = Callable[[re.Match[str], int], dt.date | None]  # a mention and a year -> its deadline (None: no such day)


# Each kind of mention: a pattern (matched on the case-folded text) and how a match plus a year becomes
# a deadline. `year_group` is the group holding the mention's own year, if any. Most specific first.
def _iso_day(m: re.Match[str], year: int) -> dt.date:
    return dt.date(year, int(m.group(2)), int(m.group(3)))


def _iso_month(m: re.Match[str], year: int) -> dt.date:
    return _month_end(year, int(m.group(2)))


def _numeric_day(m: re.Match[str], year: int) -> dt.date:
    return dt.date(year, int(m.group(2)), int(m.group(1)))  # European: day first


def _day_month(m: re.Match[str], year: int) -> dt.date:
    return dt.date(year, _MONTHS[m.group(2)], int(m.group(1)))


def _month(m: re.Match[str], year: int) -> dt.date:
    return _month_end(year, _MONTHS[m.group(1)])


def _week(m: re.Match[str], year: int) -> dt.date | None:
    return _week_end(year, int(m.group(1)))


def _quarter(m: re.Match[str], year: int) -> dt.date:
    return _month_end(year, 3 * int(m.group(1)))


def _term(m: re.Match[str], year: int) -> dt.date:
    return dt.date(year, 6, 30) if m.group(1).startswith("v") else dt.date(year, 12, 31)


def _season(m: re.Match[str], year: int) -> dt.date:
    first, last = _SEASONS[m.group(2)]
    if m.group(1) in ("efter", "after"):  # a start, not a deadline
        raise ValueError("after a season")
    if m.group(1):  # before the season: the last day of the month before it starts
        return _month_end(year, first - 1) if first > 1 else dt.date(year - 1, 12, 31)
    if first > last:  # winter: ends in February of the next year
        return _month_end(year + 1, last)
    return _month_end(year, last)


def _christmas(m: re.Match[str], year: int) -> dt.date:
    return dt.date(year, 12, 23 if m.group(1) else 24)


def _new_year(m: re.Match[str], year: int) -> dt.date:
    return dt.date(year, 12, 31)


_KINDS = (  # (pattern, reader, year group or None when the year is inside the pattern)
    (re.compile(r"\b(20\d{2})-(\d{1,2})-(\d{1,2})\b"), _iso_day, 1),
    (re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](20\d{2})\b"), _numeric_day, 3),
    (re.compile(r"\b(20\d{2})-(\d{1,2})\b"), _iso_month, 1),
    (re.compile(r"\b(\d{1,2})(?::e|:a)?\s+" + _MONTH + _YEAR), _day_month, 3),
    (re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?![\d/])" + r"(?:\s+(20\d{2}))?"), _numeric_day, 3),
    (re.compile(r"\b(?:v\.?|vecka|veckan|week|wk\.?)\s*(\d{1,2})\b" + _YEAR), _week, 2),
    (re.compile(r"\b(?:q|kvartal|quarter)\s*([1-4])\b" + _YEAR), _quarter, 2),
    (re.compile(r"\b(vt|ht)\s*-?\s*(20\d{2}|\d{2})\b"), _term, 2),
    (re.compile(r"\b(vårtermin|hösttermin)(?:en)?\b" + _YEAR), _term, 2),
    (re.compile(r"\b" + _BEFORE + _SEASON + r"\b" + _YEAR), _season, 3),
    (re.compile(r"\b(innan\s+|före\s+|before\s+)?(?:jul|christmas)(?:en)?\b" + _YEAR), _christmas, 2),
    (re.compile(r"\b(?:årsskiftet|nyår|year[- ]end|end of the year)\b" + _YEAR), _new_year, 1),
    (re.compile(r"\b" + _MONTH + r"(?![\w])" + _YEAR), _month, 2),
)
_LONE_YEAR = re.compile(r"\b(20\d{2})\b")


def due_date(text: str, reference: dt.date | None = None) -> dt.date | None:
    """The deadline a NÄR text names, by the rule above; None when it names none. Never raises."""
    try:
        return _due_date(text or "", reference)
    except (ValueError, OverflowError, KeyError):  # an impossible date such as 31/2: not dated
        return None


def _due_date(text: str, reference: dt.date | None) -> dt.date | None:
    lowered = " ".join(text.casefold().split())
    if ONGOING.search(lowered):
        return None
    mentions: list[tuple[re.Match[str], Reader, int | None]] = []
    rest = lowered
    for pattern, read_as, its_year in _KINDS:
        for found_here in pattern.finditer(rest):
            mentions.append((found_here, read_as, its_year))
        rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)  # a span is read by one kind only
    written = {int(y) for y in _LONE_YEAR.findall(lowered)}
    written |= {term_year for m, reader, g in mentions
                if reader is _term and g is not None and (term_year := _year(m.group(g))) is not None}  # HT21 writes 2021
    found: list[dt.date | None] = []
    for match, reader, year_group in mentions:
        year: int | None = _year(match.group(year_group)) if year_group else None
        if year is None and len(written) == 1:
            year = next(iter(written))
        if year is not None and reader is _season and _SEASONS[match.group(2)][0] == 12:
            continue  # "vintern 2021": the winter starting or ending in 2021? Shown as written.
        if year is not None:
            found.append(_safe(reader, match, year))
        elif reference is not None:
            found.append(_anchored(reader, match, reference))
    if not mentions:
        found += [dt.date(int(y), 12, 31) for y in _LONE_YEAR.findall(rest)]
    days = [day for day in found if day is not None]
    return max(days) if days else None


def _safe(reader: Reader, match: re.Match[str], year: int) -> dt.date | None:
    try:
        return reader(match, year)
    except ValueError:
        return None


def _anchored(reader: Reader, match: re.Match[str], reference: dt.date) -> dt.date | None:
    """The first deadline on or after the reference date: the workshop's year, else the next one."""
    for year in (reference.year - 1, reference.year, reference.year + 1):
        day = _safe(reader, match, year)
        if day is not None and day >= reference:
            # Within a year (weeks drift by up to 6 days); "v. 53" in a year without one is not dated.
            return day if day <= reference + dt.timedelta(days=372) else None
    return None


def is_done(status: str) -> bool:
    return " ".join(status.split()).casefold() in DONE_STATUSES


def is_overdue(when: str, status: str, today: dt.date, reference: dt.date | None = None) -> bool:
    """Overdue: NÄR names a deadline that has passed (before today) and Status is not done (Klar)."""
    due = due_date(when, reference)
    return due is not None and due < today and not is_done(status)
