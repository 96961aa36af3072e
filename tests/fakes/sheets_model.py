"""The state behind the fake Sheets API: spreadsheets, tabs, grids, cells, and the API operations on them.

Transport-free (the HTTP layer is sheets_api.py) and standard library only. Every operation raises
ApiError with the code, status and message the real API uses; batches are atomic.
"""
from __future__ import annotations

import json
import random
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

try:  # package import (tests) or script import (python tests/fakes/sheets_api.py)
    from .a1 import A1Error, Box, column_letters, find_title, format_range, parse_range
    from .sheet_cells import SKIP, Cell, from_input, render
    from .sheets_extras import SheetExtras
except ImportError:  # pragma: no cover - exercised when run as a script
    from a1 import A1Error, Box, column_letters, find_title, format_range, parse_range  # type: ignore
    from sheet_cells import SKIP, Cell, from_input, render  # type: ignore
    from sheets_extras import SheetExtras  # type: ignore

CELL_LIMIT = 10_000_000
STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
          408: "DEADLINE_EXCEEDED", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
          502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: str | None = None, details: list | None = None):
        super().__init__(message)
        self.code, self.message = code, message
        self.status = status or STATUS.get(code, "UNKNOWN")
        self.details = details

    def body(self) -> dict:
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str, details: list | None = None) -> ApiError:
    return ApiError(400, message, details=details)


