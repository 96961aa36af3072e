"""One retry policy for every HTTP call: bounded tries, full jitter, Retry-After honoured."""
from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, TypeVar

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    tries: int = 5  # attempts in all, the first included
    base: float = 0.5  # seconds; the n-th retry waits up to base * 2**n
    cap: float = 30.0  # no single wait is longer, Retry-After included
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (0-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.cap)
        return self.rng.uniform(0, min(self.cap, self.base * 2**retry))

    def run(self, attempt: Callable[[], T], should_retry: Callable[[T | BaseException], tuple[bool, float | None]]) -> T:
        """Call `attempt` until `should_retry` says stop or the tries are used up.

        `should_retry` gets the result or the exception and answers (retry?, retry_after seconds or None).
        The last result is returned, the last exception raised.
        """
        for retry in range(self.tries):
            try:
                outcome: T | BaseException = attempt()
            except Exception as exc:  # noqa: BLE001 - classified by the caller
                outcome = exc
            again, retry_after = should_retry(outcome)
            if not again or retry == self.tries - 1:
                if isinstance(outcome, BaseException):
                    raise outcome
                return outcome
            self.sleep(self.delay(retry, retry_after))
        raise AssertionError("unreachable")


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or X-RateLimit-Reset (epoch or seconds)."""
    now = time.time() if now is None else now
    value = headers.get("Retry-After")
    if value:
        value = value.strip()
        if value.replace(".", "", 1).isdigit():
            return float(value)
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is not None:
            return max(parsed.timestamp() - now, 0.0)
    reset = headers.get("X-RateLimit-Reset")
    if reset and reset.replace(".", "", 1).isdigit():
        seconds = float(reset)
        # Large values are an epoch time, small ones a count of seconds.
        return max(seconds - now, 0.0) if seconds > 1e9 else seconds
    return None
