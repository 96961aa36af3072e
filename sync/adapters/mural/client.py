"""A thin MURAL API transport: one method per call, bearer auth with refresh, throttle, bounded retries.

Expired sign-ins are refreshed before expiry (with a margin) and, once per request, when MURAL answers
401 or 403 `TOKEN_EXPIRED` (both occur, reference §2). Failures become named errors carrying
`.status`, `.code` and `.request_id`; tokens never appear in them.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote

import requests

from sync.adapters.http_answers import json_object
from sync.adapters.mural.auth import TokenEndpoint
from sync.adapters.mural.mural_config import MURAL, MuralConfig
from sync.adapters.mural.mural_http import (
    MuralAccessError,
    MuralAPIError,
    MuralNotFoundError,
    MuralSignInError,
    Throttle,
    error_details,
    request_id_note,
    send,
    unavailable,
)
from sync.adapters.retry import RetryPolicy
from sync.adapters.signin.tokens import Tokens, TokenStore
from sync.core.i18n import _

PAGE_LIMIT = 100  # the most MURAL serves per page; repeated on every follow-up request (reference §4)
REFRESH_MARGIN = 30.0  # seconds: refresh this long before the access token runs out, so it never dies in flight
MAX_PAGES = 10_000  # a board of a million widgets: anything beyond means the paging loops


class MuralClient:
    def __init__(self, config: MuralConfig, store: TokenStore | None = None, *, session: requests.Session | None = None,
                 policy: RetryPolicy | None = None, throttle: Throttle | None = None,
                 sleep: Callable[[float], None] = time.sleep, now: Callable[[], float] = time.time):
        self.base = config.api_url.rstrip("/")
        self.timeout = config.timeout
        self.store = store or TokenStore(config.token_file, MURAL)
        self.session = session or requests.Session()
        self.policy = policy or replace(config.retry, sleep=sleep)
        self.throttle = throttle or Throttle(sleep=sleep)
        self.now = now
        self.token_endpoint = TokenEndpoint(config, self.session, self.policy, self.throttle, now)
        self._tokens: Tokens | None = None
        self.on_widgets: Callable[[int], object] = lambda count: None  # told after each page of widgets (progress)

    def __repr__(self) -> str:
        return f"MuralClient({self.base!r}, {self.store!r})"

    # --- the API calls -------------------------------------------------------------------------
    def mural(self, mural_id: str) -> dict:
        """GET /murals/{id}: the board's metadata (title, updatedOn, ...)."""
        value = self._get(f"/murals/{quote(mural_id, safe='')}", board=mural_id).get("value")
        if not isinstance(value, dict):
            raise MuralAPIError(_("MURAL board {board}: the metadata answer has no `value` object").format(board=mural_id))
        return value

    def widgets(self, mural_id: str) -> list[dict]:
        """GET /murals/{id}/widgets, every page: `next` absent, null or "" ends the paging."""
        return self._paged(f"/murals/{quote(mural_id, safe='')}/widgets", mural_id)

    def tags(self, mural_id: str) -> list[dict]:
        """GET /murals/{id}/tags, every page: [{id, text, backgroundColor, borderColor, color}]."""
        return [t for t in self._paged(f"/murals/{quote(mural_id, safe='')}/tags", mural_id) if isinstance(t, dict)]

    def voting_sessions(self, mural_id: str) -> list[dict]:
        """GET /murals/{id}/voting-sessions (scope murals:read), every page: [{id, title}], each with its
        `results` [{widgetId, totalVotes, uniqueVoters}] from GET .../voting-sessions/{sid}/results."""
        base = f"/murals/{quote(mural_id, safe='')}/voting-sessions"
        sessions = []
        for session in self._paged(base, mural_id):
            if isinstance(session, dict) and isinstance(session.get("id"), str):
                results = self._paged(f"{base}/{quote(session['id'], safe='')}/results", mural_id)
                sessions.append(dict(session, results=[r for r in results if isinstance(r, dict)]))
        return sessions

    def _paged(self, path: str, mural_id: str) -> list:
        """Every page of `path`; the errors name the request (GET /murals/{id}/widgets), as MURAL's docs do."""
        items: list = []
        params: dict[str, object] = {"limit": PAGE_LIMIT}
        seen: set[str] = set()
        for _page in range(MAX_PAGES):
            body = self._get(path, params=params, board=mural_id)
            page = body.get("value")
            if not isinstance(page, list):
                raise MuralAPIError(_("MURAL board {board}: a page of GET {path} has no `value` list").format(
                    board=mural_id, path=path))
            items.extend(page)
            if path.endswith("/widgets"):
                self.on_widgets(len(items))
            token = body.get("next")
            if not token:
                return items
            if token in seen:
                raise MuralAPIError(_("MURAL board {board}: the paging of GET {path} repeats itself; try again later").format(
                    board=mural_id, path=path))
            seen.add(token)
            params = {"limit": PAGE_LIMIT, "next": token}
        raise MuralAPIError(_("MURAL board {board}: more than {count} pages of GET {path}; the paging does not end").format(
            board=mural_id, count=MAX_PAGES, path=path))

    def me(self) -> dict:
        """GET /users/me: the signed-in account."""
        value = self._get("/users/me").get("value")
        return value if isinstance(value, dict) else {}

    # --- plumbing ------------------------------------------------------------------------------
    def _access_token(self) -> str:
        if self._tokens is None:
            self._tokens = self.store.load()
        if self._tokens.expires_within(REFRESH_MARGIN, self.now()):
            self._refresh()
        return self._tokens.access_token

    def _refresh(self) -> None:
        assert self._tokens is not None
        with self.store.locked():
            # Another process (serve, a CLI command) may have refreshed while this one waited: its tokens are
            # the live ones, and the refresh token this process holds may already be spent.
            saved = self.store.load()
            if saved.refresh_token != self._tokens.refresh_token or saved.access_token != self._tokens.access_token:
                if not saved.expires_within(REFRESH_MARGIN, self.now()):
                    self._tokens = saved
                    return
            self.store.check_writable()  # before MURAL may rotate the refresh token, not after
            self._tokens = self.token_endpoint.refresh(saved)
            self.store.save(self._tokens)  # at once: a rotated refresh token is the only one that still works

    def _get(self, path: str, params: dict | None = None, board: str | None = None) -> dict:
        what = f"GET {path}"
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self._access_token()}", "Accept": "application/json"}
            response = send(self.session, "GET", self.base + path, params=params, headers=headers,
                            policy=self.policy, throttle=self.throttle, timeout=self.timeout, what=what)
            if not _token_expired(response):
                break
            if attempt == 1:
                self._refresh()
        if response.ok:
            body = json_object(response)
            if body is None:
                raise MuralAPIError(_("MURAL answered {request} with something that is not a JSON object").format(request=what),
                                    response.status_code)
            return body
        raise self._error(response, what, board)

    def _error(self, response: requests.Response, what: str, board: str | None) -> Exception:
        status = response.status_code
        code, message, request_id = error_details(response)
        note = request_id_note(request_id)
        if _token_expired(response):
            return MuralSignInError(_("MURAL did not accept the sign-in even after refreshing it ({status} {code}): run "
                                      "`backbone mural login` again").format(status=status, code=code) + note,
                                    status, code, request_id)
        if status == 403 and board:
            return MuralAccessError(_("MURAL board {board}: the signed-in MURAL account may not open it ({code}); ask the "
                                      "board's owner or facilitator to share it with that account").format(
                                          board=board, code=code or 403) + note,
                                    status, code, request_id)
        if status == 403:
            return MuralAccessError(_("MURAL refused {request} ({code}); the sign-in may lack a permission: run "
                                      "`backbone mural login` again").format(request=what, code=code or 403) + note,
                                    status, code, request_id)
        if status == 404 and board:
            return MuralNotFoundError(_("MURAL board {board} not found: check the id or address in the sheet's Mural "
                                        "column").format(board=board) + note, status, code, request_id)
        if status == 429 or status >= 500:
            return unavailable(response, what, self.policy.tries)
        return MuralAPIError(_("MURAL answered {request} with {status} {code}: {message}").format(
            request=what, status=status, code=code, message=message) + note, status, code, request_id)


def _token_expired(response: requests.Response) -> bool:
    if response.status_code == 401:
        return True
    return response.status_code == 403 and error_details(response)[0] == "TOKEN_EXPIRED"