@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    rows: int = 1000
    cols: int = 26
    hidden: bool = False
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    frozen_rows: int = 0
    protected: list[dict] = field(default_factory=list)
    validations: list[tuple[dict, dict]] = field(default_factory=list)
    developer_metadata: list[dict] = field(default_factory=list)

    def properties(self) -> dict:
        props: dict[str, Any] = {"sheetId": self.sheet_id, "title": self.title, "index": self.index, "sheetType": "GRID",
                                 "gridProperties": {"rowCount": self.rows, "columnCount": self.cols}}
        if self.frozen_rows:
            props["gridProperties"]["frozenRowCount"] = self.frozen_rows
        if self.hidden:
            props["hidden"] = True
        return props

    def clone(self) -> Sheet:
        return replace(self, cells=dict(self.cells), protected=list(self.protected), validations=list(self.validations),
                       developer_metadata=list(self.developer_metadata))  # cells are frozen: a shallow copy is a snapshot

    def resize(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.cells = {k: v for k, v in self.cells.items() if k[0] < rows and k[1] < cols}


class Spreadsheet(SheetExtras):
    def __init__(self, spreadsheet_id: str, title: str = "Untitled spreadsheet", tabs: tuple[str, ...] = ("Sheet1",),
                 shared: bool = True):
        self.id, self.title, self.shared = spreadsheet_id, title, shared
        self.locale, self.time_zone = "en_US", "Etc/GMT"
        self._ids = random.Random(zlib.crc32(spreadsheet_id.encode()))  # deterministic, Google-like sheet ids
        self.sheets: list[Sheet] = []
        for i, name in enumerate(tabs):
            self.sheets.append(Sheet(0 if i == 0 else self._new_id(), name, i))

    # --- lookup ------------------------------------------------------------------------------------
    def _new_id(self) -> int:
        taken = {s.sheet_id for s in getattr(self, "sheets", [])}
        while (candidate := self._ids.randrange(1, 2**31 - 1)) in taken:
            pass
        return candidate

    def sheet(self, title: str) -> Sheet | None:
        found = find_title(title, [s.title for s in self.sheets])
        return next((s for s in self.sheets if s.title == found), None)

    def sheet_by_id(self, sheet_id: Any) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def resolve(self, text: str) -> tuple[Sheet, Box]:
        """A range -> (tab, box; None ends are open)."""
        if not isinstance(text, str) or not text:
            raise bad_request(f"Unable to parse range: {text}")
        try:
            rng = parse_range(text, [s.title for s in self.sheets])
        except A1Error as exc:
            raise bad_request(str(exc)) from None
        if rng.title is None:
            sheet = self.sheets[0]
        else:
            sheet = self.sheet(rng.title)
            if sheet is None:
                raise bad_request(f"Unable to parse range: {text}")
        return sheet, rng.box or Box(0, 0, None, None)

    @staticmethod
    def _check_grid(sheet: Sheet, box: Box, prefix: str = "") -> None:
        if box.r0 >= sheet.rows or box.c0 >= sheet.cols or (box.r1 or 0) >= sheet.rows or (box.c1 or 0) >= sheet.cols:
            shown = format_range(sheet.title, box.clamp(max(box.r0 + 1, sheet.rows), max(box.c0 + 1, sheet.cols)))
            raise bad_request(f"{prefix}Range ({shown}) exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}")

    # --- reads ------------------------------------------------------------------------------------------
    def metadata(self, grid_ranges: list[str] | None = None) -> dict:
        data = self.grid_data(grid_ranges) if grid_ranges else {}

        def sheet_json(s: Sheet) -> dict:
            out = {"properties": s.properties(), **self.sheet_extras(s)}
            if s.sheet_id in data:
                out["data"] = data[s.sheet_id]
            return out
        return {
            "spreadsheetId": self.id,
            "properties": {"title": self.title, "locale": self.locale, "autoRecalc": "ON_CHANGE", "timeZone": self.time_zone,
                           "defaultFormat": {"verticalAlignment": "BOTTOM", "wrapStrategy": "OVERFLOW_CELL"},
                           "spreadsheetTheme": {"primaryFontFamily": "Arial", "themeColors": []}},
            "sheets": [sheet_json(s) for s in sorted(self.sheets, key=lambda s: s.index)],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.id}/edit",
        }

    def get_values(self, text: str, value_option: str = "FORMATTED_VALUE", major: str = "ROWS",
                   datetime_option: str = "SERIAL_NUMBER") -> dict:
        value_option = value_option or "FORMATTED_VALUE"
        major = major or "ROWS"
        datetime_option = datetime_option or "SERIAL_NUMBER"
        for name, given, allowed in (("valueRenderOption", value_option, ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")),
                                     ("majorDimension", major, ("ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED")),
                                     ("dateTimeRenderOption", datetime_option, ("SERIAL_NUMBER", "FORMATTED_STRING"))):
            if given not in allowed:
                raise bad_request(f"Invalid value at '{name}' ({given})")
        major = "ROWS" if major == "DIMENSION_UNSPECIFIED" else major
        sheet, box = self.resolve(text)
        self._check_grid(sheet, box)
        box = box.clamp(sheet.rows, sheet.cols)
        found = {(r, c): render(cell, value_option, datetime_option) for (r, c), cell in sheet.cells.items()
                 if box.r0 <= r <= box.r1 and box.c0 <= c <= box.c1}
        result: dict[str, Any] = {"range": format_range(sheet.title, box), "majorDimension": major}
        values = _trimmed(found, box, major)
        if values:
            result["values"] = values
        return result

    # --- writes -----------------------------------------------------------------------------------------
    @contextmanager
    def atomic(self) -> Iterator[None]:
        """All or nothing, as the API's batches are."""
        saved = ([s.clone() for s in self.sheets], self.title, self.locale, self.time_zone)
        try:
            yield
        except BaseException:
            self.sheets, self.title, self.locale, self.time_zone = saved
            raise

    def update_values(self, text: str, values: Any, input_option: str | None, major: str | None = None,
                      prefix: str = "", field_name: str = "data.values") -> dict:
        return self._write(text, values, input_option, major, prefix, field_name)[0]

    def _write(self, text: str, values: Any, input_option: str | None, major: str | None, prefix: str,
               field_name: str) -> tuple[dict, Sheet, set[int], set[int]]:
        """values.update: (the reply, the tab, the rows and the columns given a value)."""
        user_entered = _input_option(input_option)
        rows = _rows(values, major, field_name)
        sheet, box = self.resolve(text)
        height, width = len(rows), max((len(r) for r in rows), default=0)
        anchor = box.single or (box.r1 is None and box.c1 is None and box.r0 == 0 and box.c0 == 0)
        if not anchor:  # a bounded range: the data must fit in it (an anchor cell or a whole tab only starts it)
            bound = box.clamp(sheet.rows, sheet.cols)
            if height > bound.r1 - bound.r0 + 1:
                raise bad_request(f"{prefix}Requested writing within range [{format_range(sheet.title, bound)}], "
                                  f"but tried writing to row [{box.r0 + height}]")
            if width > bound.c1 - bound.c0 + 1:
                raise bad_request(f"{prefix}Requested writing within range [{format_range(sheet.title, bound)}], "
                                  f"but tried writing to column [{column_letters(box.c0 + width - 1)}]")
        target = Box(box.r0, box.c0, box.r0 + max(height, 1) - 1, box.c0 + max(width, 1) - 1)
        self._check_grid(sheet, target, prefix)
        written, rows_hit, cols_hit = self._put(sheet, box.r0, box.c0, rows, user_entered, prefix, field_name)
        result: dict[str, Any] = {"spreadsheetId": self.id}
        if height and width:
            result.update(updatedRange=format_range(sheet.title, target), updatedRows=len(rows_hit),
                          updatedColumns=len(cols_hit), updatedCells=written)
        else:
            result["updatedRange"] = format_range(sheet.title, Box(box.r0, box.c0, box.r0, box.c0))
        return result, sheet, rows_hit, cols_hit

    def _put(self, sheet: Sheet, r0: int, c0: int, rows: list[list[Any]], user_entered: bool, prefix: str,
             field_name: str) -> tuple[int, set[int], set[int]]:
        """Write rows from (r0, c0): (cells, rows, columns) given a value, as the API counts them (nulls are not)."""
        written, rows_hit, cols_hit = 0, set(), set()
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                try:
                    cell = from_input(value, user_entered)
                except TypeError as exc:
                    raise bad_request(f"{prefix}Invalid value at '{field_name}[{i}]' "
                                      f"(type.googleapis.com/google.protobuf.ListValue), {exc}") from None
                if cell is SKIP:
                    continue
                written += 1
                rows_hit.add(r0 + i)
                cols_hit.add(c0 + j)
                if cell is None:
                    sheet.cells.pop((r0 + i, c0 + j), None)
                else:
                    sheet.cells[(r0 + i, c0 + j)] = cell
        return written, rows_hit, cols_hit

    def append(self, text: str, values: Any, input_option: str | None, insert_data_option: str | None = None,
               major: str | None = None) -> dict:
        user_entered = _input_option(input_option)
        if insert_data_option not in (None, "OVERWRITE", "INSERT_ROWS"):
            raise bad_request(f"Invalid value at 'insert_data_option' ({insert_data_option})")
        rows = _rows(values, major, "data.values")
        sheet, box = self.resolve(text)
        self._check_grid(sheet, box)
        table = _last_table(sheet, box.clamp(sheet.rows, sheet.cols))
        start_r, start_c = (table.r1 + 1, table.c0) if table else (box.r0, box.c0)
        height, width = len(rows), max((len(r) for r in rows), default=0)
        if insert_data_option == "INSERT_ROWS" and height:
            sheet.cells = {((r + height) if r >= start_r else r, c): v for (r, c), v in sheet.cells.items()}
            sheet.rows += height
        # Unlike every other write, append grows the grid to fit.
        sheet.rows = max(sheet.rows, start_r + height)
        sheet.cols = max(sheet.cols, start_c + width)
        self._check_cell_limit()
        written, rows_hit, cols_hit = self._put(sheet, start_r, start_c, rows, user_entered, "", "data.values")
        updates: dict[str, Any] = {"spreadsheetId": self.id}
        if height and width:
            target = Box(start_r, start_c, start_r + height - 1, start_c + width - 1)
            updates.update(updatedRange=format_range(sheet.title, target), updatedRows=len(rows_hit),
                           updatedColumns=len(cols_hit), updatedCells=written)
        result: dict[str, Any] = {"spreadsheetId": self.id}
        if table:
            result["tableRange"] = format_range(sheet.title, table)
        result["updates"] = updates
        return result

    def clear(self, text: str) -> str:
        sheet, box = self.resolve(text)
        self._check_grid(sheet, box)
        box = box.clamp(sheet.rows, sheet.cols)
        sheet.cells = {k: v for k, v in sheet.cells.items() if not (box.r0 <= k[0] <= box.r1 and box.c0 <= k[1] <= box.c1)}
        return format_range(sheet.title, box)

    # --- batches ----------------------------------------------------------------------------------------
    def batch_get(self, ranges: list[str], value_option: str | None = None, major: str | None = None,
                  datetime_option: str | None = None) -> dict:
        result: dict[str, Any] = {"spreadsheetId": self.id}
        if ranges:
            result["valueRanges"] = [self.get_values(r, value_option, major, datetime_option) for r in ranges]
        return result

    def batch_update_values(self, body: Any) -> dict:
        if not isinstance(body, dict):
            raise bad_request("Invalid JSON payload received.")
        data = body.get("data") or []
        if not isinstance(data, list):
            raise bad_request("Invalid value at 'data' (type.googleapis.com/google.apps.sheets.v4.ValueRange)")
        input_option = body.get("valueInputOption")
        _input_option(input_option)
        responses, rows, cols, tabs, cells = [], set(), set(), set(), 0
        with self.atomic():
            for i, item in enumerate(data):
                if not isinstance(item, dict):
                    raise bad_request(f"Invalid data[{i}]: not a ValueRange")
                reply, sheet, rows_hit, cols_hit = self._write(item.get("range"), item.get("values"), input_option,
                                                               item.get("majorDimension"), f"Invalid data[{i}]: ",
                                                               f"data[{i}].values")
                if body.get("includeValuesInResponse"):  # the whole requested range, as it stands after the write
                    reply["updatedData"] = self.get_values(item.get("range"), body.get("responseValueRenderOption"),
                                                           "ROWS", body.get("responseDateTimeRenderOption"))
                responses.append(reply)
                if rows_hit:
                    tabs.add(sheet.sheet_id)
                    rows.update((sheet.sheet_id, r) for r in rows_hit)
                    cols.update((sheet.sheet_id, c) for c in cols_hit)
                    cells += reply["updatedCells"]
        result: dict[str, Any] = {"spreadsheetId": self.id}
        if responses:
            result.update(totalUpdatedRows=len(rows), totalUpdatedColumns=len(cols), totalUpdatedCells=cells,
                          totalUpdatedSheets=len(tabs), responses=responses)
        return result

    def batch_clear(self, body: Any) -> dict:
        ranges = body.get("ranges") if isinstance(body, dict) else None
        if not isinstance(ranges, list):
            raise bad_request("Invalid value at 'ranges'")
        with self.atomic():
            cleared = [self.clear(r) for r in ranges]
        return {"spreadsheetId": self.id, "clearedRanges": cleared}

    def batch_update(self, body: Any) -> dict:
        """spreadsheets:batchUpdate: the structural requests a sync needs, all or nothing."""
        requests = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(requests, list):
            raise bad_request("Invalid JSON payload received. Expected 'requests' to be a list.")
        replies = []
        with self.atomic():
            for i, request in enumerate(requests):
                if not isinstance(request, dict) or len(request) != 1:
                    raise bad_request(f"Invalid requests[{i}]: exactly one kind of request must be set.")
                (kind, args), = request.items()
                handler = getattr(self, f"_req_{kind}", None)
                if handler is None:
                    raise bad_request(f"Invalid requests[{i}]: {kind} is not supported by the fake Sheets API.")
                replies.append(handler(args if isinstance(args, dict) else {}, f"Invalid requests[{i}].{kind}: "))
            self._check_cell_limit()
        return {"spreadsheetId": self.id, "replies": replies}

    def _check_cell_limit(self) -> None:
        if sum(s.rows * s.cols for s in self.sheets) > CELL_LIMIT:
            raise bad_request("This action would increase the number of cells in the workbook above the limit of "
                              f"{CELL_LIMIT} cells.")

    def _sheet_arg(self, sheet_id: Any, prefix: str) -> Sheet:
        sheet = self.sheet_by_id(sheet_id if sheet_id is not None else 0)
        if sheet is None:
            raise bad_request(f"{prefix}No grid with id: {sheet_id}")
        return sheet

    def _reindex(self, moved: Sheet | None = None, index: int | None = None) -> None:
        order = sorted((s for s in self.sheets if s is not moved), key=lambda s: s.index)
        if moved is not None:
            order.insert(max(0, min(index if index is not None else len(order), len(order))), moved)
        for i, s in enumerate(order):
            s.index = i
        self.sheets = order

    def _req_addSheet(self, args: dict, prefix: str) -> dict:
        props = args.get("properties") or {}
        title = props.get("title")
        if not title:
            n = len(self.sheets) + 1
            while self.sheet(f"Sheet{n}"):
                n += 1
            title = f"Sheet{n}"
        if self.sheet(title) is not None:
            raise bad_request(f'{prefix}A sheet with the name "{title}" already exists. Please enter another name.')
        sheet_id = props.get("sheetId")
        if sheet_id is not None and self.sheet_by_id(sheet_id) is not None:
            raise bad_request(f"{prefix}Sheet with ID {sheet_id} already exists.")
        grid = props.get("gridProperties") or {}
        rows, cols = grid.get("rowCount", 1000), grid.get("columnCount", 26)
        if not (isinstance(rows, int) and isinstance(cols, int) and rows >= 1 and cols >= 1):
            raise bad_request(f"{prefix}rowCount and columnCount must be at least 1.")
        sheet = Sheet(self._new_id() if sheet_id is None else sheet_id, title, 0, rows, cols, bool(props.get("hidden")))
        self._reindex(sheet, props.get("index"))
        return {"addSheet": {"properties": sheet.properties()}}

    def _req_deleteSheet(self, args: dict, prefix: str) -> dict:
        sheet = self.sheet_by_id(args.get("sheetId"))
        if sheet is None:
            raise bad_request(f"{prefix}No sheet with id: {args.get('sheetId')}")
        if len(self.sheets) == 1:
            raise bad_request(f"{prefix}You can't remove all the sheets in a document.")
        self.sheets.remove(sheet)
        self._reindex()
        return {}

    def _req_updateSheetProperties(self, args: dict, prefix: str) -> dict:
        props = args.get("properties") or {}
        fields = args.get("fields") or ""
        if not fields:
            raise bad_request(f"{prefix}At least one field must be updated, but none were specified.")
        sheet = self._sheet_arg(props.get("sheetId"), prefix)
        grid = props.get("gridProperties") or {}
        # Field masks name sub-fields with '.' (the documented form) or '/' (what gspread sends); both work.
        paths = (["title", "index", "hidden", "gridProperties"] if fields == "*"
                 else [f.strip().replace(".", "/") for f in fields.split(",")])
        for path in paths:
            if path == "title" and "title" in props:
                other = self.sheet(props["title"])
                if other is not None and other is not sheet:
                    raise bad_request(f'{prefix}A sheet with the name "{props["title"]}" already exists. '
                                      "Please enter another name.")
                sheet.title = props["title"]
            elif path == "index" and "index" in props:
                self._reindex(sheet, props["index"])
            elif path == "hidden":
                if props.get("hidden") and all(s.hidden or s is sheet for s in self.sheets):
                    raise bad_request(f"{prefix}You can't hide all the sheets in a document.")
                sheet.hidden = bool(props.get("hidden"))
            elif path in ("gridProperties", "gridProperties/rowCount", "gridProperties/columnCount"):
                if path == "gridProperties" and "frozenRowCount" in grid:
                    sheet.frozen_rows = int(grid["frozenRowCount"] or 0)
                rows = grid.get("rowCount", sheet.rows) if path != "gridProperties/columnCount" else sheet.rows
                cols = grid.get("columnCount", sheet.cols) if path != "gridProperties/rowCount" else sheet.cols
                if not (isinstance(rows, int) and isinstance(cols, int) and rows >= 1 and cols >= 1):
                    raise bad_request(f"{prefix}rowCount and columnCount must be at least 1.")
                sheet.resize(rows, cols)
            elif path == "gridProperties/frozenRowCount":
                sheet.frozen_rows = int(grid.get("frozenRowCount") or 0)
            # Other properties (tab colour, ...) are accepted and not modelled.
        return {}

    def _req_appendDimension(self, args: dict, prefix: str) -> dict:
        sheet = self._sheet_arg(args.get("sheetId"), prefix)
        length, dimension = args.get("length"), args.get("dimension")
        if not isinstance(length, int) or length < 1 or dimension not in ("ROWS", "COLUMNS"):
            raise bad_request(f"{prefix}length must be positive and dimension ROWS or COLUMNS.")
        if dimension == "ROWS":
            sheet.rows += length
        else:
            sheet.cols += length
        return {}

    def _req_insertDimension(self, args: dict, prefix: str) -> dict:
        return self._shift(args.get("range") or {}, prefix, insert=True)

    def _req_deleteDimension(self, args: dict, prefix: str) -> dict:
        return self._shift(args.get("range") or {}, prefix, insert=False)

    def _shift(self, rng: dict, prefix: str, insert: bool) -> dict:
        sheet = self._sheet_arg(rng.get("sheetId"), prefix)
        rows = rng.get("dimension") == "ROWS"
        start, end = rng.get("startIndex", 0), rng.get("endIndex")
        size = sheet.rows if rows else sheet.cols
        if not isinstance(end, int) or not 0 <= start < end or (not insert and end > size):
            raise bad_request(f"{prefix}Invalid dimension range.")
        n = end - start
        moved = {}
        for (r, c), cell in sheet.cells.items():
            pos = r if rows else c
            if not insert and start <= pos < end:
                continue
            if pos >= (start if insert else end):
                pos = pos + n if insert else pos - n
            moved[(pos, c) if rows else (r, pos)] = cell
        sheet.cells = moved
        if rows:
            sheet.rows += n if insert else -n
        else:
            sheet.cols += n if insert else -n
        return {}

    def _req_updateSpreadsheetProperties(self, args: dict, prefix: str) -> dict:
        props, fields = args.get("properties") or {}, args.get("fields") or ""
        for path in (["title", "locale", "timeZone"] if fields == "*" else [f.strip() for f in fields.split(",")]):
            if path == "title" and props.get("title"):
                self.title = props["title"]
            elif path == "locale" and props.get("locale"):
                self.locale = props["locale"]
            elif path == "timeZone" and props.get("timeZone"):
                self.time_zone = props["timeZone"]
        return {}


def _input_option(option: str | None) -> bool:
    """True for USER_ENTERED, False for RAW."""
    if option is None:
        raise bad_request("'valueInputOption' is required but not specified")
    if option not in ("RAW", "USER_ENTERED"):
        raise bad_request(f"Invalid valueInputOption: {option}")
    return option == "USER_ENTERED"


def _rows(values: Any, major: str | None, field_name: str) -> list[list[Any]]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        shown = json.dumps(values, ensure_ascii=False)
        message = f"Invalid value at '{field_name}' (type.googleapis.com/google.protobuf.ListValue), {shown}"
        raise bad_request(message, details=[{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                             "fieldViolations": [{"field": field_name, "description": message}]}])
    if major == "COLUMNS":
        height = max((len(col) for col in values), default=0)
        return [[col[i] if i < len(col) else None for col in values] for i in range(height)]
    return values


def _trimmed(found: dict[tuple[int, int], Any], box: Box, major: str) -> list[list[Any]]:
    """As the API answers: trailing empty cells and rows dropped, inner empty rows as []."""
    lines: dict[int, dict[int, Any]] = {}
    for (r, c), value in found.items():
        i, j = (c - box.c0, r - box.r0) if major == "COLUMNS" else (r - box.r0, c - box.c0)
        lines.setdefault(i, {})[j] = value
    if not lines:
        return []
    out = []
    for i in range(max(lines) + 1):
        line = lines.get(i, {})
        out.append([line.get(j, "") for j in range(max(line) + 1)] if line else [])
    return out


def _last_table(sheet: Sheet, box: Box) -> Box | None:
    """The 'table' values:append appends after: the last block of touching non-empty cells in the range."""
    filled = {k for k in sheet.cells if box.r0 <= k[0] <= box.r1 and box.c0 <= k[1] <= box.c1}
    best: Box | None = None
    while filled:
        todo, block = [filled.pop()], []
        while todo:
            r, c = todo.pop()
            block.append((r, c))
            for near in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if near in filled:
                    filled.remove(near)
                    todo.append(near)
        found = Box(min(r for r, _ in block), min(c for _, c in block), max(r for r, _ in block), max(c for _, c in block))
        if best is None or (found.r1, found.c0) > (best.r1, best.c0):
            best = found
    return best


Spreadsheet._bad = staticmethod(bad_request)
