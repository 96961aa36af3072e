"""One retry policy for every HTTP call: bounded tries, full jitter, Retry-After honoured.

The loop is tenacity's; what is ours is the classification (`should_retry`, given by each caller)
and the reading of Retry-After, where a malformed value (`soon`, `1e1`, `-1`) is ignored rather
than trusted or raised, and no wait is ever longer than `cap`.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import tenacity

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # RFC 9110 delay-seconds (a fraction tolerated)


@dataclass
class RetryPolicy:
    tries: int = 5  # attempts in all, the first included
    base: float = 0.5  # seconds; the n-th retry waits up to base * 2**n
    cap: float = 30.0  # no single wait is longer, Retry-After included
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (0-based)."""
        if retry_after is not None:  # a huge one (even inf) is capped
            return min(max(retry_after, 0.0), self.cap)
        return self.rng.uniform(0, min(self.cap, self.base * 2**min(retry, 64)))

    def run(self, attempt: Callable[[], T], should_retry: Callable[[T | BaseException], tuple[bool, float | None]]) -> T:
        """Call `attempt` until `should_retry` says stop or the tries are used up.

        `should_retry` gets the result or the exception and answers (retry?, retry_after seconds or None);
        it is asked once per attempt. The last result is returned, the last exception raised.
        Exceptions that are not errors (KeyboardInterrupt, SystemExit) are never retried.
        """
        advice: dict[str, float | None] = {}

        def again(state: tenacity.RetryCallState) -> bool:
            outcome = state.outcome
            assert outcome is not None  # tenacity asks only after an attempt
            if not outcome.failed:
                retry, advice["retry_after"] = should_retry(outcome.result())
                return bool(retry)
            error = outcome.exception()
            if not isinstance(error, Exception):
                return False
            retry, advice["retry_after"] = should_retry(error)
            return bool(retry)

        def wait(state: tenacity.RetryCallState) -> float:
            if state.attempt_number >= self.tries:  # no retry follows; leave the random stream untouched
                return 0.0
            return self.delay(state.attempt_number - 1, advice.get("retry_after"))

        def last_answer(state: tenacity.RetryCallState) -> T:
            """The last answer, or its exception raised."""
            assert state.outcome is not None  # called after the last attempt
            return state.outcome.result()

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, self.tries)), wait=wait, retry=again, sleep=self.sleep,
            retry_error_callback=last_answer)
        return retrying(attempt)


def _http_date_seconds(value: str, now: float) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000": the date is in UTC, not in the server's local time
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return max(parsed.timestamp() - now, 0.0)
    except (OverflowError, OSError, ValueError):
        return None


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or X-RateLimit-Reset (epoch or seconds).

    None when neither header is there or neither can be read: the policy's own backoff applies then.
    """
    now = time.time() if now is None else now
    value = (headers.get("Retry-After") or "").strip()
    if value:
        if _SECONDS.fullmatch(value):
            return float(value)
        seconds = _http_date_seconds(value, now)
        if seconds is not None:
            return seconds
    reset = (headers.get("X-RateLimit-Reset") or "").strip()
    if reset and _SECONDS.fullmatch(reset):
        seconds = float(reset)
        # Large values are an epoch time, small ones a count of seconds.
        return max(seconds - now, 0.0) if seconds > 1e9 else seconds
    return None
