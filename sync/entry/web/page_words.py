"""The web page's words, from the gettext catalogs like every other phrase, and which language a request gets.

Order of choice: `?lang=` (the person picked the other language on the page; remembered in a cookie), the
cookie, then BACKBONE_LANGUAGE. A browser's Accept-Language does not override the installation's language: a
Swedish initiative's page is Swedish in an English-speaking browser until the person picks English.
The page's labels are English messages named by key (LABELS) and said in the page's language from the catalogs
(sync/core/i18n.py), as are the messages made by the rest of backbone (errors, counts with their plurals).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from flask import Request

from sync.core.digest_message import KINDS, kind_label
from sync.core.i18n import LANGUAGES, N_, counts_line, speaking, words

# An absolute server path (/srv/backbone/plan.xlsx, C:\data\plan.xlsx) in a message: only its last part is shown.
SERVER_PATH = re.compile(r"(?<![\w/.])(?:[A-Za-z]:)?[/\\](?:[^\s/\\:;,'\"()<>]+[/\\])+([^\s/\\:;,'\"()<>]+)")

COOKIE = "lang"

# The page's labels by the key its templates use (t("workshops")); each an English message whose Swedish is in the
# catalogs. "other_language" names the language the page is not in: the English page's link says "På svenska".
LABELS = {
    "workshops": N_('Workshops'), "runs": N_('Runs'), "sync": N_('Sync'), "other_language": N_('På svenska'),
    "title": N_('Title'), "date": N_('Date'), "board": N_('Board'), "notes": N_('Notes'),
    "synced": N_('Last synced'), "open_board": N_('Open the board'), "no_board": N_('no board'),
    "never": N_('never'), "recap_word": N_('Recap (Word)'), "recap_pdf": N_('Recap (PDF)'),
    "recap_of": N_('Recap of {title}'), "sync_now": N_('Sync now'), "next_run": N_('Next scheduled sync'),
    "not_scheduled": N_('no scheduled sync'), "last_run": N_('Last sync'), "no_runs": N_('No sync has run yet.'),
    "no_workshops": N_('The Workshops tab has no workshops yet.'),
    "sheet_error": N_('The planning sheet could not be read:'), "sync_running": N_('Sync running …'),
    "sync_done": N_('Sync finished'), "sync_idle": N_('No sync has been started since the service started.'),
    "already_running": N_('A sync is already running – follow it here.'), "result_ok": N_('ok'),
    "result_partial": N_('partly done'), "result_failed": N_('failed'),
    "result_busy": N_('another sync was already running, try again in a moment'), "result_dry-run": N_('dry run'),
    "started": N_('Started'), "ended": N_('Finished'), "by_schedule": N_('scheduled'),
    "by_web": N_('started from the web page'), "back": N_('Back to the workshops'), "all_runs": N_('All runs'),
    "conflicts": N_('Conflicts'), "errors": N_('Errors'),
    "conflict_line": N_('{tab} {row} {column}: the sheet kept “{sheet}”, the board says “{board}”'),
    "error_title": N_('Something went wrong'), "not_found_title": N_('Not found'),
    "not_found": N_('There is no such page.'),
    "unexpected": N_("An unexpected error happened. The server's log has more."),
    "pdf_unavailable_title": N_('No PDF here'),
    "pdf_unavailable": N_('LibreOffice is not installed on the server, so no PDF can be made. '
                         'Download the Word file instead, or ask whoever runs the server to install LibreOffice.'),
    "method_not_allowed": N_('This address does not take that kind of request.'),
    "pdf_busy": N_('Many PDFs are being made right now. Try again in a moment, or download the Word file.'),
    "followup": N_('Follow-up (Word)'),
    "followup_help": N_('Every action by status, overdue ones, what is new since the last '
                       'follow-up, and attendance across the series.'),
    "changes": N_('Changes'), "run_title": N_('Run {id}'),
    "no_digest": N_('This run has no list of changes (it ran before backbone kept them, or it failed).'),
    "nothing_changed": N_('Nothing was added, changed or removed.'), "mail_sent": N_('The e-mail digest was sent.'),
    "mail_skipped": N_('No e-mail: nothing new since the last digest.'),
    "mail_failed": N_('The e-mail digest could not be sent:'),
    "chart_caption": N_('Actions by status in each workshop, and attendance across the series.'),
    "recap_from_sheet": N_("No board: the recap is made of the workshop's rows in the Idéer and Åtgärder tabs."),
    "pdf_missing": N_('No PDF: LibreOffice is not installed on the server. Download the Word '
                     'file, or ask whoever runs the server to install LibreOffice.'),
}
UNTRANSLATED = {"none": "–"}  # an empty cell, the same in every language


def choose_language(request: Request, default: str) -> tuple[str, bool]:
    """(language, whether it came from ?lang= and should be remembered); Accept-Language is not consulted."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked, True
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered, False
    return (default if default in LANGUAGES else "sv"), False


def translator(lang: str) -> Callable[..., str]:
    """t("key", **values): the label in `lang`, formatted; an unknown key shows itself (never crashes a page)."""
    say = words(lang)

    def t(key: str, **values) -> str:
        if key == "counts":  # plural forms: "1 konflikt", "2 konflikter"
            with speaking(lang):
                return counts_line(values)
        if key in KINDS:  # a kind of change, as the follow-up report and the digest name it
            return kind_label(key, lang)
        phrase = say.gettext(LABELS[key]) if key in LABELS else UNTRANSLATED.get(key, key)
        return phrase.format(**values) if values else phrase
    return t


def without_server_paths(text: str) -> str:
    """A message for the page with server paths cut to the file's name: where files live on the server is
    no coordinator's business (and tells a stranger too much); the server's log keeps the full message."""
    return SERVER_PATH.sub(r"\1", str(text))
