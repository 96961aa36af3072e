"""The fixed phrases of the follow-up report and the e-mail digest, per language, with plurals."""
from __future__ import annotations

from typing import Any

from . import wording

# A text with {fields}, or (singular, plural) where a count decides the form.
PHRASES: dict[str, dict[str, Any]] = {
    "sv": {
        "title": "Uppföljning av workshopserien",
        "title_for": "Uppföljning – {organisation}",
        "since_followup": "sedan förra uppföljningen ({moment})",
        "since_date": "sedan {date}",
        "since_first": "Det här är den första uppföljningen, så allt räknas som nytt; nästa visar vad som har ändrats sedan i dag.",
        "since_unknown": ("backbone har ingen synkning från före {date} att jämföra med; "
                          "nya åtgärder och ändrad status kan därför inte visas."),
        "nothing_new": "Inget nytt eller ändrat.",
        "no_status": "Ingen status angiven",
        "due": "senast {date}",
        "overdue_flag": "försenad",
        "action": ("åtgärd", "åtgärder"),
        "done": ("klar", "klara"),
        "overdue": ("försenad", "försenade"),
        "person": ("person", "personer"),
        "organisation": ("organisation", "organisationer"),
        "note": ("lapp", "lappar"),
        "workshop": ("workshop", "workshoppar"),
        "summary": "{actions} från {workshops}: {done} och {overdue}.",
        "attendance_line": "{people} från {organisations}",
        "attendance_series": "Sammanlagt har {people} från {organisations} deltagit i serien.",
        "notes_line": "{added} nya, {changed} ändrade och {removed} borttagna lappar på tavlan",
        "comments": "Uppföljning av workshopserien, skapad av backbone.",
        "category": "Uppföljning",
        "notes_added": "Nya lappar", "notes_changed": "Ändrade lappar", "notes_removed": "Borttagna från tavlan",
        "actions_added": "Nya åtgärder", "actions_changed": "Ändrade åtgärder",
        "mail_subject": "backbone: {result} – {new}, {changed}, {overdue}",
        "new": ("ny", "nya"), "changed": ("ändrad", "ändrade"),
        "mail_failed_subject": "backbone: synkningen misslyckades",
        "mail_test_subject": "backbone: testmeddelande – åäö ✓",
        "mail_test_body": "Det här är ett testmeddelande från backbone. E-postinställningarna fungerar.",
        "mail_intro": "Synkningen {started}: {result}.",
        "mail_failures": "Misslyckades",
        "mail_conflicts": "Konflikter (personens värde behölls)",
        "mail_overdue": "Försenade åtgärder",
        "mail_changes": "Ändringar",
        "mail_attached": "Bifogat: de senaste sammanfattningarna.",
        "result_ok": "ok", "result_partial": "delvis", "result_failed": "misslyckad",
    },
    "en": {
        "title": "Follow-up of the workshop series",
        "title_for": "Follow-up – {organisation}",
        "since_followup": "since the last follow-up ({moment})",
        "since_date": "since {date}",
        "since_first": "This is the first follow-up, so everything counts as new; the next one shows what changed since today.",
        "since_unknown": "backbone has no sync from before {date} to compare with, so new actions and status changes cannot be shown.",
        "nothing_new": "Nothing new or changed.",
        "no_status": "No status set",
        "due": "by {date}",
        "overdue_flag": "overdue",
        "action": ("action", "actions"),
        "done": ("done", "done"),
        "overdue": ("overdue", "overdue"),
        "person": ("person", "people"),
        "organisation": ("organisation", "organisations"),
        "note": ("note", "notes"),
        "workshop": ("workshop", "workshops"),
        "summary": "{actions} from {workshops}: {done} and {overdue}.",
        "attendance_line": "{people} from {organisations}",
        "attendance_series": "In all, {people} from {organisations} have taken part in the series.",
        "notes_line": "{added} new, {changed} changed and {removed} removed notes on the board",
        "comments": "Follow-up of the workshop series, made by backbone.",
        "category": "Follow-up",
        "notes_added": "New notes", "notes_changed": "Changed notes", "notes_removed": "Removed from the board",
        "actions_added": "New actions", "actions_changed": "Changed actions",
        "mail_subject": "backbone: {result} – {new}, {changed}, {overdue}",
        "new": ("new", "new"), "changed": ("changed", "changed"),
        "mail_failed_subject": "backbone: the sync failed",
        "mail_test_subject": "backbone: test message – åäö ✓",
        "mail_test_body": "This is a test message from backbone. The e-mail settings work.",
        "mail_intro": "The sync of {started}: {result}.",
        "mail_failures": "Failed",
        "mail_conflicts": "Conflicts (the person's value was kept)",
        "mail_overdue": "Overdue actions",
        "mail_changes": "Changes",
        "mail_attached": "Attached: the newest recaps.",
        "result_ok": "ok", "result_partial": "partial", "result_failed": "failed",
    },
}


def word(lang: str, key: str) -> str:
    return PHRASES[lang][key]


def counted(lang: str, count: int, key: str) -> str:
    """"1 åtgärd", "3 åtgärder": the number with the right form."""
    return wording.counted(count, PHRASES[lang][key])
