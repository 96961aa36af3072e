"""A stateful loopback fake of the WordPress REST API (the parts `backbone publish` uses), for tests.

In a test:
    with FakeWordPress(users={"redaktor": "abcd EFGH 1234 ijkl MNOP 5678"}) as wp:
        wp.add_category("Collective Impact Samarbeten")
        ...  # BACKBONE_WORDPRESS_URL=wp.url
        assert [p["status"] for p in wp.posts.values()] == ["draft"]

Built from the documented shapes (/work/shared/reference/wordpress-api.md, WP-API/docs): `/wp-json/` is the index
(JSON, `namespaces`); Application Passwords as HTTP Basic (spaces in the password ignored, as WordPress does), 401
`incorrect_password` otherwise; `POST /wp/v2/posts` (201) and `POST /wp/v2/posts/<id>` (200) with the post object
(`id`, `link`, `status`, `title`/`content` as {raw, rendered}, `categories` term ids), 404 `rest_post_invalid_id`;
`GET /wp/v2/categories?search=&per_page=` (per_page ≤ 100, totals in X-WP-Total and X-WP-TotalPages); `POST
/wp/v2/media` with the raw body and Content-Disposition (400 `rest_upload_no_content_disposition` without it),
answering `id`, `source_url`, `mime_type`. Errors are {code, message, data: {status}}. Modes: "no_api" (404 pages,
as a site without the REST API), "security_plugin" (an HTML page with 200); faults: 429 with Retry-After, 5xx.
"""
from __future__ import annotations

import base64
import html
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

STATUSES = ("publish", "future", "draft", "pending", "private")
POST_FIELDS = {"date", "date_gmt", "slug", "status", "password", "title", "content", "author", "excerpt",
               "featured_media", "comment_status", "ping_status", "format", "meta", "sticky", "template", "categories",
               "tags"}


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0


@dataclass
class Fault:
    status: int
    remaining: int
    retry_after: str | None = "0"


