"""GoogleSheet: the SheetBackend port over gspread (one metadata read, one batchGet; at most two writes and a repair)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import gspread
from google.oauth2 import service_account
from gspread.exceptions import APIError

from sync.adapters.gsheets.blocks import answered_rows, block_range
from sync.adapters.gsheets.credentials import GOOGLE_API, SCOPES, _check_api_url, load_service_account, spreadsheet_key
from sync.adapters.gsheets.failures import GoogleFailures
from sync.adapters.gsheets.guide_requests import guide_requests
from sync.adapters.gsheets.ranges import _text, _whole_tab
from sync.adapters.gsheets.settle import SettleAmbiguous
from sync.adapters.gsheets.structure import StructureRequests
from sync.adapters.gsheets.transport import AmbiguousWrite, SheetsHTTPClient
from sync.adapters.request_stats import SheetStats
from sync.adapters.retry import RetryPolicy
from sync.core.errors import ConfigError, ServiceError
from sync.core.i18n import _, ngettext
from sync.core.sheet.intents import matched_by_id
from sync.core.sheet.tabs import WORKSHOPS, find_tab
from sync.core.sheet.verify import landed, repairs
from sync.ports import CellWrite, SheetBackend, SheetValues, SheetWrite

REPAIR_ROUNDS = 2  # writes after the first when people keep moving rows under them
# What the first request of a sync fetches besides the tabs: the Workshops tab's cells, and the guides already there.
OPEN_FIELDS = ("properties.title,sheets(properties,protectedRanges,developerMetadata,"
               "data.rowData.values.formattedValue)")


class _Spreadsheet(gspread.Spreadsheet):
    """gspread's Spreadsheet, keeping the whole metadata it fetches when opened: gspread keeps only the
    spreadsheet's properties, so listing the tabs would cost a second read."""

    metadata: dict[str, Any]

    def __init__(self, http_client: Any, properties: dict[str, Any], params: dict[str, Any] | None = None):
        self._open_params = params
        super().__init__(http_client, properties)

    def fetch_sheet_metadata(self, params: Any = None) -> Any:
        self.metadata = dict(super().fetch_sheet_metadata(params or self._open_params))
        return self.metadata


