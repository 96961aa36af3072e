"""A report's computed phrases in a given language: dates ("4 maj 2021"), ordinals, attendance sentences.

Every word comes from the gettext catalogs (sync/core/i18n.py), month names included, rather than from the
`locale` module: the server's locale settings must not change a report, and Swedish month names must come out
the same on every machine. Each function takes the document's language; none depends on the current block's.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sync.core.i18n import LANGUAGES, words
from sync.core.model import MIRO

__all__ = ["LANGUAGES", "EMPTY", "attendance_text", "board_changes_text", "date_text", "day_month_text", "moment_text", "month_name",
           "missing_votes_comments_text", "ordinal_text", "overdue_count", "people_from_organisations", "took_place_text"]

EMPTY = "–"  # an empty HOW/WHEN/WHO, the same in every language


@cache
def _months(lang: str) -> tuple[str, ...]:
    w = words(lang)
    return (w.pgettext("month", "January"), w.pgettext("month", "February"), w.pgettext("month", "March"),
            w.pgettext("month", "April"), w.pgettext("month", "May"), w.pgettext("month", "June"),
            w.pgettext("month", "July"), w.pgettext("month", "August"), w.pgettext("month", "September"),
            w.pgettext("month", "October"), w.pgettext("month", "November"), w.pgettext("month", "December"))


@cache
def _ordinals(lang: str) -> tuple[str, ...]:
    w = words(lang)
    return (w.pgettext("ordinal", "first"), w.pgettext("ordinal", "second"), w.pgettext("ordinal", "third"),
            w.pgettext("ordinal", "fourth"), w.pgettext("ordinal", "fifth"), w.pgettext("ordinal", "sixth"),
            w.pgettext("ordinal", "seventh"), w.pgettext("ordinal", "eighth"), w.pgettext("ordinal", "ninth"),
            w.pgettext("ordinal", "tenth"), w.pgettext("ordinal", "eleventh"), w.pgettext("ordinal", "twelfth"),
            w.pgettext("ordinal", "thirteenth"), w.pgettext("ordinal", "fourteenth"),
            w.pgettext("ordinal", "fifteenth"), w.pgettext("ordinal", "sixteenth"),
            w.pgettext("ordinal", "seventeenth"), w.pgettext("ordinal", "eighteenth"),
            w.pgettext("ordinal", "nineteenth"), w.pgettext("ordinal", "twentieth"))


def month_name(month: int, lang: str) -> str:
    """1 -> "januari" / "January"."""
    return _months(lang)[month - 1]


def ordinal_text(number: str, lang: str) -> str:
    """The number in the series as typed in the sheet, in words: "2" -> "andra" / "second".
    Past twenty it stays in figures ("21:a", "21st"); words typed in the sheet are kept as they are."""
    typed = number.strip()
    digits = typed.removesuffix(".0")  # a spreadsheet number may come as 2.0
    if not digits.isdigit() or int(digits) < 1:
        return typed
    n = int(digits)
    if n <= len(_ordinals(lang)):
        return _ordinals(lang)[n - 1]
    # The figures' endings are a rule of each language's grammar, not a phrase a catalog could hold.
    if lang == "sv":
        return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th") if n % 100 not in (11, 12, 13) else "th"
    return f"{n}{suffix}"


def day_month_text(day: date, lang: str) -> str:
    """4 maj / 4 May: the date as a recap's first sentence gives it, the year being in the title's context."""
    return f"{day.day} {month_name(day.month, lang)}"


def took_place_text(ordinal: str, series: str, when: str, lang: str) -> str:
    """The recap's first sentence: "Den andra workshopen i Collective Impact-serien ägde rum 4 maj." """
    if not when:
        return ""
    w = words(lang)
    if ordinal and series:
        return w.gettext("The {ordinal} workshop in the {series} series took place on {date}.").format(
            ordinal=ordinal, series=series, date=when)
    if ordinal:
        return w.gettext("The {ordinal} workshop took place on {date}.").format(ordinal=ordinal, date=when)
    return w.gettext("The workshop took place on {date}.").format(date=when)


def missing_votes_comments_text(vendor: str, lang: str) -> str:
    """For a Miro board, the sentence saying why the recap has no votes and no comments; "" for MURAL's."""
    if vendor != MIRO:
        return ""
    return words(lang).gettext("Votes and comments are not available for Miro boards (Miro's API does not "
                               "provide them).")


def date_text(day: date, lang: str) -> str:
    """4 maj 2021 / 4 May 2021: no leading zero, month written out."""
    return f"{day.day} {month_name(day.month, lang)} {day.year}"


def moment_text(moment: datetime, lang: str) -> str:
    """When a report was made, to the minute: "12 juni 2024 kl. 14:05"."""
    return words(lang).gettext("{date} at {time}").format(date=date_text(moment.date(), lang),
                                                           time=moment.strftime("%H:%M"))


def attendance_text(people: int, organisations: int, lang: str) -> str:
    """The attendance sentence; reads sensibly for zero people and for lists without organisations."""
    w = words(lang)
    if people == 0:
        return w.gettext("No attendees are recorded for this workshop.")
    who = w.ngettext("{count} engaged stakeholder", "{count} engaged stakeholders", people).format(count=people)
    if organisations == 0:
        return w.gettext("In total, {people} took part.").format(people=who)
    where = w.npgettext("attendance sentence", "{count} organisation", "{count} different organisations",
                        organisations).format(count=organisations)
    return w.gettext("In total, {people} from {organisations} took part.").format(people=who, organisations=where)


def people_from_organisations(people: int, organisations: int, lang: str, *, series: bool = False) -> str:
    """"3 personer från 2 organisationer", or the series' sentence with the same counts."""
    w = words(lang)
    who = w.ngettext("{count} person", "{count} people", people).format(count=people)
    where = w.ngettext("{count} organisation", "{count} organisations", organisations).format(count=organisations)
    if series:
        return w.gettext("In all, {people} from {organisations} have taken part in the series.").format(
            people=who, organisations=where)
    return w.gettext("{people} from {organisations}").format(people=who, organisations=where)


def overdue_count(count: int, lang: str) -> str:
    """"1 försenad", "3 försenade": as the follow-up's summary and the digest's subject say it."""
    return words(lang).ngettext("{count} overdue", "{count} overdue", count).format(count=count)


def board_changes_text(added: int, changed: int, removed: int, lang: str) -> str:
    """"1 ny lapp, 2 ändrade och 1 borttagen på tavlan": each count with its own plural, as Swedish adjectives
    agree with theirs (ny/nya, ändrad/ändrade, borttagen/borttagna); the noun goes with the first."""
    w = words(lang)
    return w.gettext("{added}, {changed} and {removed} on the board").format(
        added=w.npgettext("notes on the board", "{count} new note", "{count} new notes", added).format(count=added),
        changed=w.npgettext("notes on the board", "{count} changed", "{count} changed", changed).format(count=changed),
        removed=w.npgettext("notes on the board", "{count} removed", "{count} removed", removed).format(count=removed))
