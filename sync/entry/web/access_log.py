"""The service's log lines: text or JSON (--log-json), one per request and one per run.

Request lines carry method, path, status and milliseconds, nothing from the headers, so the
Authorization header (the password) can never end up in a log.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time

request_log = logging.getLogger("sync.entry.web.requests")


def printable(text: str) -> str:
    """Control characters escaped: a path with %0A in it must not start a forged log line."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S%z")

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record).replace("\n", " | "))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a record's `fields` extra (method, status, counts …) becomes keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(log_json: bool, stream=None) -> logging.Handler:
    """Every log line of the process through one handler with our formatter; the service's own at INFO."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_json else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):  # the CLI's plain handler would print every line a second time
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    web = logging.getLogger("sync.entry.web")
    web.setLevel(min(logging.INFO, root.level))
    return handler


class RequestLog:
    """WSGI middleware: one line per request, after the response has started."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started, seen = time.perf_counter(), {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        finally:
            method = environ.get("REQUEST_METHOD", "?")
            path = printable(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
            status, ms = seen.get("status", 500), round((time.perf_counter() - started) * 1000, 1)
            request_log.info("%s %s %s %.0fms", method, path, status, ms,
                             extra={"fields": {"event": "request", "method": method, "path": path,
                                               "status": status, "ms": ms}})
