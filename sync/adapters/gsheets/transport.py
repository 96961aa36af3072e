"""gspread's HTTP client with the API address rewritten, retries under one policy, and true request counts."""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from google.auth import exceptions as auth_errors
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from sync.adapters.gsheets.credentials import GOOGLE_API
from sync.adapters.request_stats import SheetStats
from sync.adapters.retry import RETRYABLE_STATUS, RetryPolicy, retry_after_seconds
from sync.core.i18n import N_

log = logging.getLogger("sync.adapters.gsheets")

_TRANSIENT = (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
              requests.exceptions.ChunkedEncodingError, auth_errors.TransportError)


class AmbiguousWrite(Exception):
    """A positional write (values:batchUpdate) got no answer: Google may have applied it, or may still apply it,
    at the addressed rows. It is never sent again as it was (rows may have moved): see GoogleSheet._settle."""


class SheetsHTTPClient(HTTPClient):
    """gspread's HTTP client, plus: requests go to `api_url`, are retried under `retry`, and are counted in `stats`."""

    def __init__(self, auth: Any, session: Any = None, *, api_url: str = GOOGLE_API,
                 retry: RetryPolicy | None = None, stats: SheetStats | None = None):
        super().__init__(auth, session)
        self._configure(api_url, retry, stats)

    def _configure(self, api_url: str = GOOGLE_API, retry: RetryPolicy | None = None, stats: SheetStats | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.stats = stats if stats is not None else SheetStats()
        self.stats.extra.setdefault("retries", 0)

    def request(self, method: str, endpoint: str, params: Any = None, data: Any = None, json: Any = None,
                files: Any = None, headers: Any = None) -> requests.Response:
        if endpoint.startswith(GOOGLE_API) and self.api_url != GOOGLE_API:
            endpoint = self.api_url + endpoint[len(GOOGLE_API):]
        writing = method.upper() != "GET"
        positional = writing and endpoint.rstrip("/").endswith("values:batchUpdate")
        attempts = 0

        def attempt() -> requests.Response:
            nonlocal attempts
            attempts += 1
            if writing:
                self.stats.writes += 1
            else:
                self.stats.reads += 1
            return HTTPClient.request(self, method, endpoint, params=params, data=data, json=json, files=files, headers=headers)

        def should_retry(outcome: object) -> tuple[bool, float | None]:
            if positional and isinstance(outcome, _TRANSIENT):
                return False, None  # sent, perhaps applied: resending it by position could write into moved rows
            again, wait = _transient(outcome)
            if again and attempts < self.retry.tries:
                log.warning(N_("Google Sheets: %s on %s %s; retrying (attempt %d of %d)"),
                            _describe(outcome), method.upper(), urlsplit(endpoint).path, attempts + 1, self.retry.tries)
            return again, wait

        try:
            response = self.retry.run(attempt, should_retry)
        except _TRANSIENT as exc:
            if positional:
                raise AmbiguousWrite(_describe(exc)) from exc
            raise
        finally:
            self.stats.extra["retries"] += attempts - 1
        if writing and "/values" in endpoint:
            self.stats.cells_written += _updated_cells(response)
        return response


def _transient(outcome: object) -> tuple[bool, float | None]:
    """(retry?, Retry-After seconds): 408/429/5xx answers, timeouts, dropped connections."""
    if isinstance(outcome, APIError):
        if outcome.response.status_code in RETRYABLE_STATUS:
            return True, retry_after_seconds(outcome.response.headers)
        return False, None
    return isinstance(outcome, _TRANSIENT), None


def _describe(outcome: object) -> str:
    if isinstance(outcome, APIError):
        return f"HTTP {outcome.response.status_code}"
    return type(outcome).__name__


def _updated_cells(response: requests.Response) -> int:
    try:
        body = response.json()
    except ValueError:
        return 0
    if "totalUpdatedCells" in body:
        return int(body["totalUpdatedCells"])
    return int(body.get("updatedCells", body.get("updates", {}).get("updatedCells", 0)))

