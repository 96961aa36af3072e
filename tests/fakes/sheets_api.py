"""A stateful loopback fake of the Google Sheets v4 API (the endpoints gspread uses) and the OAuth token endpoint.

In tests:

    with FakeSheetsServer("sheet-key") as fake:
        fake.set_values("Åtgärder", [["ID", "Hållplats"], ["a1", "Kick-off"]])
        ...  # point a client at fake.url, service-account token_uri at fake.token_uri
        fake.fail_next(429, retry_after=7)  # the next API request answers 429
        fake.late_next(8, path="values:batchUpdate", person=insert_row)  # applied 8 s late, after a person's edit
        fake.apply_then_drop(path="values:batchUpdate")  # applied, then the connection closed unanswered
        assert [r.path for r in fake.api_requests()] == [...]

On its own (standard library only; --from-xlsx needs openpyxl):

    python tests/fakes/sheets_api.py --port 8600 --spreadsheet-id KEY --from-xlsx plan.xlsx

Checked against gspread's recorded traffic by tests/integration/test_sheets_fake_cassettes.py.
"""
from __future__ import annotations

import argparse
import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

try:  # package import (tests) or script import (python tests/fakes/sheets_api.py)
    from .sheet_cells import Cell, evaluate
    from .sheets_extras import parse_fields, select_fields
    from .sheets_model import ApiError, Spreadsheet
except ImportError:  # pragma: no cover - exercised when run as a script
    from sheet_cells import Cell, evaluate  # type: ignore
    from sheets_extras import parse_fields, select_fields  # type: ignore
    from sheets_model import ApiError, Spreadsheet  # type: ignore

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_SPREADSHEET = re.compile(r"^/v4/spreadsheets/([^/:]+)(:batchUpdate)?$")
_VALUES_BATCH = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:(batchGet|batchUpdate|batchClear)$")
_VALUES = re.compile(r"^/v4/spreadsheets/([^/:]+)/values/(.+?)(:append|:clear)?$")
_UNAUTHENTICATED = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
                    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.")


@dataclass
class LoggedRequest:
    method: str
    path: str  # percent-decoded
    query: dict[str, list[str]]
    body: Any  # parsed JSON, a form dict for /token, raw text otherwise, None when empty
    status: int | None = None  # None: the connection was dropped


@dataclass
class Fault:
    kind: str  # "status" | "drop" | "slow" | "late" | "applied_drop"
    times: int
    path: str | None = None  # substring of the decoded path, e.g. "values:batchUpdate"; None: any API path (not /token)
    method: str | None = None
    status: int = 500
    retry_after: str | None = None
    seconds: float = 0.0
    body: dict | None = None
    person: Any = None  # "late": what a person does just before the held request is applied

    def matches(self, method: str, path: str) -> bool:
        where = path != "/token" if self.path is None else self.path in path
        return self.times > 0 and where and (self.method is None or self.method == method)


@dataclass
class _State:
    spreadsheets: dict[str, Spreadsheet] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)  # access token -> the JWT claims it was issued for
    log: list[LoggedRequest] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    holds: list[tuple[str, Any]] = field(default_factory=list)  # (path substring, what a person does meanwhile)
    in_flight: int = 0  # requests held to be applied late, not applied yet


