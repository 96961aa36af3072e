"""Sync runs for the web service: one at a time in this process, from the page or the schedule.

The engine's own lock (BusyError) keeps a `backbone sync` from cron and this service apart; the
threading lock here answers "already running" at once, before the engine is even asked.
The progress lines of the current (or last) run are kept so the page can show them.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from sync.core import crash
from sync.core.errors import BackboneError, BusyError
from sync.core.i18n import Later, speaking
from sync.core.run_result import stamp
from sync.core.text import one_line

if TYPE_CHECKING:
    from sync.bootstrap import Backbone

log = logging.getLogger("sync.entry.web.runs")
MAX_LINES = 500  # a board per line: enough for any initiative, bounded for a long-running service


@dataclass
class RunStatus:
    origin: str  # "web" | "schedule"
    started: str
    state: str = "running"  # running | finished
    ended: str = ""
    result: str | None = None  # ok | partial | failed | busy, once finished
    counts: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    error: str = ""  # one line, when the run stopped on an error
    run_id: int | None = None
    lines: list = field(default_factory=list)  # str | Later: said in the reader's language (said_lines)

    def said_lines(self) -> list[str]:
        """The progress lines in the current language: the visitor's on the page, not the run's."""
        return [one_line(str(line)) for line in self.lines]


class SyncRunner:
    def __init__(self, backbone: Backbone):
        self.backbone = backbone
        self._busy = threading.Lock()  # held for the whole run
        self._guard = threading.Lock()  # protects `_status` between the run and the readers
        self._status: RunStatus | None = None
        self._thread: threading.Thread | None = None

    def _stamp(self) -> str:
        return stamp(self.backbone.clock, self.backbone.tz)

    def running(self) -> bool:
        return self._busy.locked()

    def start(self, origin: str = "web") -> bool:
        """Start a run in a background thread; False (and nothing started) when one is running."""
        if not self._busy.acquire(blocking=False):
            return False
        self._begin(origin)
        # A daemon thread: a stuck remote service must not keep the process from stopping.
        self._thread = threading.Thread(target=self._work, name="backbone-sync", daemon=True)
        self._thread.start()
        return True

    def run(self, origin: str = "schedule") -> RunStatus | None:
        """Run in this thread (the scheduler's); None when a run is already going."""
        if not self._busy.acquire(blocking=False):
            log.info("%s sync skipped: a sync is already running", origin)
            return None
        self._begin(origin)
        self._work()
        return self.status()

    def wait(self, timeout: float) -> bool:
        """Wait for a running run to end (at shutdown); True when none is running any more."""
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.running()

    def status(self) -> RunStatus | None:
        with self._guard:
            return None if self._status is None else RunStatus(**{**asdict(self._status),
                                                                 "lines": list(self._status.lines)})

    def _begin(self, origin: str) -> None:
        with self._guard:
            self._status = RunStatus(origin=origin, started=self._stamp())

    def _current(self) -> RunStatus:
        """The status of the run going on (under `_guard`); _begin made it before the run began."""
        assert self._status is not None
        return self._status

    def _progress(self, line: str | Later) -> None:
        with self._guard:
            lines = self._current().lines
            if len(lines) < MAX_LINES:
                lines.append(line)

    def _finish(self, **outcome) -> None:
        with self._guard:
            status = self._current()
            for key, value in outcome.items():
                setattr(status, key, value)
            # the run's own end when the engine recorded one, so page, /health and the runs list agree
            status.state, status.ended = "finished", status.ended or self._stamp()

    def _work(self) -> None:
        started = time.monotonic()
        try:
            with speaking(self.backbone.settings.language):  # this thread's messages: BACKBONE_LANGUAGE (the page says Later lines anew)
                result = self.backbone.sync(progress=self._progress)
            self._finish(result=result.result, counts=result.counts(), failures=[list(f) for f in result.failures],
                         run_id=result.run_id, ended=result.ended or "")
        except BusyError as exc:  # `backbone sync` from cron, or another service, holds the engine lock
            self._finish(result="busy", error=one_line(str(exc)))
        except BackboneError as exc:
            self._finish(result="failed", error=one_line(str(exc)))
        except Exception as exc:  # a bug: logged with its traceback, the page gets one line
            crash.logged(exc, "sync run")
            self._finish(result="failed", error=crash.run_line(exc))
        finally:
            try:
                self._log(time.monotonic() - started)
            finally:  # logged before release, so the next run cannot replace the status being logged
                self._busy.release()

    def _log(self, seconds: float) -> None:
        status = self.status()
        assert status is not None  # logged at the end of a run, whose status _begin made
        counts = status.counts or {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}
        fields = {"event": "sync", "origin": status.origin, "result": status.result, "run_id": status.run_id,
                  "seconds": round(seconds, 2), **counts}
        level = logging.INFO if status.result in ("ok", "busy") else logging.WARNING
        log.log(level, "sync %s (%s): %s new, %s changed, %s removed, %s conflicts in %.1f s%s", status.result,
                status.origin, counts["new"], counts["changed"], counts["removed"], counts["conflicts"], seconds,
                f" — {status.error}" if status.error else "", extra={"fields": fields})
