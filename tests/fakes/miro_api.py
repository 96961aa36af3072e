"""A loopback fake of the Miro REST API v2 (the read-only parts backbone uses), for tests and demos.

In a test:
    with FakeMiro(page_size=3) as fake:
        fake.add_board("uXjVOD6Xk1E=", items, name="Workshop 2", tags=[...], members=[...])
        client = MiroClient(fake.token, fake.url)

Shapes follow /work/shared/reference/miro-api.md and Miro's OpenAPI (REST v2): items page by `cursor` (limit
10..50, default 10; `{"data", "total", "size", "limit", "cursor", "links"}` with no cursor on the last page),
tags by `offset` (limit 1..50, default 20; `{"data", "total", "size", "offset", "limit"}`), members by cursor;
`{"status", "code", "message", "type": "error"}` errors; bearer tokens; X-RateLimit-Limit/-Remaining/-Reset on
every answer; injectable faults (429 with those headers, 5xx). No votes and no comments: Miro's REST API has none.

OAuth 2.0 as Miro documents it ("OAuth 2.0 and Miro"): `GET /oauth/authorize` (on miro.com in life; here the same
server) redirects to the registered `redirect_uri` with `code` and `state`; `POST /v1/oauth/token` takes the grant in
a form body (or, as Miro's try-it console sends it, the query) with `client_id` and `client_secret`. Codes are single
use; with expiring tokens (the default here) an access token lasts `access_lifetime` seconds and every refresh
rotates both tokens, the old ones dead at once. `GET /v1/oauth-token` tells whose token it is. Faults on the token
endpoint: `fail_token(status)` and `drop_token(after_rotating=...)`, a connection closed with no answer.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

CREDITS = 100_000


@dataclass
class Board:
    meta: dict
    items: list[dict]
    tags: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)


@dataclass
class Fault:
    status: int
    remaining: int


class FakeMiro:
    def __init__(self, token: str = "miro-test-token", page_size: int = 50, *, expiring: bool = True,
                 access_lifetime: float = 3599.0):
        self.token = token  # a non-expiring token, as an app made without expiring tokens has
        self.client_id, self.client_secret = "3458764000000000001", "miro-app-secret"
        self.expiring, self.access_lifetime = expiring, access_lifetime
        self.access_tokens: dict[str, float] = {token: float("inf")}  # token -> when it expires (epoch)
        self.refresh_tokens: set[str] = set()
        self.codes: dict[str, tuple[str, float]] = {}  # code -> (redirect_uri, issued)
        self.token_requests: list[tuple[str, int]] = []  # (grant_type, status)
        self.token_faults: list[int] = []  # statuses the token endpoint answers next
        self.token_drops: list[bool] = []  # close the connection next; True: after rotating the tokens
        self.dropped_gets = 0  # board reads whose connection is closed with no answer, as a flaky network does
        self.late_gets: list[float] = []  # seconds the next board reads wait before answering
        self.user_name, self.team_name = "Ada Lindqvist", "Biskopsgården"
        self.page_size = page_size  # the most the fake serves per page, below `limit`
        self.boards: dict[str, Board] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []  # (path, query, status)
        self.faults: list[Fault] = []
        self.credits_left = CREDITS
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FakeMiro:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_board(self, board_id: str, items: list[dict], *, name: str = "", modified: str = "2023-05-02T10:15:00Z",
                  tags: list[dict] | None = None, members: list[dict] | None = None) -> None:
        self.boards[board_id] = Board({"id": board_id, "type": "board", "name": name, "modifiedAt": modified},
                                      list(items), list(tags or []), list(members or []))

    def add_export(self, export: dict) -> None:
        """A saved Miro export ({"miro", "items", "tags", "members"}) served as a board."""
        meta = export["miro"]
        self.add_board(meta["id"], export["items"], name=meta.get("name", ""), modified=meta.get("modifiedAt", ""),
                       tags=export.get("tags"), members=export.get("members"))

    def fail(self, status: int, times: int = 1) -> None:
        self.faults.append(Fault(status, times))

    # --- OAuth ---------------------------------------------------------------------------------
    @property
    def authorize_url(self) -> str:
        return self.url + "/oauth/authorize"

    def fail_token(self, status: int) -> None:
        self.token_faults.append(status)

    def drop_token(self, after_rotating: bool) -> None:
        self.token_drops.append(after_rotating)

    def revoke_access(self) -> None:
        """Every access token handed out stops working (the refresh tokens still do), as after an hour."""
        with self._lock:
            self.access_tokens = {t: e for t, e in self.access_tokens.items() if t == self.token}

    def refreshes(self) -> int:
        return sum(1 for grant, status in self.token_requests if grant == "refresh_token" and status == 200)

    def _authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """(status, Location or message): Miro's consent page, the person always clicking Install & authorize."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, "unknown client or response_type"
        redirect = query.get("redirect_uri", "")
        if not redirect.startswith("http://localhost:"):
            return 400, "redirect_uri is not registered"
        code = secrets.token_urlsafe(16)
        self.codes[code] = (redirect, time.time())
        return 302, redirect + "?" + urlencode({"code": code, "state": query.get("state", ""), "client_id": self.client_id,
                                                 "team_id": "3074457350000000000"})

    def _token(self, form: dict[str, str]) -> tuple[int, dict]:
        grant = form.get("grant_type", "")
        with self._lock:
            if self.token_faults:
                status = self.token_faults.pop(0)
                return status, _error(status, "internalError", "Something went wrong")
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                return 401, {"error": "invalid_client", "error_description": "Client authentication failed"}
            if grant == "authorization_code":
                issued = self.codes.pop(form.get("code", ""), None)  # single use
                if issued is None or issued[0] != form.get("redirect_uri") or time.time() - issued[1] > 600:
                    return 400, {"error": "invalid_grant", "error_description": "Authorization code is invalid"}
            elif grant == "refresh_token":
                if form.get("refresh_token") not in self.refresh_tokens:
                    return 400, {"error": "invalid_grant", "error_description": "Refresh token is invalid"}
                self.refresh_tokens.discard(form["refresh_token"])  # rotated: the old pair is dead
            else:
                return 400, {"error": "unsupported_grant_type", "error_description": grant}
            access = "miro-at-" + secrets.token_urlsafe(12)
            answer = {"user_id": "3458764517517819000", "team_id": "3074457350000000000", "scope": "boards:read",
                      "token_type": "bearer", "access_token": access}
            if self.expiring:
                refresh = "miro-rt-" + secrets.token_urlsafe(12)
                self.refresh_tokens.add(refresh)
                self.access_tokens[access] = time.time() + self.access_lifetime
                answer |= {"refresh_token": refresh, "expires_in": int(self.access_lifetime)}
            else:
                self.access_tokens[access] = float("inf")
            return 200, answer

    def _token_valid(self, authorization: str) -> bool:
        token = authorization.removeprefix("Bearer ")
        with self._lock:
            return authorization.startswith("Bearer ") and self.access_tokens.get(token, 0) > time.time()

    def api_requests(self, suffix: str = "") -> list[tuple[str, dict[str, str], int]]:
        return [r for r in self.requests if r[0].endswith(suffix)]

    # --- the server ----------------------------------------------------------------------------
    def _answer(self, path: str, query: dict[str, str], authorization: str) -> tuple[int, dict, dict[str, str]]:
        headers = {"X-RateLimit-Limit": str(CREDITS), "X-RateLimit-Remaining": str(max(self.credits_left, 0)),
                   "X-RateLimit-Reset": "1"}
        with self._lock:
            fault = next((f for f in self.faults if f.remaining > 0), None)
            if fault is not None:
                fault.remaining -= 1
                if fault.status == 429:
                    headers.update({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"})
                    return 429, _error(429, "tooManyRequests", "Rate limit exceeded"), headers
                return fault.status, _error(fault.status, "internalError", "Something went wrong"), headers
        if not self._token_valid(authorization):
            return 401, _error(401, "tokenNotProvided", "Token is invalid or not provided"), headers
        self.credits_left -= 1
        parts = [unquote(p) for p in path.split("/") if p]
        if parts == ["v1", "oauth-token"]:
            return 200, {"type": "oauth_token_context", "scopes": ["boards:read"],
                         "team": {"id": "3074457350000000000", "name": self.team_name},
                         "user": {"id": "3458764517517819000", "name": self.user_name}}, headers
        if len(parts) < 3 or parts[:2] != ["v2", "boards"]:
            return 404, _error(404, "notFound", "Not found"), headers
        board = self.boards.get(parts[2])
        if board is None:
            return 404, _error(404, "boardNotFound", "Board not found"), headers
        rest = parts[3:]
        if not rest:
            return 200, dict(board.meta), headers
        if rest == ["items"]:
            items = board.items
            if "parent_item_id" in query:
                items = [i for i in items if (i.get("parent") or {}).get("id") == query["parent_item_id"]]
            if "type" in query:
                items = [i for i in items if i.get("type") == query["type"]]
            return self._cursor_page(items, query, 10, headers)
        if rest == ["members"]:
            return self._cursor_page(board.members, query, 20, headers)
        if rest == ["tags"]:
            try:
                limit, offset = int(query.get("limit", 20)), int(query.get("offset", 0))
            except ValueError:
                return 400, _error(400, "invalidParameters", "limit and offset are numbers"), headers
            if not 1 <= limit <= 50 or offset < 0:
                return 400, _error(400, "invalidParameters", "limit must be 1..50"), headers
            page = board.tags[offset:offset + min(limit, self.page_size)]
            return 200, {"data": page, "total": len(board.tags), "size": len(page), "offset": offset, "limit": limit,
                         "type": "list"}, headers
        return 404, _error(404, "notFound", "Not found"), headers

    def _cursor_page(self, rows: list[dict], query: dict[str, str], default: int,
                     headers: dict[str, str]) -> tuple[int, dict, dict[str, str]]:
        try:
            limit = int(query.get("limit", default))
            start = int(query["cursor"]) if "cursor" in query else 0
        except ValueError:
            return 400, _error(400, "invalidParameters", "bad limit or cursor"), headers
        if not 10 <= limit <= 50:
            return 400, _error(400, "invalidParameters", "limit must be 10..50"), headers
        page = rows[start:start + min(limit, self.page_size)]
        body = {"data": page, "total": len(rows), "size": len(page), "limit": limit, "links": {"self": "..."}}
        if start + len(page) < len(rows):
            body["cursor"] = str(start + len(page))  # opaque to clients
        return 200, body, headers

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[-1] for k, v in parse_qs(split.query).items()}
                form |= {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if split.path != "/v1/oauth/token":
                    return self._send(404, _error(404, "notFound", "Not found"), {})
                if fake.token_drops:
                    after = fake.token_drops.pop(0)
                    if after:
                        fake._token(form)  # Miro rotated the tokens; the answer never arrives
                    fake.token_requests.append((form.get("grant_type", ""), 0))
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                status, body = fake._token(form)
                fake.token_requests.append((form.get("grant_type", ""), status))
                return self._send(status, body, {})

            def do_GET(self) -> None:  # noqa: N802
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                if split.path.startswith("/v2/") and fake.dropped_gets > 0:
                    fake.dropped_gets -= 1
                    fake.requests.append((split.path, query, 0))
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if split.path.startswith("/v2/") and fake.late_gets:
                    time.sleep(fake.late_gets.pop(0))
                if split.path == "/oauth/authorize":
                    status, where = fake._authorize(query)
                    self.send_response(status)
                    if status == 302:
                        self.send_header("Location", where)
                    self.send_header("Content-Length", "0" if status == 302 else str(len(where.encode())))
                    self.end_headers()
                    if status != 302:
                        self.wfile.write(where.encode())
                    return
                status, body, headers = fake._answer(split.path, query, self.headers.get("Authorization", ""))
                fake.requests.append((split.path, query, status))
                self._send(status, body, headers)

            def _send(self, status: int, body: dict, headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _error(status: int, code: str, message: str) -> dict:
    return {"status": status, "code": code, "message": message, "type": "error"}
