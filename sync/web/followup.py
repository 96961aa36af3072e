"""The web page's between-workshops parts: the follow-up report button and a run's change view.

Kept in their own module and templates; their words are added to the page's phrase tables here.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import Flask, Response, abort, render_template, request

from ..sheet.digest import KINDS
from .downloads import MIMETYPES, content_disposition
from .i18n import PHRASES

WORDS = {
    "sv": {"followup": "Uppföljning (Word)", "followup_help": "Alla åtgärder per status, försenade, nytt sedan förra "
           "uppföljningen och deltagande i hela serien.", "changes": "Ändringar", "run_title": "Körning {id}",
           "no_digest": "Den här körningen har ingen ändringslista (den kördes innan backbone sparade dem, eller misslyckades).",
           "nothing_changed": "Inget lades till, ändrades eller togs bort.",
           "notes_added": "Nya lappar", "notes_changed": "Ändrade lappar", "notes_removed": "Borttagna från tavlan",
           "actions_added": "Nya åtgärder", "actions_changed": "Ändrade åtgärder",
           "mail_sent": "E-postsammanfattningen skickades.", "mail_skipped": "Ingen e-post: inget att berätta.",
           "mail_failed": "E-postsammanfattningen kunde inte skickas:"},
    "en": {"followup": "Follow-up (Word)", "followup_help": "Every action by status, overdue ones, what is new since "
           "the last follow-up, and attendance across the series.", "changes": "Changes", "run_title": "Run {id}",
           "no_digest": "This run has no list of changes (it ran before backbone kept them, or it failed).",
           "nothing_changed": "Nothing was added, changed or removed.",
           "notes_added": "New notes", "notes_changed": "Changed notes", "notes_removed": "Removed from the board",
           "actions_added": "New actions", "actions_changed": "Changed actions",
           "mail_sent": "The e-mail digest was sent.", "mail_skipped": "No e-mail: nothing to say.",
           "mail_failed": "The e-mail digest could not be sent:"},
}
for _lang, _words in WORDS.items():
    for _key, _phrase in _words.items():
        PHRASES[_lang].setdefault(_key, _phrase)


def install_followup(app: Flask, backbone) -> None:
    @app.post("/followup")
    def followup():
        """Write the follow-up report (recorded as the last follow-up) and hand it over as a download."""
        lang = request.args.get("lang") if request.args.get("lang") in ("sv", "en") else None
        folder = Path(tempfile.mkdtemp(prefix="backbone-web-followup-"))
        try:
            path = backbone.followup(lang=lang, out=folder).docx
            data = path.read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return Response(data, mimetype=MIMETYPES["docx"], headers={"Content-Disposition": content_disposition(path.name)})

    @app.get("/runs/<int:run_id>")
    def run_changes(run_id: int):
        run = backbone.state.run(run_id)
        if run is None:
            abort(404)
        changes = run.details.get("changes")
        return render_template("run_changes.html", run=run, changes=changes, kinds=KINDS,
                               notification=run.details.get("notification"))
