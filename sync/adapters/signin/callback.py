"""The one-shot loopback server that receives the browser's redirect back from a vendor's sign-in page (MURAL, Miro).

It listens on 127.0.0.1 only, answers the first `/callback` with a short page for the person at the
browser, checks `state` (a forged or stale redirect must not sign anyone in) and hands `code` to the caller.
"""
from __future__ import annotations

import html
import os
import secrets
import sys
import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from sync.adapters.signin.tokens import Vendor
from sync.core.errors import ConfigError
from sync.core.i18n import _, language, speaking

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>backbone</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>{title}</h1><p>{text}</p></body></html>"""


def open_sign_in_page(url: str, open_browser: Callable[[str], object] | None = None) -> None:
    """`open_browser(url)` when given (tests), else the system browser; the caller has announced the URL either way,
    for a browser on another computer."""
    if open_browser is not None:
        open_browser(url)
        return
    if sys.platform.startswith("linux") and not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")):
        return  # no desktop: webbrowser would start a text browser in this very terminal; the address was announced
    try:
        webbrowser.open(url)
    except Exception:  # noqa: BLE001 - no browser here; the address was announced
        pass


class CallbackServer:
    def __init__(self, port: int, state: str, vendor: Vendor):
        self.vendor = vendor
        try:
            self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        except OSError as exc:
            raise ConfigError(_("cannot listen on 127.0.0.1:{port} for the {vendor} sign-in ({reason}): close the program "
                                "using that port, or set {setting} to another port that is registered as a redirect URL "
                                "of the {vendor} app").format(port=port, reason=exc.strerror, vendor=vendor.name,
                                                              setting=f"BACKBONE_{vendor.command.upper()}_CALLBACK_PORT")
                              ) from None
        self._server.daemon_threads = True
        self._server.callback = self  # type: ignore[attr-defined]
        self.port: int = self._server.server_address[1]  # the real port when 0 (any free port) was asked for
        self._state = state
        self.lang = language()  # the server's threads answer in the language of the command that started it
        self._done = threading.Event()
        self._lock = threading.Lock()  # the server is threaded: two redirects at once must not both count
        self._code = ""
        self._error = ""
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> CallbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> str:
        """The authorization code, once the browser has come back; ConfigError on refusal, mismatch or timeout."""
        if not self._done.wait(timeout):
            raise ConfigError(_("the browser did not come back from the {vendor} sign-in page within {seconds} s: run "
                                "`backbone {command} login` again").format(seconds=f"{timeout:g}", **self._names()))
        if self._error:
            raise ConfigError(self._error)
        return self._code

    def receive(self, query: dict[str, list[str]]) -> tuple[int, str, str]:
        """(HTTP status, title, text) for the browser; records the outcome of the first callback only."""
        with self._lock:
            return self._receive(query)

    def _receive(self, query: dict[str, list[str]]) -> tuple[int, str, str]:
        if self._done.is_set():
            return 409, _("Already done"), _("This sign-in has already been handled. You can close this tab.")
        value = {key: values[0] for key, values in query.items() if values}
        if "error" in value:
            self._error = _("{vendor} sign-in was not completed ({error}: {description}): run `backbone {command} login` "
                            "again and allow access").format(error=value["error"],
                                                             description=value.get("error_description", "")[:200],
                                                             **self._names())
            status, title = 400, _("Sign-in not completed")
        elif not secrets.compare_digest(value.get("state", "").encode(), self._state.encode()):
            self._error = _("the {vendor} sign-in answer did not match this login (state differs; an old or foreign "
                            "link?): run `backbone {command} login` again").format(**self._names())
            status, title = 400, _("Sign-in not accepted")
        elif not value.get("code"):
            self._error = _("the {vendor} sign-in answer held no authorization code: run `backbone {command} login` "
                            "again").format(**self._names())
            status, title = 400, _("Sign-in not completed")
        else:
            self._code = value["code"]
            status, title = 200, _("Signed in to {vendor}").format(**self._names())
        self._done.set()
        text = _("You can close this tab and return to backbone.") if status == 200 else self._error
        return status, title, text

    def _names(self) -> dict[str, str]:
        return {"vendor": self.vendor.name, "command": self.vendor.command}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        with speaking(self.server.callback.lang):  # type: ignore[attr-defined]
            self._get()

    def _get(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") != "/callback":
            vendor = self.server.callback.vendor.name  # type: ignore[attr-defined]
            return self._answer(404, _("Not found"), _("backbone waits for the {vendor} sign-in at /callback only.").format(
                vendor=vendor))
        self._answer(*self.server.callback.receive(parse_qs(parts.query)))  # type: ignore[attr-defined]

    def _answer(self, status: int, title: str, text: str) -> None:
        body = _PAGE.format(lang=language(), title=html.escape(title), text=html.escape(text)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the request line holds the authorization code: keep it out of every log