@dataclass
class FakeWordPress:
    users: dict[str, str] = field(default_factory=lambda: {"redaktor": "abcd EFGH 1234 ijkl MNOP 5678"})
    mode: str = "ok"  # ok | no_api | security_plugin
    posts: dict[int, dict] = field(default_factory=dict)
    categories: dict[int, dict] = field(default_factory=dict)
    media: dict[int, dict] = field(default_factory=dict)
    requests: list[Logged] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self):
        self._ids = iter(range(101, 10**6))
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- set-up and look-ups ------------------------------------------------------------------------
    def add_category(self, name: str) -> int:
        with self._lock:
            term = next(self._ids)
            self.categories[term] = {"id": term, "count": 0, "description": "", "link": f"{self.url}/category/{term}/",
                                     "name": html.escape(name, quote=False), "slug": re.sub(r"\W+", "-", name.lower()),
                                     "taxonomy": "category", "parent": 0, "meta": []}
            return term

    def fail(self, status: int, times: int = 1, retry_after: str | None = "0") -> None:
        self.faults.append(Fault(status, times, retry_after))

    def api_requests(self, method: str = "") -> list[Logged]:
        return [r for r in self.requests if r.path.startswith("/wp-json") and (not method or r.method == method)]

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first (with FakeWordPress() as wp)"
        host, port = self._server.server_address[:2]
        return f"http://127.0.0.1:{port}"

    def __enter__(self) -> FakeWordPress:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    # --- the API ---------------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        logged = Logged(method, unquote(parts.path), query, dict(handler.headers.items()))
        with self._lock:
            self.requests.append(logged)
            status, headers, payload = self._answer(method, logged, body)
        logged.status = status
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _json(self, status: int, body: object, headers: dict | None = None) -> tuple[int, dict, bytes]:
        return status, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}, json.dumps(body).encode()

    def _error(self, status: int, code: str, message: str) -> tuple[int, dict, bytes]:
        return self._json(status, {"code": code, "message": message, "data": {"status": status}})

    def _page(self, status: int, text: str) -> tuple[int, dict, bytes]:
        return status, {"Content-Type": "text/html; charset=UTF-8"}, f"<!DOCTYPE html><html><body><h1>{text}</h1></body></html>".encode()

    def _answer(self, method: str, request: Logged, body: bytes) -> tuple[int, dict, bytes]:
        path = request.path
        if not path.startswith("/wp-json"):
            return self._page(404, "Sidan hittades inte")
        if self.mode == "no_api":
            return self._page(404, "Sidan hittades inte")
        if self.mode == "security_plugin":
            return self._page(200, "Access denied by the site's firewall")
        for fault in self.faults:
            if fault.remaining > 0:
                fault.remaining -= 1
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                return self._json(fault.status, {"code": "rest_busy", "message": "Busy", "data": {"status": fault.status}},
                                  headers)
        if not self._authorised(request.headers.get("Authorization", "")):
            return self._error(401, "incorrect_password", "The provided password is an invalid application password.")
        route = path.removeprefix("/wp-json").rstrip("/") or "/"
        if route == "/" and method == "GET":
            return self._json(200, {"name": "Exempelsajten", "url": self.url, "namespaces": ["oembed/1.0", "wp/v2"],
                                    "authentication": {"application-passwords": {"endpoints": {}}}, "routes": {}})
        if route == "/wp/v2/categories" and method == "GET":
            return self._categories(request.query)
        if route == "/wp/v2/posts" and method == "POST":
            return self._save(None, body)
        matched = re.fullmatch(r"/wp/v2/posts/(\d+)", route)
        if matched:
            post_id = int(matched.group(1))
            if post_id not in self.posts:
                return self._error(404, "rest_post_invalid_id", "Invalid post ID.")
            return self._save(post_id, body) if method == "POST" else self._json(200, self._shown(self.posts[post_id]))
        if route == "/wp/v2/media" and method == "POST":
            return self._upload(request.headers, body)
        matched = re.fullmatch(r"/wp/v2/media/(\d+)", route)
        if matched and method == "GET":
            media = self.media.get(int(matched.group(1)))
            if media is None:
                return self._error(404, "rest_post_invalid_id", "Invalid post ID.")  # WordPress's words for media too
            return self._json(200, media)
        return self._error(404, "rest_no_route", "No route was found matching the URL and request method.")

    def _authorised(self, header: str) -> bool:
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        known = self.users.get(user)
        return known is not None and known.replace(" ", "") == password.replace(" ", "")

    def _categories(self, query: dict[str, str]) -> tuple[int, dict, bytes]:
        per_page = int(query.get("per_page", "10"))
        if not 1 <= per_page <= 100:
            return self._error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        search = query.get("search", "").casefold()
        found = [c for c in self.categories.values() if search in html.unescape(c["name"]).casefold()]
        pages = max(1, -(-len(found) // per_page))
        return self._json(200, found[:per_page], {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)})

    def _save(self, post_id: int | None, body: bytes) -> tuple[int, dict, bytes]:
        try:
            fields = json.loads(body or b"{}")
        except ValueError:
            return self._error(400, "rest_invalid_json", "Invalid JSON body passed.")
        if fields.get("status", "draft") not in STATUSES:
            return self._error(400, "rest_invalid_param", "Invalid parameter(s): status")
        unknown = set(fields) - POST_FIELDS
        if unknown:
            return self._error(400, "rest_invalid_param", f"Invalid parameter(s): {', '.join(sorted(unknown))}")
        categories = fields.get("categories", [])
        if any(not isinstance(c, int) or c not in self.categories for c in categories):
            return self._error(400, "rest_invalid_param", "Invalid parameter(s): categories")
        created = post_id is None
        if created:
            post_id = next(self._ids)
            self.posts[post_id] = {"id": post_id, "status": "draft", "title": "", "content": "", "categories": [],
                                   "type": "post", "slug": "", "author": 1}
        post = self.posts[post_id]
        post.update({k: v for k, v in fields.items() if k in ("status", "title", "content", "categories", "slug")})
        return self._json(201 if created else 200, self._shown(post))

    def _shown(self, post: dict) -> dict:
        return {**post, "link": f"{self.url}/?p={post['id']}", "guid": {"rendered": f"{self.url}/?p={post['id']}"},
                "title": {"raw": post["title"], "rendered": post["title"]},
                "content": {"raw": post["content"], "rendered": post["content"], "protected": False}}

    def _upload(self, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        disposition = headers.get("Content-Disposition", "")
        star = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
        plain = re.search(r'filename="([^"]+)"', disposition)
        name = unquote(star.group(1)) if star else plain.group(1) if plain else ""
        if not name:
            return self._error(400, "rest_upload_no_content_disposition", "No Content-Disposition supplied.")
        if not body:
            return self._error(400, "rest_upload_no_data", "No data supplied.")
        media_id = next(self._ids)
        kind = headers.get("Content-Type", "application/octet-stream")
        self.media[media_id] = {"id": media_id, "source_url": f"{self.url}/wp-content/uploads/2021/05/{name}",
                                "mime_type": kind, "media_type": "file", "title": {"raw": name, "rendered": name},
                                "size": len(body)}
        return self._json(201, self.media[media_id])
