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
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

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
    def __init__(self, token: str = "miro-test-token", page_size: int = 50):
        self.token = token
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
        if authorization != f"Bearer {self.token}":
            return 401, _error(401, "tokenNotProvided", "Token is invalid or not provided"), headers
        self.credits_left -= 1
        parts = [unquote(p) for p in path.split("/") if p]
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
            def do_GET(self) -> None:  # noqa: N802
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                status, body, headers = fake._answer(split.path, query, self.headers.get("Authorization", ""))
                fake.requests.append((split.path, query, status))
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
