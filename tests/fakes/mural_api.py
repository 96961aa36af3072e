"""A stateful loopback fake of the MURAL public API v1 (the parts backbone reads), for tests and demos.

In a test:
    with FakeMural(page_size=4) as fake:
        fake.add_board("acme.1620000000000", widgets, title="Workshop 1")
        settings = fake.settings(tmp_path / "token.json")     # mural_api_url etc. point here
        ...; assert fake.api_requests("/widgets")

On its own (sign in with `backbone mural login` in a real browser, then pull):
    python tests/fakes/mural_api.py --port 8900 --board examples/board.json

Behaviour follows /work/shared/reference/mural-api.md: `{"value": ...}` envelopes, opaque `next` omitted on the
last page, `limit` > 100 refused, 401 or 403 TOKEN_EXPIRED for expired tokens, OAuth with PKCE (S256) and
client credentials in a Basic header or in the form, refresh tokens rotated or not, `{"code","message"}` errors
with an X-Request-Id header, and injectable faults (429 with Retry-After, 5xx, dropped connections, slowness).
Access tokens are JWTs (`exp` claim) as MURAL's are; refresh works at `/authorization/oauth2/refresh` (the documented
path, JSON or form bodies as the official samples send them) and at `/authorization/oauth2/token`. Tags, voting
sessions and their results page with `next` like widgets; comments are widgets (`type: comment`).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

API_PREFIX = "/api/public/v1"
RATE_LIMIT = 25


@dataclass
class LoggedRequest:
    method: str
    path: str  # below the API prefix, e.g. "/murals/acme.1/widgets"
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    status: int = 0  # 0 until answered; stays 0 for a dropped connection
    client_auth: str = ""  # token endpoint: "basic", "body" or "" (none)


@dataclass
class Fault:
    status: int  # 0: drop the connection without an answer
    remaining: int
    where: str  # "any", "api" or "token"
    retry_after: str | None = "1"
    code: str = ""
    delay: float = 0.0  # seconds to stall before answering (status -1: then answer normally)


@dataclass
class Board:
    meta: dict
    widgets: list[dict]
    tags: list[dict] = field(default_factory=list)
    voting_sessions: list[dict] = field(default_factory=list)  # [{id, title, results: [{widgetId, totalVotes, uniqueVoters}]}]


class FakeMural:
    def __init__(self, client_id: str = "backbone-test-client", client_secret: str = "backbone-test-secret", *,
                 client_auth: str = "any", rotate_refresh: bool = True, expires_in: int | None = 900,
                 expired_status: int = 401, page_size: int = 100, strict_limit: bool = True, last_next: str = "omit",
                 refresh_endpoint: bool = True):
        self.client_id, self.client_secret = client_id, client_secret
        self.client_auth = client_auth  # "any" | "basic" | "body": which client authentication the token endpoint accepts
        self.rotate_refresh = rotate_refresh  # False: refresh answers carry no refresh_token (the old one stays valid)
        self.expires_in = expires_in  # None: token answers carry no expires_in
        self.expired_status = expired_status  # 401 or 403 (with code TOKEN_EXPIRED)
        self.page_size = page_size  # the most the fake serves per page, below `limit`
        self.strict_limit = strict_limit  # refuse a follow-up page asked with another `limit`
        self.last_next = last_next  # "omit" (as MURAL), "null" or "empty" on the last page
        self.refuse_authorization = False  # the person clicks "deny" on the consent page
        self.refresh_endpoint = refresh_endpoint  # False: /authorization/oauth2/refresh answers 404 (only /token refreshes)
        self.jwt_lifetime: int | None = None  # with expires_in=None: seconds until the JWT's `exp` (None: no exp)
        self.voting = True  # False: /voting-sessions answers 404, as an API without facilitation endpoints
        self.boards: dict[str, Board] = {}
        self.denied: dict[str, int] = {}
        self.requests: list[LoggedRequest] = []
        self.user = {"id": "u-ada", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.org"}
        self._access: dict[str, float] = {}  # access token -> expires at (epoch s); math.inf for no expiry
        self._refresh: set[str] = set()  # valid refresh tokens
        self._codes: dict[str, dict] = {}
        self._cursors: dict[str, tuple[str, int, int]] = {}  # next token -> ("<mural id>/<listing>", offset, limit)
        self._faults: list[Fault] = []
        self._expire_countdown: int | None = None
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeMural:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()  # stop() waits for a poll
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    __enter__ = start

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}{API_PREFIX}"

    def settings(self, token_file: str | Path, **overrides: object):
        """backbone Settings pointing at this fake (callback on any free port, short timeouts)."""
        from sync.settings import Settings

        values = dict(mural_api_url=self.url, mural_client_id=self.client_id, mural_client_secret=self.client_secret,
                      mural_token_file=str(token_file), mural_callback_port=0, http_timeout=5.0)
        values.update(overrides)
        return Settings(**values)

    # --- boards --------------------------------------------------------------------------------
    def add_board(self, mural_id: str, widgets: list[dict], title: str = "", updated_on: int | None = None,
                  tags: list[dict] = (), voting_sessions: list[dict] = (), **meta: object) -> None:
        workspace = mural_id.partition(".")[0]
        base = {"id": mural_id, "title": title, "workspaceId": workspace, "roomId": 1, "createdOn": 1620000000000,
                "updatedOn": 1620000000000 if updated_on is None else updated_on, "state": "active", "status": "active"}
        self.boards[mural_id] = Board(dict(base, **meta), list(widgets), [dict(t) for t in tags],
                                      [dict(s) for s in voting_sessions])

    def touch(self, mural_id: str, updated_on: int | None = None) -> None:
        """The board was edited: updatedOn moves on."""
        meta = self.boards[mural_id].meta
        meta["updatedOn"] = updated_on if updated_on is not None else meta["updatedOn"] + 1000

    def deny(self, mural_id: str, status: int = 403) -> None:
        """Answer every request about this board with 403 (not shared) or 404 (gone)."""
        self.denied[mural_id] = status

    # --- tokens --------------------------------------------------------------------------------
    def issue_tokens(self, expires_in: int | None = None, refresh: bool = True) -> dict:
        """Register and answer a token set as the token endpoint would (for seeding a token file).

        Access tokens are JWTs whose `exp` is when the fake stops accepting them; `expires_in` is left out of the
        answer when the fake is set to omit it (expires_in=None), and then `jwt_lifetime` (or never) ends the token."""
        with self._lock:
            lifetime = self.expires_in if expires_in is None else expires_in
            ends = lifetime if lifetime is not None else self.jwt_lifetime
            expires = math.inf if ends is None else time.time() + ends
            claims = {"sub": self.user["id"], "iat": int(time.time()), "jti": secrets.token_urlsafe(8)}
            if ends is not None:
                claims["exp"] = int(expires)
            access = _jwt(claims)
            self._access[access] = expires
            answer = {"access_token": access, "token_type": "bearer"}
            if lifetime is not None:
                answer["expires_in"] = lifetime
            if refresh:
                answer["refresh_token"] = "rt-" + secrets.token_urlsafe(16)
                self._refresh.add(answer["refresh_token"])
            return answer

    def expire_access_tokens(self) -> None:
        with self._lock:
            self._access = {token: 0.0 for token in self._access}

    def expire_tokens_after(self, requests: int) -> None:
        """After `requests` more API requests, every access token issued so far expires (mid-paging expiry)."""
        self._expire_countdown = requests

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            self._refresh.clear()

    def valid_refresh_tokens(self) -> set[str]:
        return set(self._refresh)

    # --- faults and the log --------------------------------------------------------------------
    def fail_next(self, count: int = 1, status: int = 429, *, where: str = "any", retry_after: str | None = "1",
                  code: str = "") -> None:
        """The next `count` requests (to "api", "token" or "any") fail with `status`; 0 drops the connection."""
        self._faults.append(Fault(status, count, where, retry_after, code))

    def slow_next(self, count: int, seconds: float, where: str = "any") -> None:
        self._faults.append(Fault(-1, count, where, None, "", seconds))

    def api_requests(self, contains: str = "") -> list[LoggedRequest]:
        return [r for r in self.requests if not r.path.startswith("/authorization") and contains in r.path]

    def token_requests(self) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path in ("/authorization/oauth2/token", "/authorization/oauth2/refresh")]

    # --- request handling ----------------------------------------------------------------------
    def handle(self, http: _Handler) -> None:
        parts = urlsplit(http.path)
        path = parts.path[len(API_PREFIX):] if parts.path.startswith(API_PREFIX) else parts.path
        length = int(http.headers.get("Content-Length") or 0)
        raw = http.rfile.read(length) if length else b""
        entry = LoggedRequest(http.command, path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                              _form(raw, http.headers.get("Content-Type", "")), dict(http.headers.items()))
        with self._lock:
            self.requests.append(entry)
            fault = self._take_fault("token" if path.startswith("/authorization") else "api")
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status == 0:
            http.close_connection = True  # no answer at all: the client sees a dropped connection
            return
        if fault is not None and fault.status > 0:
            headers = {}
            if fault.status == 429:
                # MURAL's own reset time follows the injected Retry-After when that is a number of seconds; a
                # malformed one ("soon", "1e1", "-1") is what is under test, so the reset is then a plain second.
                wait = fault.retry_after if (fault.retry_after or "").isdigit() else "1"
                headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time() + math.ceil(float(wait))))}
                if fault.retry_after is not None:
                    headers["Retry-After"] = fault.retry_after
            code = fault.code or {429: "RATE_LIMIT_EXCEEDED", 503: "SERVICE_UNAVAILABLE"}.get(fault.status, "INTERNAL_SERVER_ERROR")
            return self._error(http, entry, fault.status, code, "injected fault", headers)
        with self._lock:
            status, body, headers = self._route(entry)
        self._send(http, entry, status, body, headers)

    def _take_fault(self, where: str) -> Fault | None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.where in ("any", where):
                fault.remaining -= 1
                return fault
        return None

    def _route(self, r: LoggedRequest) -> tuple[int, object, dict]:
        if r.method == "GET" and r.path.rstrip("/") == "/authorization/oauth2":
            return self._authorize(r)
        if r.method == "POST" and r.path == "/authorization/oauth2/token":
            return self._token(r)
        if r.method == "POST" and r.path == "/authorization/oauth2/refresh":
            if not self.refresh_endpoint:
                return _err(404, "PATH_NOT_FOUND", f"no route {r.path}")
            if r.form.get("grant_type", "refresh_token") != "refresh_token":
                return _oauth_err(400, "unsupported_grant_type", "this endpoint only refreshes")
            return self._token(r, refresh_only=True)
        if r.method != "GET":
            return _err(405, "METHOD_NOT_ALLOWED", f"{r.method} is not supported here")
        problem = self._bearer(r)
        if problem:
            return problem
        segments = [unquote(s) for s in r.path.split("/") if s]
        if segments == ["users", "me"]:
            return 200, {"value": self.user}, {}
        if len(segments) in (2, 3, 4, 5) and segments[0] == "murals":
            mural_id = segments[1]
            if mural_id in self.denied:
                status = self.denied[mural_id]
                return _err(status, "FORBIDDEN" if status == 403 else "MURAL_NOT_FOUND", f"mural {mural_id}: {status}")
            board = self.boards.get(mural_id)
            if board is None:
                return _err(404, "MURAL_NOT_FOUND", f"mural {mural_id} not found")
            if len(segments) == 2:
                return 200, {"value": board.meta}, {}
            if segments[2:] == ["widgets"]:
                return self._widgets(r, mural_id, board)
            if segments[2:] == ["tags"]:
                return self._page(r, mural_id, "tags", board.tags)
            if segments[2] == "voting-sessions" and len(segments) <= 5:
                if not self.voting:
                    return _err(404, "PATH_NOT_FOUND", f"no route {r.path}")
                if len(segments) == 3:
                    return self._page(r, mural_id, "voting-sessions",
                                      [{"id": s["id"], "title": s.get("title", "")} for s in board.voting_sessions])
                session = next((s for s in board.voting_sessions if s["id"] == segments[3]), None)
                if session is None:
                    return _err(404, "VOTING_SESSION_NOT_FOUND", f"voting session {segments[3]} not found")
                if len(segments) == 4:
                    return 200, {"value": {"id": session["id"], "title": session.get("title", "")}}, {}
                if segments[4] == "results":
                    return self._page(r, mural_id, f"results/{session['id']}", session.get("results", []))
        return _err(404, "PATH_NOT_FOUND", f"no route {r.path}")

    def _bearer(self, r: LoggedRequest) -> tuple[int, object, dict] | None:
        if self._expire_countdown is not None:
            if self._expire_countdown == 0:
                self._access = {token: 0.0 for token in self._access}
                self._expire_countdown = None
            else:
                self._expire_countdown -= 1
        scheme, _, token = r.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token not in self._access:
            return _err(401, "AUTHORIZATION_REQUIRED", "a valid bearer token is required")
        if self._access[token] <= time.time():
            return _err(self.expired_status, "TOKEN_EXPIRED", "the access token has expired")
        return None

    def _widgets(self, r: LoggedRequest, mural_id: str, board: Board) -> tuple[int, object, dict]:
        items = board.widgets
        if "type" in r.query:  # the filter is plural ("sticky notes"), the field singular
            wanted = {t.strip().removesuffix("s") for t in r.query["type"].split(",")}
            items = [w for w in items if w.get("type") in wanted]
        if "parentId" in r.query:
            items = [w for w in items if w.get("parentId") == r.query["parentId"]]
        return self._page(r, mural_id, "widgets", items)

    def _page(self, r: LoggedRequest, mural_id: str, listing: str, items: list) -> tuple[int, object, dict]:
        """One page of a list: `limit` (1..100, the same on every page), an opaque `next`, omitted on the last page."""
        try:
            limit = int(r.query.get("limit", "100"))
        except ValueError:
            return _err(400, "INVALID_LIMIT", "limit must be a number")
        if not 1 <= limit <= 100:
            return _err(400, "INVALID_LIMIT", "limit must be between 1 and 100")
        offset = 0
        if "next" in r.query:
            cursor = self._cursors.get(r.query["next"])
            if cursor is None or cursor[0] != f"{mural_id}/{listing}":
                return _err(400, "INVALID_NEXT", "unknown next token")
            if self.strict_limit and cursor[2] != limit:
                return _err(400, "INVALID_LIMIT", "use the same limit on every page")
            offset = cursor[1]
        end = offset + min(limit, self.page_size)
        body: dict = {"value": items[offset:end]}
        if end < len(items):
            token = base64.urlsafe_b64encode(secrets.token_bytes(9)).decode()
            self._cursors[token] = (f"{mural_id}/{listing}", end, limit)
            body["next"] = token
        elif self.last_next != "omit":
            body["next"] = None if self.last_next == "null" else ""
        return 200, body, {}

    def _authorize(self, r: LoggedRequest) -> tuple[int, object, dict]:
        q = r.query
        if q.get("client_id") != self.client_id:
            return _err(400, "invalid_client", "unknown client_id")
        redirect = q.get("redirect_uri", "")
        if not redirect.startswith(("http://127.0.0.1:", "http://localhost:")):
            return _err(400, "invalid_request", "redirect_uri must be a loopback address")
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
            return _err(400, "invalid_request", "response_type=code and an S256 code_challenge are required")
        if self.refuse_authorization:
            answer = {"error": "access_denied", "error_description": "the user refused", "state": q.get("state", "")}
        else:
            code = "code-" + secrets.token_urlsafe(12)
            self._codes[code] = {"redirect_uri": redirect, "challenge": q["code_challenge"], "scope": q.get("scope", "")}
            answer = {"code": code, "state": q.get("state", "")}
        return 302, None, {"Location": f"{redirect}{'&' if '?' in redirect else '?'}{urlencode(answer)}"}

    def _token(self, r: LoggedRequest, refresh_only: bool = False) -> tuple[int, object, dict]:
        basic = r.headers.get("Authorization", "")
        if basic.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(basic[6:]).decode("utf-8").partition(":")
            except ValueError:
                return _oauth_err(401, "invalid_client", "malformed Basic header")
            r.client_auth = "basic"
        elif "client_secret" in r.form:
            client_id, secret, r.client_auth = r.form.get("client_id", ""), r.form["client_secret"], "body"
        else:
            return _oauth_err(401, "invalid_client", "client authentication is required")
        if self.client_auth != "any" and r.client_auth != self.client_auth:
            # As reported for MURAL: credentials in the wrong place are refused as invalid_client.
            return _oauth_err(400 if r.client_auth == "body" else 401, "invalid_client", f"use {self.client_auth} client authentication")
        if client_id != self.client_id or secret != self.client_secret:
            return _oauth_err(401, "invalid_client", "wrong client id or secret")
        grant = r.form.get("grant_type") or ("refresh_token" if refresh_only else None)
        if grant == "authorization_code":
            issued = self._codes.pop(r.form.get("code", ""), None)
            verifier = r.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if issued is None or issued["redirect_uri"] != r.form.get("redirect_uri") or issued["challenge"] != challenge:
                return _oauth_err(400, "invalid_grant", "unknown code, other redirect_uri or failed PKCE verification")
            return 200, self.issue_tokens(), {}
        if grant == "refresh_token":
            old = r.form.get("refresh_token", "")
            if old not in self._refresh:
                return _oauth_err(400, "invalid_grant", "the refresh token is invalid or revoked")
            answer = self.issue_tokens(refresh=self.rotate_refresh)
            if self.rotate_refresh:
                self._refresh.discard(old)
            return 200, answer, {}
        return _oauth_err(400, "unsupported_grant_type", f"grant_type {grant!r} is not supported")

    def _error(self, http: _Handler, entry: LoggedRequest, status: int, code: str, message: str, headers: dict) -> None:
        self._send(http, entry, *_err(status, code, message)[:2], headers)

    def _send(self, http: _Handler, entry: LoggedRequest, status: int, body: object, headers: dict) -> None:
        payload = b"" if body is None else json.dumps(body).encode("utf-8")
        entry.status = status
        http.send_response(status)
        remaining = "0" if status == 429 else str(RATE_LIMIT - 1)
        all_headers = {"Content-Type": "application/json; charset=utf-8", "Content-Length": str(len(payload)),
                       "X-Request-Id": str(uuid.uuid4()), "X-RateLimit-Limit": str(RATE_LIMIT),
                       "X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": str(int(time.time()) + 1)}
        all_headers.update(headers)
        for name, value in all_headers.items():
            http.send_header(name, value)
        http.end_headers()
        http.wfile.write(payload)


def _jwt(claims: dict) -> str:
    """A JWT-shaped token (header.payload.signature, base64url): readers may look at `exp`, nobody checks the signature."""
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{secrets.token_urlsafe(32)}"


def _err(status: int, code: str, message: str) -> tuple[int, object, dict]:
    return status, {"code": code, "message": message}, {}


def _oauth_err(status: int, error: str, description: str) -> tuple[int, object, dict]:
    # OAuth's own shape plus MURAL's, so either reader understands it.
    return status, {"error": error, "error_description": description, "code": error, "message": description}, {}


def _form(raw: bytes, content_type: str) -> dict[str, str]:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.fake.handle(self)  # type: ignore[attr-defined]

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def load_board_file(path: Path) -> tuple[str, list[dict], str, int | None, list[dict], list[dict]]:
    """(mural id, widgets, title, updatedOn, tags, voting sessions) from a pulled export, one API page, a list of pages or of widgets."""
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data.get("mural", {}) if isinstance(data, dict) else {}
    if isinstance(data, dict):
        widgets = data.get("value", [])
    elif data and all(isinstance(p, dict) and "value" in p for p in data):
        widgets = [w for page in data for w in page["value"]]
    else:
        widgets = data
    tags = data.get("tags", []) if isinstance(data, dict) else []
    sessions = data.get("votingSessions", []) if isinstance(data, dict) else []
    return str(meta.get("id") or path.stem), widgets, str(meta.get("title") or path.stem), meta.get("updatedOn"), tags, sessions


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Loopback fake of the MURAL public API")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--board", type=Path, action="append", default=[], help="a board JSON file (repeatable)")
    parser.add_argument("--client-id", default="backbone-test-client")
    parser.add_argument("--client-secret", default="backbone-test-secret")
    parser.add_argument("--client-auth", choices=("any", "basic", "body"), default="any")
    parser.add_argument("--expires-in", type=int, default=900)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--expired-status", type=int, choices=(401, 403), default=401)
    parser.add_argument("--no-rotate", action="store_true", help="refresh answers carry no new refresh token")
    args = parser.parse_args(argv)
    fake = FakeMural(args.client_id, args.client_secret, client_auth=args.client_auth, rotate_refresh=not args.no_rotate,
                     expires_in=args.expires_in, expired_status=args.expired_status, page_size=args.page_size)
    for board_file in args.board:
        mural_id, widgets, title, updated, tags, sessions = load_board_file(board_file)
        fake.add_board(mural_id, widgets, title=title, updated_on=updated, tags=tags, voting_sessions=sessions)
    fake.start(args.port)
    print(f"fake MURAL API at {fake.url} with boards: {', '.join(fake.boards) or '(none)'}")
    print(f"BACKBONE_MURAL_API_URL={fake.url}\nBACKBONE_MURAL_CLIENT_ID={fake.client_id}\n"
          f"BACKBONE_MURAL_CLIENT_SECRET={fake.client_secret}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
