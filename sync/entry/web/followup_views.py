"""The web page's between-workshops parts: the follow-up report button and a run's change view.

Kept in their own module and templates; their words are added to the page's phrase tables here.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, abort, g, render_template, request

from sync.core.sheet.change_digest import KINDS
from sync.entry.web.downloads import MIMETYPES, content_disposition

if TYPE_CHECKING:
    from sync.bootstrap import Backbone
    from sync.core.sheet.values import SheetValues


class SeriesChart:
    """The follow-up's chart as the page shows it, from one read of the sheet: what it shows (`data`, with
    its alt text) and, drawn when first fetched, its picture."""

    def __init__(self, data: dict, lang: str, draw: Callable[[dict, str], bytes]):
        self.data, self.lang, self.draw = data, lang, draw
        self._png: bytes | None = None
        self._lock = threading.Lock()

    def png(self) -> bytes:
        with self._lock:  # drawn once, however many fetch it at the same moment
            if self._png is None:
                self._png = self.draw(self.data, self.lang)
            return self._png


def series_chart(backbone: Backbone, lang: str) -> SeriesChart:
    """The follow-up's chart, from the sheet as the page last read it (reports/followup_chart.py); worked out
    once per read of the sheet, language and day, not once per view. Shared between requests: read only."""
    today = backbone.clock().astimezone(backbone.tz).date()
    return backbone.sheet_cache.derived(("chart", lang, today), lambda values: _series_chart(backbone, values, lang))


def _series_chart(backbone: Backbone, values: SheetValues, lang: str) -> SeriesChart:
    from sync.core.followup_context import Since, build_followup_context
    from sync.core.sheet.reading import read_planning
    planning = read_planning(values, backbone.sheet.name)
    now = backbone.clock().astimezone(backbone.tz)
    context = build_followup_context(planning, Since("first"), lang=lang, today=now.date(), generated=now)
    return SeriesChart(context["chart_data"], lang, backbone.documents.chart_png)


def install_followup(app: Flask, backbone) -> None:
    def chart_alt() -> str:
        """The chart's alt text for the page, "" when there is nothing to draw or the sheet cannot be read."""
        from sync.core.errors import BackboneError
        try:
            data = series_chart(backbone, g.lang).data
        except BackboneError:
            return ""  # the page says why the sheet cannot be read elsewhere
        return data["alt"] if data.get("shown") else ""

    app.jinja_env.globals["followup_chart_alt"] = chart_alt

    @app.get("/followup/chart.png")
    def followup_chart():
        """The follow-up's chart (actions per status per workshop, attendance) as the page shows it."""
        chart = series_chart(backbone, g.lang)
        if not chart.data.get("shown"):
            abort(404)
        return Response(chart.png(), mimetype="image/png",
                        headers={"Cache-Control": "no-store"})

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
