"""The retry policy: how often, how long, and what a server's Retry-After may and may not make it do."""
from __future__ import annotations

import email.utils
import random

import pytest

from sync.adapters.retry import RetryPolicy, retry_after_seconds

NOW = 1_700_000_000.0


def policy(tries: int = 4, cap: float = 30.0) -> tuple[RetryPolicy, list[float]]:
    sleeps: list[float] = []
    return RetryPolicy(tries=tries, cap=cap, sleep=sleeps.append, rng=random.Random(7)), sleeps


@pytest.mark.parametrize("value", ["soon", "1e1", "-1", "", "   ", "0x10", "1,5", "nan", "inf", "١٢",
                                   "Mon, 99 Foo 2024 99:99:99 GMT", "Wed, 21 Oct 99999 07:28:00 GMT"])
def test_a_malformed_retry_after_is_ignored(value):
    assert retry_after_seconds({"Retry-After": value}, now=NOW) is None


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds({"Retry-After": "7"}, now=NOW) == 7.0
    assert retry_after_seconds({"Retry-After": " 2.5 "}, now=NOW) == 2.5
    date = email.utils.formatdate(NOW + 12, usegmt=True)
    assert retry_after_seconds({"Retry-After": date}, now=NOW) == pytest.approx(12)
    assert retry_after_seconds({"Retry-After": email.utils.formatdate(NOW - 60, usegmt=True)}, now=NOW) == 0.0
    assert retry_after_seconds({"X-RateLimit-Reset": str(int(NOW) + 9)}, now=NOW) == 9.0
    assert retry_after_seconds({"X-RateLimit-Reset": "4"}, now=NOW) == 4.0
    assert retry_after_seconds({"X-RateLimit-Reset": "-4"}, now=NOW) is None


def test_a_malformed_retry_after_falls_back_to_the_jittered_backoff():
    retry, sleeps = policy(tries=3)
    answers = iter([503, 503, 200])
    result = retry.run(lambda: next(answers),
                       lambda status: (status == 503, retry_after_seconds({"Retry-After": "soon"}, now=NOW)))
    assert result == 200
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0


def test_a_huge_retry_after_is_capped():
    retry, sleeps = policy(tries=2, cap=30.0)
    answers = iter([429, 200])
    huge = retry_after_seconds({"Retry-After": "9" * 400}, now=NOW)
    assert retry.run(lambda: next(answers), lambda status: (status == 429, huge)) == 200
    assert sleeps == [30.0]


def test_the_last_answer_is_returned_when_the_tries_are_used_up():
    retry, sleeps = policy(tries=4)
    calls: list[int] = []

    def attempt() -> int:
        calls.append(1)
        return 503

    assert retry.run(attempt, lambda status: (True, 1.5)) == 503
    assert len(calls) == 4 and sleeps == [1.5, 1.5, 1.5]


def test_the_last_exception_is_raised_and_should_retry_is_asked_once_per_attempt():
    retry, sleeps = policy(tries=3)
    asked: list[str] = []

    def attempt():
        raise TimeoutError(f"attempt {len(asked) + 1}")

    def should_retry(outcome):
        asked.append(str(outcome))
        return True, None

    with pytest.raises(TimeoutError, match="attempt 3"):
        retry.run(attempt, should_retry)
    assert asked == ["attempt 1", "attempt 2", "attempt 3"] and len(sleeps) == 2


def test_a_final_answer_stops_at_once_and_an_interrupt_is_never_retried():
    retry, sleeps = policy()
    assert retry.run(lambda: 404, lambda status: (False, None)) == 404
    assert sleeps == []

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        retry.run(interrupted, lambda outcome: (True, None))
    assert sleeps == []


def test_the_backoff_grows_and_stays_under_the_cap():
    retry, _ = policy(cap=4.0)
    for attempt in range(200):
        assert 0 <= retry.delay(attempt) <= min(4.0, 0.5 * 2 ** attempt)
    assert retry.delay(3, retry_after=-5) == 0.0
