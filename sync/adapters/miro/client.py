"""A thin Miro REST API v2 client: bearer token (fixed, or signed in and refreshed), items with cursor paging, tags
with offset paging, members.

429 and 5xx (and timeouts, dropped connections) go through the shared retry policy, which honours Retry-After and
X-RateLimit-Reset; when an answer says X-RateLimit-Remaining: 0 the next request waits for the reset first, so a
board of thousands of items spends its credits without being refused. The token never appears in a message or log.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from sync.adapters.http_answers import json_object, should_retry
from sync.adapters.miro.auth import FixedToken, SavedSignIn
from sync.adapters.retry import RetryPolicy, retry_after_seconds
from sync.core.errors import AccessError, ConfigError, NotFoundError, ServiceError
from sync.core.i18n import _, ngettext

log = logging.getLogger("sync.adapters.miro")

PAGE_LIMIT = 50  # the most Miro serves per page of items, tags and members
MAX_PAGES = 10_000


class MiroClient:
    def __init__(self, token: str | FixedToken | SavedSignIn, api_url: str = "https://api.miro.com", *, timeout: float = 30.0,
                 policy: RetryPolicy | None = None, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, now: Callable[[], float] = time.time):
        self.base = api_url.rstrip("/")
        self._auth = FixedToken(token) if isinstance(token, str) else token
        self.timeout = timeout
        self.policy = policy or RetryPolicy(sleep=sleep)
        self.session = session or requests.Session()
        self.sleep, self.now = sleep, now
        self._pause = 0.0  # seconds to wait before the next request (credits used up until the reset)
        self.on_items: Callable[[int], object] = lambda count: None  # told after each page of items (progress)

    def __repr__(self) -> str:
        return f"MiroClient({self.base!r})"  # never the token

    # --- the API calls -------------------------------------------------------------------------
    def token_context(self) -> dict[str, Any]:
        """GET /v1/oauth-token: who the token belongs to ({"user": {"name"}, "team": {"name"}, "scopes"})."""
        return self._get("/v1/oauth-token", "")

    def board(self, board_id: str) -> dict[str, Any]:
        """GET /v2/boards/{id}: id, name, modifiedAt, ..."""
        return self._get(f"/v2/boards/{quote(board_id, safe='=')}", board_id)

    def items(self, board_id: str) -> list[dict[str, Any]]:
        """GET /v2/boards/{id}/items, every page (limit 50; `cursor` absent or empty on the last)."""
        return self._cursor_paged(f"/v2/boards/{quote(board_id, safe='=')}/items", board_id)

    def members(self, board_id: str) -> list[dict[str, Any]]:
        """GET /v2/boards/{id}/members, every page: [{id, name, role, type}]."""
        return self._cursor_paged(f"/v2/boards/{quote(board_id, safe='=')}/members", board_id)

    def tags(self, board_id: str) -> list[dict[str, Any]]:
        """GET /v2/boards/{id}/tags, every page by `offset`: [{id, title, fillColor}]."""
        path = f"/v2/boards/{quote(board_id, safe='=')}/tags"
        found: list[dict[str, Any]] = []
        for _page in range(MAX_PAGES):
            body = self._get(path, board_id, {"limit": PAGE_LIMIT, "offset": len(found)})
            page = [t for t in _data(body, path, board_id) if isinstance(t, dict)]
            found.extend(page)
            total = body.get("total")
            if not page or (isinstance(total, int) and len(found) >= total) or len(page) < PAGE_LIMIT:
                return found
        raise _endless(board_id, path)

    def _cursor_paged(self, path: str, board_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": PAGE_LIMIT}
        seen: set[str] = set()
        for _page in range(MAX_PAGES):
            body = self._get(path, board_id, params)
            found.extend(i for i in _data(body, path, board_id) if isinstance(i, dict))
            if path.endswith("/items"):
                self.on_items(len(found))
            cursor = body.get("cursor")
            if not cursor or not isinstance(cursor, str):
                return found
            if cursor in seen:
                raise ServiceError(_("Miro board {board}: the paging of GET {path} repeats itself; try again later").format(
                    board=board_id, path=path))
            seen.add(cursor)
            params = {"limit": PAGE_LIMIT, "cursor": cursor}
        raise _endless(board_id, path)

    # --- plumbing ------------------------------------------------------------------------------
    def _get(self, path: str, board_id: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        what = f"GET {path}"
        token = self._auth.current()

        def attempt() -> requests.Response:
            if self._pause > 0:
                self.sleep(self._pause)
                self._pause = 0.0
            response = self.session.request("GET", self.base + path, params=params, timeout=self.timeout,
                                            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
            log.debug("%s -> %s", what, response.status_code)
            if response.headers.get("X-RateLimit-Remaining", "").strip() == "0":
                reset = retry_after_seconds({"X-RateLimit-Reset": response.headers.get("X-RateLimit-Reset", "")}, self.now())
                self._pause = min(reset or 0.0, self.policy.cap)
            return response

        try:
            response = self.policy.run(attempt, should_retry)
            if response.status_code == 401:  # expired or revoked: renew once, when there is a way to
                renewed = self._auth.renewed(token)
                if renewed is not None:
                    token = renewed
                    response = self.policy.run(attempt, should_retry)
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
            raise ConfigError(_("BACKBONE_MIRO_API_URL: {url!r} is not a usable address (expected "
                                "https://api.miro.com)").format(url=self.base)) from None
        except requests.RequestException:
            raise ServiceError(ngettext("Miro could not be reached ({request}, {count} try); check the network connection "
                                        "or try again later",
                                        "Miro could not be reached ({request}, {count} tries); check the network "
                                        "connection or try again later", self.policy.tries).format(
                                            request=what, count=self.policy.tries)) from None
        if response.ok:
            body = json_object(response)
            if body is None:
                raise ServiceError(_("Miro answered {request} with something that is not a JSON object").format(request=what),
                                   response.status_code)
            return body
        if response.status_code == 401:
            raise self._auth.refused_error()
        raise _error(response, what, board_id, self.policy.tries)


def _data(body: dict[str, Any], path: str, board_id: str) -> list[Any]:
    page = body.get("data")
    if not isinstance(page, list):
        raise ServiceError(_("Miro board {board}: a page of GET {path} has no `data` list").format(board=board_id, path=path))
    return page


def _endless(board_id: str, path: str) -> ServiceError:
    return ServiceError(_("Miro board {board}: more than {count} pages of GET {path}; the paging does not end").format(
        board=board_id, count=MAX_PAGES, path=path))


def _error(response: requests.Response, what: str, board_id: str, tries: int) -> Exception:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = str(body.get("message") or response.reason or "")[:200] if isinstance(body, dict) else ""
    if status == 403:
        return AccessError(_("Miro board {board}: the token's user may not open it (403); ask the board's owner to share "
                             "it, or check the token's scope boards:read").format(board=board_id))
    if status == 404:
        return NotFoundError(_("Miro board {board} not found: check the id or address in the sheet's Mural column").format(
            board=board_id))
    if status == 429:
        return ServiceError(ngettext("Miro kept asking backbone to slow down ({request}: 429 after {count} try); try "
                                     "again later",
                                     "Miro kept asking backbone to slow down ({request}: 429 after {count} tries); try "
                                     "again later", tries).format(request=what, count=tries), status)
    if status >= 500:
        return ServiceError(ngettext("Miro is not answering properly ({request}: {status} after {count} try); try again "
                                     "later",
                                     "Miro is not answering properly ({request}: {status} after {count} tries); try "
                                     "again later", tries).format(request=what, status=status, count=tries), status)
    return ServiceError(_("Miro answered {request} with {status}: {message}").format(request=what, status=status,
                                                                                    message=message), status)
