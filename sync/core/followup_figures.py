"""What the follow-up's picture shows, worked out from the report's actions and attendance: its bars and its alt text.

Pure: reports/followup_chart.py draws it (matplotlib); the alt text says in words what the bars show, for screen
readers and for mail that hides images.
"""
from __future__ import annotations

from sync.core.due_dates import is_done
from sync.core.i18n import words
from sync.core.recap_words import people_from_organisations


def chart_data(actions: list[dict], series: list, attendance: dict, lang: str) -> dict:
    """What the picture shows, in series order: {shown, alt, statuses, workshops: [{title, counts}], attendance}."""
    none = words(lang).gettext("No status set")
    statuses: list[str] = []
    for action in actions:
        status = action["status"] or none
        if status not in statuses:
            statuses.append(status)
    statuses.sort(key=lambda s: (is_done(s), s == none, s.casefold()))
    rows = []
    for workshop in series:
        mine = [a for a in actions if a["workshop"].strip().casefold() == workshop.id.strip().casefold()]
        if mine:
            rows.append({"title": workshop.title, "counts": [sum(1 for a in mine if (a["status"] or none) == s)
                                                              for s in statuses]})
    people = [{"title": w["title"], "people": w["people"], "organisations": w["organisations"]}
              for w in attendance.get("workshops", ())]
    return {"shown": bool(rows or people), "statuses": statuses, "workshops": rows, "attendance": people,
            "alt": _alt(statuses, rows, people, lang)}


def _alt(statuses: list[str], rows: list[dict], people: list[dict], lang: str) -> str:
    actions = "; ".join(f"{row['title']}: " + ", ".join(f"{n} {s.casefold()}" for s, n in zip(statuses, row["counts"]) if n)
                        for row in rows)
    present = "; ".join(f"{row['title']}: " + people_from_organisations(row["people"], row["organisations"], lang)
                        for row in people)
    return words(lang).gettext("Chart. On the left, each workshop's actions by status: {actions}. On the right, "
                               "attendance across the series: {attendance}.").format(actions=actions or "–",
                                                                                      attendance=present or "–")
