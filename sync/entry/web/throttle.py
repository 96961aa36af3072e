"""Slowing down password guessing, per client address.

A few mistakes are free; after that each further wrong password shuts the address out for twice as
long as the one before (1 s, 2 s, 4 s … at most a minute), so a thousand guesses take hours, not a
second. While shut out, an address gets 429 with Retry-After and its password is not even looked at
(an answer that differed for the right one would let guessing go on at full speed). A right password
clears the address's record; other addresses are never affected.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last_failure: float = 0.0


class PasswordThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic, *, free: int = 5, first_wait: float = 1.0,
                 max_wait: float = 60.0, forget_after: float = 900.0, max_clients: int = 10_000):
        self.clock, self.free, self.first_wait, self.max_wait = clock, free, first_wait, max_wait
        self.forget_after, self.max_clients = forget_after, max_clients
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait_left(self, client: str) -> float:
        """Seconds until `client` may try a password again; 0 when it may now."""
        with self._lock:
            record = self._records.get(client)
            return 0.0 if record is None else max(0.0, record.blocked_until - self.clock())

    def failed(self, client: str) -> tuple[int, float]:
        """Record a wrong password: (wrong ones in a row, seconds the address is now shut out)."""
        now = self.clock()
        with self._lock:
            record = self._records.get(client)
            if record is None or now - record.last_failure > self.forget_after:
                record = self._records[client] = _Record()
                self._prune(now)
            record.failures += 1
            record.last_failure = now
            wait = 0.0
            if record.failures > self.free:
                wait = min(self.max_wait, self.first_wait * 2 ** min(record.failures - self.free - 1, 32))
                record.blocked_until = now + wait
            return record.failures, wait

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._records.pop(client, None)

    def _prune(self, now: float) -> None:
        """Memory stays bounded however many addresses guess: stale records go first, then the oldest."""
        if len(self._records) <= self.max_clients:
            return
        for client in [c for c, r in self._records.items() if now - r.last_failure > self.forget_after]:
            del self._records[client]
        while len(self._records) > self.max_clients:
            del self._records[min(self._records, key=lambda c: self._records[c].last_failure)]
