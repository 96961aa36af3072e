"""What every vendor client (MURAL, Miro, WordPress) decides the same way about an HTTP answer: whether to ask
again, and whether a 2xx body is the JSON object the API promises. Their errors stay each vendor's own."""
from __future__ import annotations

from typing import Any

import requests

from sync.adapters.retry import RETRYABLE_STATUS, retry_after_seconds


def should_retry(outcome: requests.Response | BaseException) -> tuple[bool, float | None]:
    """For RetryPolicy.run: timeouts, dropped connections, 408/429/5xx (after their Retry-After) are asked again;
    any other answer or error is final."""
    if isinstance(outcome, (requests.Timeout, requests.ConnectionError)):
        return True, None
    if isinstance(outcome, BaseException):
        return False, None
    if outcome.status_code in RETRYABLE_STATUS:
        return True, retry_after_seconds(outcome.headers)
    return False, None


def json_object(response: requests.Response) -> dict[str, Any] | None:
    """The body as a JSON object; None when it is not one (an HTML error page from a proxy, a list, nothing)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
