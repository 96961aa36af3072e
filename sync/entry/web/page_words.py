"""The web page's words in Swedish and English, and which language a request gets.

Order of choice: `?lang=` (the person picked the other language on the page; remembered in a cookie), the
cookie, then BACKBONE_LANGUAGE. A browser's Accept-Language does not override the installation's language: a
Swedish initiative's page is Swedish in an English-speaking browser until the person picks English.
The page's labels are this table; messages made by the rest of backbone (errors, counts with their plurals)
come from the gettext catalogs (sync/core/i18n.py) in the page's language.
"""
from __future__ import annotations

import re

from flask import Request

from sync.core.followup_words import word
from sync.core.i18n import counts_line, speaking

# An absolute server path (/srv/backbone/plan.xlsx, C:\data\plan.xlsx) in a message: only its last part is shown.
SERVER_PATH = re.compile(r"(?<![\w/.])(?:[A-Za-z]:)?[/\\](?:[^\s/\\:;,'\"()<>]+[/\\])+([^\s/\\:;,'\"()<>]+)")

LANGUAGES = ("sv", "en")
COOKIE = "lang"

PHRASES = {
    "sv": {
        "workshops": "Workshoppar", "runs": "Körningar", "sync": "Synk", "other_language": "In English",
        "title": "Titel", "date": "Datum", "board": "Tavla", "notes": "Lappar", "synced": "Senast synkad",
        "open_board": "Öppna tavlan", "no_board": "ingen tavla", "never": "aldrig", "none": "–",
        "recap_word": "Sammanfattning (Word)", "recap_pdf": "Sammanfattning (PDF)",
        "recap_of": "Sammanfattning av {title}",
        "sync_now": "Synka nu", "next_run": "Nästa schemalagda synk", "not_scheduled": "ingen schemalagd synk",
        "last_run": "Senaste synk", "no_runs": "Ingen synk har körts ännu.",
        "no_workshops": "Fliken Workshops har inga workshoppar ännu.",
        "sheet_error": "Planeringsarket kunde inte läsas:",
        "sync_running": "Synken pågår …", "sync_done": "Synken är klar", "sync_idle":
            "Ingen synk har startats sedan tjänsten startade.",
        "already_running": "En synk pågår redan – här följer du den.",
        "result_ok": "lyckades", "result_partial": "delvis klar", "result_failed": "misslyckades",
        "result_busy": "en annan synk pågick redan, försök igen om en stund", "result_dry-run": "provkörning",
        "started": "Startad", "ended": "Klar", "by_schedule": "schemalagd", "by_web": "startad från webbsidan",
        "back": "Tillbaka till workshopparna", "all_runs": "Alla körningar",
        "conflicts": "Konflikter", "errors": "Fel",
        "conflict_line": "{tab} {row} {column}: arket behöll ”{sheet}”, tavlan säger ”{board}”",
        "error_title": "Något gick fel", "not_found_title": "Hittades inte",
        "not_found": "Sidan finns inte.", "unexpected": "Ett oväntat fel inträffade. Mer finns i serverns logg.",
        "pdf_unavailable_title": "PDF går inte att skapa här",
        "pdf_unavailable": "LibreOffice saknas på servern, så PDF kan inte skapas. Hämta Word-filen i stället, "
                           "eller be den som sköter servern att installera LibreOffice.",
        "method_not_allowed": "Den här adressen tar inte emot den sortens begäran.",
        "pdf_busy": "Många PDF:er skapas just nu. Försök igen om en liten stund, eller hämta Word-filen.",
    },
    "en": {
        "workshops": "Workshops", "runs": "Runs", "sync": "Sync", "other_language": "På svenska",
        "title": "Title", "date": "Date", "board": "Board", "notes": "Notes", "synced": "Last synced",
        "open_board": "Open the board", "no_board": "no board", "never": "never", "none": "–",
        "recap_word": "Recap (Word)", "recap_pdf": "Recap (PDF)", "recap_of": "Recap of {title}",
        "sync_now": "Sync now", "next_run": "Next scheduled sync", "not_scheduled": "no scheduled sync",
        "last_run": "Last sync", "no_runs": "No sync has run yet.",
        "no_workshops": "The Workshops tab has no workshops yet.",
        "sheet_error": "The planning sheet could not be read:",
        "sync_running": "Sync running …", "sync_done": "Sync finished", "sync_idle":
            "No sync has been started since the service started.",
        "already_running": "A sync is already running – follow it here.",
        "result_ok": "ok", "result_partial": "partly done", "result_failed": "failed",
        "result_busy": "another sync was already running, try again in a moment", "result_dry-run": "dry run",
        "started": "Started", "ended": "Finished", "by_schedule": "scheduled", "by_web": "started from the web page",
        "back": "Back to the workshops", "all_runs": "All runs",
        "conflicts": "Conflicts", "errors": "Errors",
        "conflict_line": "{tab} {row} {column}: the sheet kept “{sheet}”, the board says “{board}”",
        "error_title": "Something went wrong", "not_found_title": "Not found",
        "not_found": "There is no such page.", "unexpected": "An unexpected error happened. The server's log has more.",
        "pdf_unavailable_title": "No PDF here",
        "pdf_unavailable": "LibreOffice is not installed on the server, so no PDF can be made. Download the Word "
                           "file instead, or ask whoever runs the server to install LibreOffice.",
        "method_not_allowed": "This address does not take that kind of request.",
        "pdf_busy": "Many PDFs are being made right now. Try again in a moment, or download the Word file.",
    },
}

