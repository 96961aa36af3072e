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