class GoogleSheet(StructureRequests, GoogleFailures, SettleAmbiguous, SheetBackend):
    """The shared planning sheet in Google Sheets."""

    def __init__(self, spreadsheet: str, credentials_file: str | os.PathLike | None = None, *,
                 api_url: str = GOOGLE_API, timeout: float | tuple[float, float] = 30.0,
                 retry: RetryPolicy | None = None):
        """`spreadsheet`: a key or the spreadsheet's address. `credentials_file`: the service account's JSON key
        (its token_uri is used for sign-in). `api_url`: where the Sheets API is (tests: a fake's URL)."""
        self.key = spreadsheet_key(spreadsheet)
        self.name = self.key
        self.stats = SheetStats()
        self._api_url = _check_api_url(api_url)
        self._retry = retry or RetryPolicy()
        self._credentials_file = str(credentials_file) if credentials_file else None
        settings: dict[str, Any] = {"api_url": self._api_url, "retry": self._retry, "stats": self.stats}
        info = load_service_account(credentials_file)
        self._client_email, self._token_uri = info["client_email"], info["token_uri"]
        try:
            credentials = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
        except (ValueError, TypeError):  # the reason would quote key material: say where, not what
            raise ConfigError(_("{path}: the private_key in the service-account key file cannot be read; download a new "
                                "key from the Google Cloud console").format(path=Path(str(credentials_file)).expanduser())) from None
        # gspread only calls http_client(auth, session): a factory carries our retries and counting along.
        client = gspread.Client(auth=credentials,
                                http_client=lambda auth, session: SheetsHTTPClient(auth, session, **settings))  # type: ignore[arg-type]
        client.set_timeout(timeout)  # gspread's default is to wait forever
        self._timeout = timeout
        self._client = client
        self._spreadsheet: _Spreadsheet | None = None
        self._tabs: dict[str, dict[str, int]] = {}  # title -> sheetId, rowCount, columnCount
        self._fresh = False  # the metadata was just read (by read_workshops) and serves the next read()
        self._read_values: SheetValues = {}

    @property
    def title(self) -> str | None:
        return self._spreadsheet.metadata["properties"].get("title") if self._spreadsheet else None

    # --- the port -----------------------------------------------------------------------------------
    def read_workshops(self) -> SheetValues:
        """The Workshops tab, inside the metadata request the sync makes anyway (includeGridData with a range)."""
        with self._google_errors():
            try:
                self._open({"includeGridData": "true", "ranges": _whole_tab(WORKSHOPS.title), "fields": OPEN_FIELDS})
            except APIError as exc:
                if exc.response.status_code != 400:
                    raise
                self._open()  # the tab is called something else (an alias): read it with the others
                self._fresh = True
                values = self.read()
                self._fresh = True  # the planning read that follows the boards reuses this metadata
                title = find_tab(WORKSHOPS, list(values))
                return {title: values[title]} if title else {}
        self._fresh = True
        for sheet in self._opened.metadata.get("sheets", []):
            if sheet.get("data"):
                rows = [[_text(v.get("formattedValue")) for v in r.get("values", [])]
                        for r in sheet["data"][0].get("rowData", [])]
                return {sheet["properties"]["title"]: _trim(rows)}
        return {}

    def read(self) -> SheetValues:
        with self._google_errors():
            if not self._fresh:
                self._open()
            self._fresh = False
            wanted = list(self._tabs)  # every tab: a renamed one is found again by its content
            if not wanted:
                return {}
            try:
                answer = self._batch_get(wanted)
            except APIError as exc:  # a tab renamed or deleted since the metadata was read: look again
                if exc.response.status_code != 400:
                    raise
                self._open()
                wanted = list(self._tabs)
                answer = self._batch_get(wanted)
        ranges = answer.get("valueRanges", [])
        if len(ranges) != len(wanted):
            raise ServiceError(ngettext("Google Sheets answered {ranges} ranges for {count} tab of {key}; try the sync again",
                                        "Google Sheets answered {ranges} ranges for {count} tabs of {key}; try the sync again",
                                        len(wanted)).format(ranges=len(ranges), count=len(wanted), key=self.key))
        # Answers come in the order asked; echoed ranges are not compared (Google re-quotes titles).
        self._read_values = {title: [[_text(c) for c in row] for row in vr.get("values", [])]
                             for title, vr in zip(wanted, ranges)}
        return self._read_values

    def _batch_get(self, titles: list[str]) -> dict[str, Any]:
        return self._opened.values_batch_get(
            [_whole_tab(t) for t in titles], params={"valueRenderOption": "FORMATTED_VALUE", "majorDimension": "ROWS"})

    def apply(self, write: SheetWrite) -> None:
        self._unsettled = False
        if write.is_empty():
            return
        with self._google_errors():
            if self._spreadsheet is None:
                self._open()
            requests_ = self._structure_requests(write)
            new_ids = {r["addSheet"]["properties"]["title"]: r["addSheet"]["properties"]["sheetId"]
                       for r in requests_ if "addSheet" in r}
            requests_ += guide_requests(self._opened.metadata, self._tabs, self._read_values, write, new_ids)
            if requests_:
                try:
                    reply = self._opened.batch_update({"requests": requests_})
                except APIError as exc:
                    if exc.response.status_code != 400 or "already exists" not in str(exc.error.get("message", "")):
                        raise
                    # A tab made meanwhile, or a retried addSheet whose first answer was lost: look again.
                    self._open()
                    requests_ = self._structure_requests(write)
                    reply = self._opened.batch_update({"requests": requests_}) if requests_ else {"replies": []}
                self._remember(requests_, reply)
            titles = self._titles_for(write)
            by_tab: dict[str, list[CellWrite]] = {}
            for cell in write.cells:
                by_tab.setdefault(titles[cell.tab], []).append(cell)
            before = {t: self._read_values.get(t, []) for t in by_tab}
            ids = {t: self._tabs.get(t, {}).get("sheetId") for t in by_tab}  # a tab is its sheetId, whatever its title
            for round_ in range(REPAIR_ROUNDS + 1):
                try:
                    after, complete = self._write_blocks(by_tab, before, ids)
                except AmbiguousWrite:  # perhaps applied, perhaps still to be: never sent again by position
                    self._settle(by_tab, before, ids)
                    return
                fixes: dict[str, list[CellWrite]] = {}
                for title, cells in by_tab.items():
                    if not matched_by_id(title) or landed(before[title], cells, after[title], "ID"):
                        continue
                    cells_, lines = repairs(before[title], cells, after[title], "ID", title, complete[title])
                    for line in lines:
                        self.warn(line)
                    if cells_:
                        fixes[title] = cells_
                if not fixes:
                    return
                if round_ == REPAIR_ROUNDS:
                    self.warn(_("{tabs}: people kept moving rows while syncing; some values may be in the wrong rows: "
                                "run the sync again when the sheet is quiet").format(tabs=", ".join(fixes)))
                    return
                self.stats.extra["repairs"] = self.stats.extra.get("repairs", 0) + 1
                by_tab, before = fixes, {t: after[t] for t in fixes}

    def _write_blocks(self, by_tab: dict[str, list[CellWrite]], before: dict[str, list[list[str]]],
                      ids: dict[str, Any] | None = None, again: bool = True,
                      ) -> tuple[dict[str, list[list[str]]], dict[str, bool]]:
        """One values:batchUpdate of every tab's block: each tab's block as it stands right after the write,
        and whether it shows the tab to its last row.
        A tab renamed meanwhile is written under its new title (found by its sheetId); a grid that rows
        deleted meanwhile made too small for the block is measured again. Either costs one metadata read."""
        ids = ids or {title: self._tabs.get(title, {}).get("sheetId") for title in by_tab}
        data, heights = [], {}
        for title, cells in by_tab.items():
            now = next((t for t, tab in self._tabs.items() if tab["sheetId"] == ids[title]), title)
            rng, values, height = block_range(now, cells, before[title], self._tabs.get(now, {}).get("rowCount", 0))
            data.append({"range": rng, "majorDimension": "ROWS", "values": values})
            heights[title] = height
        body = {"valueInputOption": "RAW", "includeValuesInResponse": True,
                "responseValueRenderOption": "FORMATTED_VALUE", "data": data}
        try:
            reply = self._opened.values_batch_update(body)
        except APIError as exc:
            message = str(exc.error.get("message", ""))
            if not again or exc.response.status_code != 400 or not ("exceeds grid limits" in message
                                                                     or "Unable to parse range" in message):
                raise
            self._open()
            return self._write_blocks(by_tab, before, ids, again=False)
        answers = reply.get("responses", [])
        after = {title: answered_rows(answers[i]) if i < len(answers) else [] for i, title in enumerate(by_tab)}
        # An answer that fills its block to the last row may go on below it (Google trims only empty rows).
        return after, {title: len(rows) < heights[title] for title, rows in after.items()}

    # --- steps ----------------------------------------------------------------------------------------
    @property
    def _opened(self) -> _Spreadsheet:
        """The spreadsheet as the last metadata read saw it; every read and write opens it first."""
        assert self._spreadsheet is not None
        return self._spreadsheet

    def _open(self, params: dict[str, Any] | None = None) -> None:
        """One metadata read (what open_by_key does), keeping the tabs and their grids."""
        self._spreadsheet = _Spreadsheet(self._client.http_client, {"id": self.key}, params)
        self._tabs = {s["properties"]["title"]: {"sheetId": s["properties"]["sheetId"],
                                                  "rowCount": s["properties"].get("gridProperties", {}).get("rowCount", 0),
                                                  "columnCount": s["properties"].get("gridProperties", {}).get("columnCount", 0)}
                      for s in self._spreadsheet.metadata.get("sheets", [])}

    def _existing(self, title: str) -> str | None:
        """The actual title of a tab; Sheets compares tab titles without case."""
        if title in self._tabs:
            return title
        return next((t for t in self._tabs if t.casefold() == title.casefold()), None)

    def _titles_for(self, write: SheetWrite) -> dict[str, str]:
        """CellWrite.tab -> the tab's actual title (new tabs keep theirs)."""
        titles = {}
        for tab in {c.tab for c in write.cells}:
            actual = self._existing(tab) or next((t for t in write.new_tabs if t.casefold() == tab.casefold()), None)
            if actual is None:
                raise ValueError(f"cell written to the tab {tab!r}, which neither exists nor is in new_tabs")
            titles[tab] = actual
        return titles



def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Trailing empty cells and rows dropped, as values:batchGet answers."""
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows
