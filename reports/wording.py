"""The fixed phrases of a recap, per language: month names, the attendance sentence, section titles.

Tables instead of the `locale` module on purpose: the server's locale settings must not change a
report, and Swedish month names must come out the same on every machine.
"""
from __future__ import annotations

from datetime import date, datetime

LANGUAGES = ("sv", "en")

MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni",
           "juli", "augusti", "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June",
           "July", "August", "September", "October", "November", "December"),
}

PHRASES = {
    "sv": {
        "title": "{title} – sammanfattning",
        "took_place": "Workshopen ägde rum {date}.",
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


def phrase(lang: str, key: str) -> str:
    return PHRASES[lang][key]


def date_text(day: date, lang: str) -> str:
    """4 maj 2021 / 4 May 2021: no leading zero, month written out."""
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def moment_text(moment: datetime, lang: str) -> str:
    """When a report was made, to the minute: "12 juni 2024 kl. 14:05"."""
    return PHRASES[lang]["at_time"].format(date=date_text(moment.date(), lang), time=moment.strftime("%H:%M"))


def _counted(count: int, forms: tuple[str, str]) -> str:
    return f"{count} {forms[0] if count == 1 else forms[1]}"


def attendance_text(people: int, organisations: int, lang: str) -> str:
    """The attendance sentence; reads sensibly for zero people and for lists without organisations."""
    words = PHRASES[lang]
    if people == 0:
        return words["attendance_none"]
    who = _counted(people, words["person"])
    if organisations == 0:
        return words["attendance_no_organisations"].format(people=who)
    return words["attendance"].format(people=who, organisations=_counted(organisations, words["organisation"]))