class FakeSheetsServer:
    def __init__(self, spreadsheet_id: str | None = "fake-spreadsheet", *, title: str = "Backbone plan",
                 tabs: tuple[str, ...] = ("Sheet1",), require_auth: bool = True, host: str = "127.0.0.1", port: int = 0):
        self.require_auth = require_auth
        self.default_id = spreadsheet_id
        self.lock = threading.RLock()
        self.state = _State()
        self._address = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        if spreadsheet_id is not None:
            self.add_spreadsheet(spreadsheet_id, title, tabs)

    # --- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> FakeSheetsServer:
        self._httpd = ThreadingHTTPServer(self._address, _handler_for(self))
        self._httpd.daemon_threads = True  # a slow answer must not hold up stop()
        # A short poll interval keeps stop() (which waits for the next poll) fast in tests.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-sheets", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self) -> FakeSheetsServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    # --- state --------------------------------------------------------------------------------------
    def add_spreadsheet(self, spreadsheet_id: str, title: str = "Untitled spreadsheet",
                        tabs: tuple[str, ...] = ("Sheet1",), shared: bool = True) -> Spreadsheet:
        with self.lock:
            book = Spreadsheet(spreadsheet_id, title, tabs, shared)
            self.state.spreadsheets[spreadsheet_id] = book
            return book

    def remove_spreadsheet(self, spreadsheet_id: str) -> None:
        with self.lock:
            self.state.spreadsheets.pop(spreadsheet_id, None)

    def spreadsheet(self, spreadsheet_id: str | None = None) -> Spreadsheet:
        return self.state.spreadsheets[spreadsheet_id or self.default_id]

    def set_values(self, tab: str, rows: list[list[Any]], spreadsheet_id: str | None = None,
                   rows_count: int | None = None, cols_count: int | None = None) -> None:
        """Seed a tab (created when missing) from A1, as RAW; the grid grows to fit (or takes the sizes given)."""
        with self.lock:
            book = self.spreadsheet(spreadsheet_id)
            sheet = book.sheet(tab)
            if sheet is None:
                book.batch_update({"requests": [{"addSheet": {"properties": {"title": tab}}}]})
                sheet = book.sheet(tab)
            height, width = len(rows), max((len(r) for r in rows), default=0)
            sheet.resize(max(rows_count or sheet.rows, height, 1), max(cols_count or sheet.cols, width, 1))
            if rows:
                book.update_values(f"'{tab.replace(chr(39), chr(39) * 2)}'!A1", rows, "RAW")

    def values(self, tab: str, render: str = "FORMATTED_VALUE", spreadsheet_id: str | None = None) -> list[list[Any]]:
        """A whole tab as the API would answer (trimmed)."""
        with self.lock:
            return self.spreadsheet(spreadsheet_id).get_values(f"'{tab.replace(chr(39), chr(39) * 2)}'", render).get("values", [])

    def titles(self, spreadsheet_id: str | None = None) -> list[str]:
        with self.lock:
            return [s.title for s in sorted(self.spreadsheet(spreadsheet_id).sheets, key=lambda s: s.index)]

    def grid(self, tab: str, spreadsheet_id: str | None = None) -> tuple[int, int]:
        """(rowCount, columnCount) of a tab."""
        with self.lock:
            sheet = self.spreadsheet(spreadsheet_id).sheet(tab)
            return sheet.rows, sheet.cols

    def deny(self, spreadsheet_id: str | None = None) -> None:
        """The spreadsheet is not shared with the caller: every call on it answers 403."""
        self.spreadsheet(spreadsheet_id).shared = False

    def allow(self, spreadsheet_id: str | None = None) -> None:
        self.spreadsheet(spreadsheet_id).shared = True

    def issue_token(self, claims: dict | None = None) -> str:
        with self.lock:
            token = f"fake-token-{len(self.state.tokens) + 1}"
            self.state.tokens[token] = claims or {}
            return token

    def expire_tokens(self) -> None:
        """Every issued token stops working (clients see 401 and sign in again)."""
        with self.lock:
            self.state.tokens.clear()

    @property
    def sign_ins(self) -> list[dict]:
        """The JWT claims of every token issued through /token (iss is the service account's client_email)."""
        return [c for c in self.state.tokens.values() if c]

    # --- request log --------------------------------------------------------------------------------
    @property
    def requests(self) -> list[LoggedRequest]:
        with self.lock:
            return list(self.state.log)

    def api_requests(self) -> list[LoggedRequest]:
        """Every request but the token endpoint's."""
        return [r for r in self.requests if r.path != "/token"]

    def clear_log(self) -> None:
        with self.lock:
            self.state.log.clear()

    # --- faults: the next matching requests misbehave. `path` is a substring of the decoded path; without
    # one, any API request matches (the token endpoint only when asked for with path="/token"). ----------
    def fail_next(self, status: int = 500, times: int = 1, *, retry_after: float | str | None = None,
                  path: str | None = None, method: str | None = None, body: dict | None = None) -> None:
        with self.lock:
            self.state.faults.append(Fault("status", times, path, method, status,
                                           None if retry_after is None else str(retry_after), body=body))

    def drop_next(self, times: int = 1, *, path: str | None = None, method: str | None = None) -> None:
        """Close the connection without an answer."""
        with self.lock:
            self.state.faults.append(Fault("drop", times, path, method))

    def slow_next(self, seconds: float, times: int = 1, *, path: str | None = None, method: str | None = None) -> None:
        """Wait `seconds` before answering normally."""
        with self.lock:
            self.state.faults.append(Fault("slow", times, path, method, seconds=seconds))

    def late_next(self, seconds: float, *, path: str | None = None, method: str | None = None, times: int = 1,
                  person: Any = None) -> None:
        """The next matching request is held `seconds` on arrival (its client may time out and go on), then
        applied all the same, as Google keeps processing a request whose client gave up; `person(spreadsheet)`
        runs just before it is applied. Its answer goes to whoever is still listening. `settle()` waits for it."""
        with self.lock:
            self.state.faults.append(Fault("late", times, path, method, seconds=seconds, person=person))

    def apply_then_drop(self, times: int = 1, *, path: str | None = None, method: str | None = None) -> None:
        """The next matching request is applied, then its connection closed without an answer: the client
        cannot tell whether it was."""
        with self.lock:
            self.state.faults.append(Fault("applied_drop", times, path, method))

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until every request held by late_next() has been applied."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.state.in_flight:
                    return
            time.sleep(0.01)
        raise TimeoutError("a late request was not applied in time")

    def hold_next(self, path: str, person: Any) -> None:
        """The next request whose path contains `path` is held on arrival: `person(spreadsheet)` runs first (a
        person's edit landing just before Google applies the request), then the request is served."""
        with self.lock:
            self.state.holds.append((path, person))

    def _take_hold(self, path: str) -> Any:
        with self.lock:
            for i, (where, person) in enumerate(self.state.holds):
                if where in path:
                    del self.state.holds[i]
                    return person
        return None

    def clear_faults(self) -> None:
        with self.lock:
            self.state.faults.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.state.faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    return fault
        return None

    # --- dispatch -----------------------------------------------------------------------------------
    def handle(self, method: str, raw_path: str, query: dict[str, list[str]], body: Any,
               headers: dict[str, str]) -> tuple[int, dict, dict[str, str]]:
        """(status, JSON body, extra headers) for one request."""
        path = unquote(raw_path)
        if path == "/token":
            return self._token(method, body)
        try:
            if self.require_auth:
                auth = headers.get("authorization", "")
                if not auth.startswith("Bearer ") or auth[7:] not in self.state.tokens:
                    raise ApiError(401, _UNAUTHENTICATED)
            with self.lock:
                return 200, self._route(method, raw_path, query, body), {}
        except ApiError as exc:
            return exc.code, exc.body(), {}

    def _book(self, raw_id: str) -> Spreadsheet:
        book = self.state.spreadsheets.get(unquote(raw_id))
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if not book.shared:
            raise ApiError(403, "The caller does not have permission")
        return book

    def _route(self, method: str, raw_path: str, query: dict[str, list[str]], body: Any) -> dict:
        q = {k: v[-1] for k, v in query.items()}
        if m := _SPREADSHEET.match(raw_path):
            book = self._book(m.group(1))
            if m.group(2) and method == "POST":
                return book.batch_update(body)
            if not m.group(2) and method == "GET":
                grid = q.get("includeGridData") == "true"
                answer = book.metadata(query.get("ranges", []) if grid else None)
                return select_fields(answer, parse_fields(q["fields"])) if q.get("fields") else answer
        elif m := _VALUES_BATCH.match(raw_path):
            book, action = self._book(m.group(1)), m.group(2)
            if action == "batchGet" and method == "GET":
                return book.batch_get(query.get("ranges", []), q.get("valueRenderOption"), q.get("majorDimension"),
                                      q.get("dateTimeRenderOption"))
            if action == "batchUpdate" and method == "POST":
                return book.batch_update_values(body)
            if action == "batchClear" and method == "POST":
                return book.batch_clear(body)
        elif m := _VALUES.match(raw_path):
            book, rng, action = self._book(m.group(1)), unquote(m.group(2)), m.group(3)
            values = body.get("values") if isinstance(body, dict) else None
            major = body.get("majorDimension") if isinstance(body, dict) else None
            if action is None and method == "GET":
                return book.get_values(rng, q.get("valueRenderOption"), q.get("majorDimension"), q.get("dateTimeRenderOption"))
            if action is None and method == "PUT":
                with book.atomic():
                    return book.update_values(rng, values, q.get("valueInputOption"), major)
            if action == ":append" and method == "POST":
                with book.atomic():
                    return book.append(rng, values, q.get("valueInputOption"), q.get("insertDataOption"), major)
            if action == ":clear" and method == "POST":
                return {"spreadsheetId": book.id, "clearedRange": book.clear(rng)}
        raise ApiError(404, f"Method not found: {method} {raw_path}")

    def _token(self, method: str, form: Any) -> tuple[int, dict, dict[str, str]]:
        """The service-account JWT bearer grant. The signature is not checked (no crypto in the stdlib)."""
        form = form if isinstance(form, dict) else {}
        if method != "POST" or form.get("grant_type") != JWT_GRANT:
            return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type."}, {}
        claims = _jwt_claims(form.get("assertion", ""))
        if claims is None or not claims.get("iss"):
            return 400, {"error": "invalid_grant",
                         "error_description": "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe."}, {}
        return 200, {"access_token": self.issue_token(claims), "expires_in": 3600, "token_type": "Bearer"}, {}

    def fault_answer(self, fault: Fault, method: str, path: str) -> tuple[int, dict, dict[str, str]]:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        if fault.body is not None:
            return fault.status, fault.body, headers
        if path == "/token":
            error = "internal_failure" if fault.status >= 500 else "invalid_grant"
            description = f"Injected token endpoint failure ({fault.status})."
            return fault.status, {"error": error, "error_description": description}, headers
        if fault.status == 429:
            kind = "Read" if method == "GET" else "Write"
            message = (f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per minute per user' "
                       "of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.")
            details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
                        "domain": "googleapis.com",
                        "metadata": {"quota_limit": f"{kind}RequestsPerMinutePerUser",
                                     "quota_metric": f"sheets.googleapis.com/{kind.lower()}_requests",
                                     "service": "sheets.googleapis.com", "consumer": "projects/000000000000"}}]
            return 429, ApiError(429, message, details=details).body(), headers
        messages = {500: "Internal error encountered.", 502: "Bad Gateway", 503: "The service is currently unavailable.",
                    504: "The request timed out.", 403: "The caller does not have permission"}
        return fault.status, ApiError(fault.status, messages.get(fault.status, "Injected failure.")).body(), headers


