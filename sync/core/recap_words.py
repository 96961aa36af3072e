"""The fixed phrases of a recap, per language: month names, the attendance sentence, section titles.

Tables instead of the `locale` module on purpose: the server's locale settings must not change a
report, and Swedish month names must come out the same on every machine.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

LANGUAGES = ("sv", "en")

MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni",
           "juli", "augusti", "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"),
}

# Each language's phrases: a text with {fields}, or (singular, plural) where a count decides the form.
PHRASES: dict[str, dict[str, Any]] = {
    "sv": {
        "title": "{title} – sammanfattning",
        "took_place": "Workshopen ägde rum {date}.",
        "took_place_nth": "Den {ordinal} workshopen ägde rum {date}.",
        "took_place_nth_series": "Den {ordinal} workshopen i {series}-serien ägde rum {date}.",
        "attendance": "Sammanlagt {people} från {organisations} deltog.",
        "attendance_no_organisations": "Sammanlagt {people} deltog.",
        "attendance_none": "Inga deltagare finns registrerade för workshopen.",
        "person": ("engagerad intressent", "engagerade intressenter"),
        "organisation": ("organisation", "olika organisationer"),
        "at_time": "{date} kl. {time}",
        "prioritised": "Prioriterade åtgärder",
        "other_notes": "Övrigt från tavlan",
        "empty": "–",
        "comments": "Sammanfattning av workshop {workshop}, skapad av backbone.",
        "category": "Workshopsammanfattning",
    },
    "en": {
        "title": "{title} – summary",
        "took_place": "The workshop took place on {date}.",
        "took_place_nth": "The {ordinal} workshop took place on {date}.",
        "took_place_nth_series": "The {ordinal} workshop in the {series} series took place on {date}.",
        "attendance": "In total, {people} from {organisations} took part.",
        "attendance_no_organisations": "In total, {people} took part.",
        "attendance_none": "No attendees are recorded for this workshop.",
        "person": ("engaged stakeholder", "engaged stakeholders"),
        "organisation": ("organisation", "different organisations"),
        "at_time": "{date} at {time}",
        "prioritised": "Prioritised actions",
        "other_notes": "Other notes",
        "empty": "–",
        "comments": "Summary of workshop {workshop}, made by backbone.",
        "category": "Workshop summary",
    },
}


ORDINALS = {
    "sv": ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde",
           "elfte", "tolfte", "trettonde", "fjortonde", "femtonde", "sextonde", "sjuttonde", "artonde",
           "nittonde", "tjugonde"),
    "en": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
           "eighteenth", "nineteenth", "twentieth"),
}


def ordinal_text(number: str, lang: str) -> str:
    """The number in the series as typed in the sheet, in words: "2" -> "andra" / "second".
    Past twenty it stays in figures ("21:a", "21st"); words typed in the sheet are kept as they are."""
    typed = number.strip()
    digits = typed.removesuffix(".0")  # a spreadsheet number may come as 2.0
    if not digits.isdigit() or int(digits) < 1:
        return typed
    n = int(digits)
    if n <= len(ORDINALS[lang]):
        return ORDINALS[lang][n - 1]
    if lang == "sv":
        return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th") if n % 100 not in (11, 12, 13) else "th"
    return f"{n}{suffix}"


def day_month_text(day: date, lang: str) -> str:
    """4 maj / 4 May: the date as a recap's first sentence gives it, the year being in the title's context."""
    return f"{day.day} {MONTHS[lang][day.month - 1]}"


def took_place_text(ordinal: str, series: str, when: str, lang: str) -> str:
    """The recap's first sentence: "Den andra workshopen i Collective Impact-serien ägde rum 4 maj." """
    if not when:
        return ""
    if ordinal and series:
        return str(PHRASES[lang]["took_place_nth_series"].format(ordinal=ordinal, series=series, date=when))
    if ordinal:
        return str(PHRASES[lang]["took_place_nth"].format(ordinal=ordinal, date=when))
    return str(PHRASES[lang]["took_place"].format(date=when))


def phrase(lang: str, key: str) -> str:
    return str(PHRASES[lang][key])


def date_text(day: date, lang: str) -> str:
    """4 maj 2021 / 4 May 2021: no leading zero, month written out."""
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def moment_text(moment: datetime, lang: str) -> str:
    """When a report was made, to the minute: "12 juni 2024 kl. 14:05"."""
    return str(PHRASES[lang]["at_time"].format(date=date_text(moment.date(), lang), time=moment.strftime("%H:%M")))


def counted(count: int, forms: tuple[str, str]) -> str:
    """"1 åtgärd", "3 åtgärder": the number with the form the count decides."""
    return f"{count} {forms[0] if count == 1 else forms[1]}"


def attendance_text(people: int, organisations: int, lang: str) -> str:
    """The attendance sentence; reads sensibly for zero people and for lists without organisations."""
    words = PHRASES[lang]
    if people == 0:
        return str(words["attendance_none"])
    who = counted(people, words["person"])
    if organisations == 0:
        return str(words["attendance_no_organisations"].format(people=who))
    return str(words["attendance"].format(people=who, organisations=counted(organisations, words["organisation"])))
