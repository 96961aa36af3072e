"""The sheet as the web page shows it: read once, read again only when it may have changed.

Without it every page view read the whole workbook (1.4-2 s at 20,000 rows) or spent two Google reads
of the 60-a-minute quota. A local workbook is read again when its fingerprint (size, mtime, content hash;
a few milliseconds) changes; a Google sheet has no such cheap check, so it is read again at most once a
`min_interval` (one read is two requests: metadata and values). A sync invalidates the cache; for Google the
next read still waits for its turn, so no amount of traffic or syncing spends more of the quota.

What the page works out from the values (its workshop list, the follow-up chart) is kept beside them with
`derived`: worked out once per read, not once per view, and dropped with the values they came from.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sync.core.errors import BackboneError
from sync.ports import SheetValues

T = TypeVar("T")


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
        self._derive_lock = threading.Lock()
        self._derived_from: SheetValues | None = None  # the values `_derived` was worked out from
        self._derived: dict[Hashable, Any] = {}
        self.builds: Counter[Hashable] = Counter()  # derived things worked out, by the kind of thing (`key[0]`)
        self._pinned = threading.local()  # this thread's values while `pinned`

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Within it, this thread sees one version of the sheet: whether it changed is asked once (the first
        `values`), not at every use (a workbook's check reads and hashes the file). One page view."""
        outer = (getattr(self._pinned, "active", False), getattr(self._pinned, "values", None))
        if not outer[0]:
            self._pinned.active, self._pinned.values = True, None
        try:
            yield
        finally:
            self._pinned.active, self._pinned.values = outer

    def invalidate(self) -> None:
        """The sheet was written (a sync ran): the next view reads it again, as soon as its turn comes."""
        with self._lock:
            self._stale = True

    def values(self) -> SheetValues:
        """The sheet's values; the cached ones while they are current or while a read must wait its turn.
        Callers only read them (they are shared between requests)."""
        pinned = getattr(self._pinned, "values", None)
        if pinned is not None:
            return pinned
        with self._lock:
            if self._due():
                self._refresh()
            if self._values is None:
                assert self._error is not None
                raise self._error
            if getattr(self._pinned, "active", False):
                self._pinned.values = self._values
            return self._values

    def derived(self, key: Hashable, build: Callable[[SheetValues], T]) -> T:
        """`build(values)`, worked out once per read of the sheet and kept while the values are current: a
        change, a sync or Google's next turn reads the sheet again and drops it. `key` names the thing with
        whatever else it depends on (a tuple, its first item the kind: ("chart", lang)). Like the values,
        the result is shared between requests: callers only read it. A BackboneError from `build` is
        raised each time, not kept."""
        values = self.values()
        with self._derive_lock:
            if self._derived_from is not values:
                self._derived_from, self._derived = values, {}
            if key in self._derived:
                return self._derived[key]
            result = build(values)
            self.builds[key[0] if isinstance(key, tuple) else key] += 1
            self._derived[key] = result
            return result

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