# The follow-up button and a run's change view (sync/entry/web/followup_views.py).
FOLLOWUP_WORDS = {
    "sv": {"followup": "Uppföljning (Word)", "followup_help": "Alla åtgärder per status, försenade, nytt sedan förra "
           "uppföljningen och deltagande i hela serien.", "changes": "Ändringar", "run_title": "Körning {id}",
           "no_digest": "Den här körningen har ingen ändringslista (den kördes innan backbone sparade dem, eller misslyckades).",
           "nothing_changed": "Inget lades till, ändrades eller togs bort.",
           "mail_sent": "E-postsammanfattningen skickades.", "mail_skipped": "Ingen e-post: inget nytt sedan förra sammandraget.",
           "mail_failed": "E-postsammanfattningen kunde inte skickas:",
           "chart_caption": "Åtgärder per status i varje workshop, och deltagandet i serien."},
    "en": {"followup": "Follow-up (Word)", "followup_help": "Every action by status, overdue ones, what is new since "
           "the last follow-up, and attendance across the series.", "changes": "Changes", "run_title": "Run {id}",
           "no_digest": "This run has no list of changes (it ran before backbone kept them, or it failed).",
           "nothing_changed": "Nothing was added, changed or removed.",
           "mail_sent": "The e-mail digest was sent.", "mail_skipped": "No e-mail: nothing new since the last digest.",
           "mail_failed": "The e-mail digest could not be sent:",
           "chart_caption": "Actions by status in each workshop, and attendance across the series."},
}
# A workshop card's recap buttons, or why there are none (issue 18).
CARD_WORDS = {
    "sv": {"recap_from_sheet": "Ingen tavla: sammanfattningen görs av workshoppens rader i flikarna Idéer och Åtgärder.",
           "pdf_missing": "Ingen PDF: LibreOffice saknas på servern. Hämta Word-filen, eller be den som sköter "
                          "servern att installera LibreOffice."},
    "en": {"recap_from_sheet": "No board: the recap is made of the workshop's rows in the Idéer and Åtgärder tabs.",
           "pdf_missing": "No PDF: LibreOffice is not installed on the server. Download the Word file, or ask whoever "
                          "runs the server to install LibreOffice."},
}
CHANGE_LABELS = ("notes_added", "notes_changed", "notes_removed", "actions_added", "actions_changed")
for _lang, _words in FOLLOWUP_WORDS.items():
    PHRASES[_lang].update(_words)
    PHRASES[_lang].update(CARD_WORDS[_lang])
    PHRASES[_lang].update({key: word(_lang, key) for key in CHANGE_LABELS})  # as the follow-up report says them


def choose_language(request: Request, default: str) -> tuple[str, bool]:
    """(language, whether it came from ?lang= and should be remembered); Accept-Language is not consulted."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked, True
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered, False
    return (default if default in LANGUAGES else "sv"), False


def translator(lang: str):
    """t("key", **values): the phrase in `lang`, formatted; an unknown key shows itself (never crashes a page)."""
    table = PHRASES[lang]

    def t(key: str, **values) -> str:
        if key == "counts":  # plural forms: "1 konflikt", "2 konflikter"
            with speaking(lang):
                return counts_line(values)
        phrase = table.get(key, key)
        return phrase.format(**values) if values else phrase
    return t


def without_server_paths(text: str) -> str:
    """A message for the page with server paths cut to the file's name: where files live on the server is
    no coordinator's business (and tells a stranger too much); the server's log keeps the full message."""
    return SERVER_PATH.sub(r"\1", str(text))