def _jwt_claims(assertion: str) -> dict | None:
    parts = assertion.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None


def _handler_for(server: FakeSheetsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: a dropped connection is unambiguous

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_PUT(self) -> None:
            self._serve("PUT")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            raw_path, _, raw_query = self.path.partition("?")
            query = parse_qs(raw_query, keep_blank_values=True)
            length = int(self.headers.get("Content-Length") or 0)
            text = self.rfile.read(length).decode("utf-8") if length else ""
            path = unquote(raw_path)
            if path == "/token":
                body: Any = {k: v[-1] for k, v in parse_qs(text).items()}
            else:
                try:
                    body = json.loads(text) if text else None
                except ValueError:
                    body = text
            entry = LoggedRequest(method, path, query, body)
            with server.lock:
                server.state.log.append(entry)
            fault = server._take_fault(method, path)
            if fault is not None and fault.kind == "late":
                self._late(fault, method, raw_path, query, body, entry)
                return
            if fault is not None and fault.kind == "drop":
                self.close_connection = True
                return
            dropped_after = fault is not None and fault.kind == "applied_drop"
            if fault is not None and fault.kind in ("slow", "applied_drop"):
                time.sleep(fault.seconds)
                fault = None
            person = server._take_hold(path)
            if person is not None:
                with server.lock:
                    person(server.spreadsheet())
            if fault is not None:
                status, payload, headers = server.fault_answer(fault, method, path)
            elif isinstance(body, str) and path != "/token":
                status, payload, headers = 400, ApiError(400, "Invalid JSON payload received.").body(), {}
            else:
                status, payload, headers = server.handle(method, raw_path, query, body,
                                                         {k.lower(): v for k, v in self.headers.items()})
            if dropped_after:  # applied; the client never hears so
                self.close_connection = True
                return
            entry.status = status
            self._answer(status, payload, headers)

        def _late(self, fault: Fault, method: str, raw_path: str, query: dict, body: Any, entry: LoggedRequest) -> None:
            with server.lock:
                server.state.in_flight += 1
            try:
                time.sleep(fault.seconds)
                with server.lock:
                    if fault.person is not None:
                        fault.person(server.spreadsheet())
                    status, payload, headers = server.handle(method, raw_path, query, body,
                                                             {k.lower(): v for k, v in self.headers.items()})
            finally:
                with server.lock:
                    server.state.in_flight -= 1
            entry.status = status
            self._answer(status, payload, headers)

        def _answer(self, status: int, payload: dict, headers: dict[str, str]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): nothing to do
                pass

    return Handler


def load_xlsx(server: FakeSheetsServer, path: str, spreadsheet_id: str | None = None) -> None:
    """Tabs and values from a workbook: numbers stay numbers, dates become dates, '=...' becomes a formula."""
    import datetime as dt

    from openpyxl import load_workbook  # lazy: the fake itself needs only the standard library

    workbook = load_workbook(path)
    book = server.spreadsheet(spreadsheet_id)
    with server.lock:
        book.sheets.clear()
        for ws in workbook.worksheets:
            book.batch_update({"requests": [{"addSheet": {"properties": {
                "title": ws.title, "sheetId": 0 if not book.sheets else None,
                "gridProperties": {"rowCount": max(1000, ws.max_row), "columnCount": max(26, ws.max_column)}}}}]})
            sheet = book.sheet(ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if value is None or value == "":
                        continue
                    key = (cell.row - 1, cell.column - 1)
                    if isinstance(value, dt.datetime) or isinstance(value, dt.date):
                        day = value.date() if isinstance(value, dt.datetime) else value
                        serial = (day - dt.date(1899, 12, 30)).days
                        sheet.cells[key] = Cell(serial, shown=day.isoformat())
                    elif isinstance(value, str) and value.startswith("="):
                        sheet.cells[key] = Cell(evaluate(value[1:]), formula=value)
                    else:
                        sheet.cells[key] = Cell(value if isinstance(value, (bool, int, float)) else str(value))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A loopback fake of the Google Sheets v4 API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--spreadsheet-id", default="fake-spreadsheet")
    parser.add_argument("--title", default="Backbone plan")
    parser.add_argument("--from-xlsx", help="load tabs and values from this workbook")
    parser.add_argument("--no-auth", action="store_true", help="accept API calls without a bearer token")
    args = parser.parse_args(argv)
    server = FakeSheetsServer(args.spreadsheet_id, title=args.title, require_auth=not args.no_auth,
                              host=args.host, port=args.port)
    if args.from_xlsx:
        load_xlsx(server, args.from_xlsx)
    server.start()
    print(f"Fake Sheets API on {server.url} (spreadsheet {args.spreadsheet_id}, token endpoint {server.token_uri})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
