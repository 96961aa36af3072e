"""The sheet as the web page shows it: read once, read again only when it may have changed.

Without it every page view read the whole workbook (1.4-2 s at 20,000 rows) or spent two Google reads
of the 60-a-minute quota. A local workbook is read again when its fingerprint (size, mtime, content hash;
a few milliseconds) changes; a Google sheet has no such cheap check, so it is read again at most once a
`min_interval` (one read is two requests: metadata and values). A sync invalidates the cache; for Google the
next read still waits for its turn, so no amount of traffic or syncing spends more of the quota.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

from ..errors import BackboneError
from ..ports import SheetValues


class SheetCache:
    def __init__(self, read: Callable[[], SheetValues], version: Callable[[], Hashable] | None = None, *,
                 min_interval: float = 0.0, clock: Callable[[], float] = time.monotonic):
        self._read, self._version, self._min_interval, self._clock = read, version, min_interval, clock
        self._lock = threading.Lock()
        self._values: SheetValues | None = None
        self._error: BackboneError | None = None
        self._seen: Hashable = None
        self._read_at: float | None = None
        self._stale = False

    def invalidate(self) -> None:
        """The sheet was written (a sync ran): the next view reads it again, as soon as its turn comes."""
        with self._lock:
            self._stale = True

    def values(self) -> SheetValues:
        """The sheet's values; the cached ones while they are current or while a read must wait its turn.
        Callers only read them (they are shared between requests)."""
        with self._lock:
            if self._due():
                self._refresh()
            if self._values is None:
                assert self._error is not None
                raise self._error
            return self._values

    def _due(self) -> bool:
        waited = self._read_at is None or self._clock() - self._read_at >= self._min_interval
        if not waited:
            return False  # Google's quota: a failed read counts too, so a broken sheet is not hammered
        if self._values is None or self._stale:
            return True
        if self._version is None:
            return True  # nothing cheap tells whether it changed: read again once its turn has come
        try:
            return self._version() != self._seen
        except (BackboneError, OSError):
            return True  # moved or unreadable: the read says so

    def _refresh(self) -> None:
        self._read_at = self._clock()
        try:
            seen = self._version() if self._version is not None else None
            self._values, self._error = self._read(), None
        except BackboneError as exc:
            self._values, self._error = None, exc
            return
        finally:
            self._stale = False
        self._seen = seen
