"""The web page: workshops with their recaps, "Sync now" with its progress, recent runs, /health.

Server-rendered (Jinja, autoescaped) and usable on a phone; the only script is a small poller for
the progress page, which also works without it (meta refresh).
"""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, Response, g, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from sync.core.errors import BackboneError, ConfigError, NotFoundError, ServiceError
from sync.core.i18n import speaking
from sync.entry.web.access_log import RequestLog
from sync.entry.web.downloads import MIMETYPES, PdfQueue, QueueFull, build_recap, content_disposition
from sync.entry.web.followup_views import install_followup
from sync.entry.web.page_words import COOKIE, choose_language, translator, without_server_paths
from sync.entry.web.proxies import ProxyList, TrustedProxies
from sync.entry.web.recap_views import install_recap_views
from sync.entry.web.runner import SyncRunner
from sync.entry.web.security import install_security
from sync.entry.web.status_views import health, run_summary, status_json, workshop_view
from sync.entry.web.throttle import PasswordThrottle

log = logging.getLogger("sync.entry.web")
if TYPE_CHECKING:
    from sync.bootstrap import Backbone
    from sync.entry.web.scheduler import SyncScheduler

HERE = Path(__file__).resolve().parent


def wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def create_app(backbone: Backbone, scheduler: SyncScheduler | None = None, *, runner: SyncRunner | None = None,
               throttle: PasswordThrottle | None = None,
               pdf_queue: PdfQueue | None = None) -> Flask:
    """The Flask app for `backbone`; with a scheduler its runner is shared, so page and schedule take turns."""
    runner = runner or (scheduler.runner if scheduler is not None else SyncRunner(backbone))
    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024)  # the page only ever posts an empty form
    app.extensions["backbone"] = {"backbone": backbone, "runner": runner, "scheduler": scheduler}
    install_security(app, backbone.settings.web_password, backbone.settings.allowed_web_hosts(), throttle=throttle)
    pdf_queue = pdf_queue or PdfQueue()
    app.jinja_env.filters["no_paths"] = without_server_paths
    app.wsgi_app = RequestLog(app.wsgi_app)  # type: ignore[method-assign]  # Flask's documented way to wrap the WSGI app
    # outermost: the log, the throttle and the origin check see the visitor only a listed proxy speaks for
    app.wsgi_app = TrustedProxies(app.wsgi_app, ProxyList(backbone.settings.trusted_proxy_networks()))  # type: ignore[method-assign]

    def next_run() -> dt.datetime | None:
        return scheduler.next_run() if scheduler is not None else None

    @app.before_request
    def pick_language():
        g.lang, g.remember_lang = choose_language(request, backbone.settings.language)
        g.t = translator(g.lang)
        g.speaking = speaking(g.lang)  # errors and counts made during this request: in the page's language
        g.speaking.__enter__()

    @app.teardown_request
    def stop_speaking(_exc):
        if "speaking" in g:
            g.pop("speaking").__exit__(None, None, None)

    @app.after_request
    def remember_language(response: Response) -> Response:
        if getattr(g, "remember_lang", False):
            response.set_cookie(COOKIE, g.lang, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
        return response

    @app.context_processor
    def page_globals():
        lang = getattr(g, "lang", backbone.settings.language)
        return {"t": getattr(g, "t", None) or translator(lang), "lang": lang, "other_lang": "en" if lang == "sv" else "sv"}

    @app.get("/")
    def index():
        workshops, sheet_error = [], None
        with pinned_sheet():  # one look at whether the sheet changed, for the list and the chart
            runs = backbone.state.runs(1)
            try:
                rows = backbone.workshop_rows()
                in_tabs = backbone.workshops_in_sheet_tabs() if any(not r.get("board", "").strip() for r in rows) else frozenset()
                left_out = backbone.left_out_of_recaps(runs[0].id if runs else None)
                workshops = [workshop_view(row, in_tabs, left_out) for row in rows]
            except BackboneError as exc:
                sheet_error = without_server_paths(str(exc))
            return render_template("index.html", workshops=workshops, sheet_error=sheet_error,
                                   last_run=runs[0] if runs else None, next_run=next_run(),
                                   timezone=backbone.settings.timezone, status=runner.status(), pdf_ready=backbone.documents.can_make_pdf())

    def pinned_sheet():
        try:
            return backbone.sheet_cache.pinned()
        except BackboneError:
            return nullcontext()  # no sheet to keep: the page's list says why

    @app.get("/workshops/<workshop_id>/report.<any(docx, pdf):kind>")
    def report(workshop_id: str, kind: str):
        lang = request.args.get("lang") if request.args.get("lang") in ("sv", "en") else None
        try:
            with pdf_queue.slot() if kind == "pdf" else nullcontext():  # LibreOffice: a few at a time
                recap = build_recap(backbone, workshop_id, kind, lang)
        except QueueFull as full:
            page, status = error_page("error_title", phrase("pdf_busy"), 503)
            return page, status, {"Retry-After": str(full.retry_after)}
        except ConfigError:
            if kind == "pdf" and not backbone.documents.can_make_pdf():
                return error_page("pdf_unavailable_title", phrase("pdf_unavailable"), 503)
            raise
        return Response(recap.data, mimetype=MIMETYPES[kind],
                        headers={"Content-Disposition": content_disposition(recap.name)})

    @app.post("/sync")
    def start_sync():
        started = runner.start(origin="web")
        if wants_json():
            body = {"started": started, "running": True, "status_url": url_for("sync_status")}
            if not started:
                body["message"] = g.t("already_running")
            return jsonify(body), (202 if started else 409)
        return redirect(url_for("sync_page", already=1) if not started else url_for("sync_page"), code=303)

    @app.get("/sync")
    def sync_page():
        status = runner.status()
        return render_template("sync.html", status=status, summary=run_summary(status, g.t),
                               already=bool(request.args.get("already")))

    @app.get("/sync/status")
    def sync_status():
        return jsonify(status_json(runner.status(), g.t))

    @app.get("/runs")
    def runs():
        return render_template("runs.html", runs=backbone.state.runs(20))

    @app.get("/health", endpoint="health")
    def health_check():
        body = health(backbone, runner, next_run())
        return jsonify(body), (200 if body["status"] == "ok" else 503)

    def phrase(key: str) -> str:  # also for errors raised before the language was chosen
        return (getattr(g, "t", None) or translator(backbone.settings.language))(key)

    def error_page(title_key: str, message: str, status: int):
        return render_template("error.html", title=phrase(title_key), message=message), status

    @app.errorhandler(BackboneError)
    def backbone_error(exc: BackboneError):
        status = 404 if isinstance(exc, NotFoundError) else 502 if isinstance(exc, ServiceError) else 500
        log.warning("%s %s: %s", request.method, request.path, exc)
        return error_page("not_found_title" if status == 404 else "error_title", without_server_paths(str(exc)), status)

    @app.errorhandler(404)
    def not_found(_):
        return error_page("not_found_title", phrase("not_found"), 404)

    @app.errorhandler(405)
    def not_allowed(_):
        return error_page("error_title", phrase("method_not_allowed"), 405)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # 413 and the like keep their status
            return exc
        log.exception("%s %s failed", request.method, request.path)
        return error_page("error_title", phrase("unexpected"), 500)

    install_recap_views(app, backbone)  # the recap and the follow-up as web pages (sync/entry/web/recap_views.py)
    install_followup(app, backbone)  # the follow-up report button and a run's change view (sync/entry/web/followup_views.py)
    return app


