"""What the fake Sheets API models beyond values and grids: sortRange, moveDimension, protected ranges, data validation,
sheet-level developer metadata, frozen rows, and spreadsheets.get with includeGridData for given ranges.

Shapes follow the API reference (developers.google.com/sheets/api/reference/rest/v4/spreadsheets):
ProtectedRange {protectedRangeId, range, description, warningOnly}, DeveloperMetadata {metadataId,
metadataKey, metadataValue, location {locationType: SHEET, sheetId}, visibility}, GridData {startRow,
startColumn, rowData [{values [CellData {formattedValue, dataValidation}]}]}. A mixin of Spreadsheet.
"""
from __future__ import annotations

from typing import Any

try:
    from .sheet_cells import render
except ImportError:  # pragma: no cover - script import
    from sheet_cells import render  # type: ignore


def _sort_key(value: Any) -> tuple:
    """Sheets sorts numbers before text, text case-insensitively, empty cells last."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold())


class SheetExtras:
    def _req_sortRange(self, args: dict, prefix: str) -> dict:
        rng = args.get("range") or {}
        sheet = self._sheet_arg(rng.get("sheetId"), prefix)
        r0, r1 = rng.get("startRowIndex", 0), rng.get("endRowIndex", sheet.rows)
        specs = args.get("sortSpecs") or []
        if not specs or not 0 <= r0 <= r1 <= sheet.rows:
            raise self._bad(f"{prefix}Invalid sort range or no sortSpecs.")
        rows = list(range(r0, r1))
        for spec in reversed(specs):
            col, descending = spec.get("dimensionIndex", 0), spec.get("sortOrder") == "DESCENDING"
            def key(r, col=col):
                return _sort_key(sheet.cells[(r, col)].value if (r, col) in sheet.cells else None)
            filled = [r for r in rows if key(r)[0] < 2]
            empty = [r for r in rows if key(r)[0] == 2]
            rows = sorted(filled, key=key, reverse=descending) + empty  # empty cells stay last either way
        moved = {}
        for new, old in zip(range(r0, r1), rows):
            for (r, c), cell in sheet.cells.items():
                if r == old:
                    moved[(new, c)] = cell
        sheet.cells = {k: v for k, v in sheet.cells.items() if not r0 <= k[0] < r1} | moved
        return {}

    def _req_moveDimension(self, args: dict, prefix: str) -> dict:
        """Rows or columns [start, end) moved so that they sit before `destinationIndex` (pre-move coordinates)."""
        source = args.get("source") or {}
        sheet = self._sheet_arg(source.get("sheetId"), prefix)
        rows = source.get("dimension") == "ROWS"
        start, end, to = source.get("startIndex", 0), source.get("endIndex"), args.get("destinationIndex")
        size = sheet.rows if rows else sheet.cols
        if not isinstance(end, int) or not isinstance(to, int) or not 0 <= start < end <= size or not 0 <= to <= size:
            raise self._bad(f"{prefix}Invalid dimension range or destinationIndex.")
        order = list(range(size))
        block = order[start:end]
        rest = order[:start] + order[end:]
        at = to if to <= start else to - (end - start)
        order = rest[:at] + block + rest[at:]
        new_of = {old: new for new, old in enumerate(order)}
        sheet.cells = {((new_of[r], c) if rows else (r, new_of[c])): cell for (r, c), cell in sheet.cells.items()}
        return {}

    def _req_addProtectedRange(self, args: dict, prefix: str) -> dict:
        given = dict(args.get("protectedRange") or {})
        sheet = self._sheet_arg((given.get("range") or {}).get("sheetId"), prefix)
        if given.get("warningOnly") and given.get("editors"):
            raise self._bad(f"{prefix}Cannot set editors on a warning-only protected range.")
        self._next_extra_id = getattr(self, "_next_extra_id", 1000) + 1
        given["protectedRangeId"] = self._next_extra_id
        sheet.protected.append(given)
        return {"addProtectedRange": {"protectedRange": given}}

    def _req_setDataValidation(self, args: dict, prefix: str) -> dict:
        rng = args.get("range") or {}
        sheet = self._sheet_arg(rng.get("sheetId"), prefix)
        condition = (args.get("rule") or {}).get("condition") or {}
        if condition.get("type") == "ONE_OF_LIST" and not condition.get("values"):
            raise self._bad(f"{prefix}Invalid ConditionValue: ONE_OF_LIST needs at least one value.")
        sheet.validations = [v for v in sheet.validations if v[0] != rng] + [(rng, args.get("rule"))]
        return {}

    def _req_createDeveloperMetadata(self, args: dict, prefix: str) -> dict:
        meta = dict(args.get("developerMetadata") or {})
        location = meta.get("location") or {}
        if "sheetId" not in location or meta.get("visibility") not in ("DOCUMENT", "PROJECT"):
            raise self._bad(f"{prefix}This fake models sheet-level developer metadata with a visibility only.")
        sheet = self._sheet_arg(location["sheetId"], prefix)
        self._next_extra_id = getattr(self, "_next_extra_id", 1000) + 1
        meta.update(metadataId=self._next_extra_id, location={"locationType": "SHEET", "sheetId": sheet.sheet_id})
        sheet.developer_metadata.append(meta)
        return {"createDeveloperMetadata": {"developerMetadata": meta}}

    def validation_at(self, title: str, row: int, col: int) -> dict | None:
        sheet = self.sheet(title)
        for rng, rule in reversed(sheet.validations):
            if (rng.get("startRowIndex", 0) <= row < rng.get("endRowIndex", sheet.rows)
                    and rng.get("startColumnIndex", 0) <= col < rng.get("endColumnIndex", sheet.cols)):
                return rule
        return None

    def sheet_extras(self, sheet: Any) -> dict:
        out: dict[str, Any] = {}
        if sheet.protected:
            out["protectedRanges"] = [dict(p) for p in sheet.protected]
        if sheet.developer_metadata:
            out["developerMetadata"] = [dict(m) for m in sheet.developer_metadata]
        return out

    def grid_data(self, ranges: list[str]) -> dict[int, list[dict]]:
        """sheetId -> GridData for the ranges asked (includeGridData=true)."""
        out: dict[int, list[dict]] = {}
        for text in ranges:
            sheet, box = self.resolve(text)
            box = box.clamp(sheet.rows, sheet.cols)
            rows = []
            last = max((r for (r, c) in sheet.cells if box.r0 <= r <= box.r1 and box.c0 <= c <= box.c1), default=box.r0 - 1)
            for r in range(box.r0, last + 1):
                cols = [c for (rr, c) in sheet.cells if rr == r and box.c0 <= c <= box.c1]
                values = []
                for c in range(box.c0, max(cols, default=box.c0 - 1) + 1):
                    cell = sheet.cells.get((r, c))
                    data = {} if cell is None else {"formattedValue": render(cell, "FORMATTED_VALUE", "SERIAL_NUMBER")}
                    rule = self.validation_at(sheet.title, r, c)
                    if rule is not None:  # CellData.dataValidation: where a rule shows in the API
                        data["dataValidation"] = rule
                    values.append(data)
                rows.append({"values": values} if values else {})
            out.setdefault(sheet.sheet_id, []).append({"startRow": box.r0, "startColumn": box.c0, "rowData": rows})
        return out


def parse_fields(mask: str) -> dict:
    """A partial-response field mask ("a.b,c(d,e.f)") as a tree: {"a": {"b": {}}, "c": {"d": {}, "e": {"f": {}}}};
    an empty dict means the whole field. '/' and '.' both separate sub-fields, as Google accepts."""
    tree: dict = {}
    stack, path, name = [tree], [tree], ""

    def close_name() -> None:
        nonlocal name
        node = path[-1]
        for part in filter(None, name.replace("/", ".").split(".")):
            node = node.setdefault(part, {})
        path[-1] = node
        name = ""
    for ch in mask.replace(" ", ""):
        if ch == "(":
            close_name()
            stack.append(path[-1])
            path.append(path[-1])
        elif ch == ")":
            close_name()
            path.pop()
            stack.pop()
            path[-1] = stack[-1]
        elif ch == ",":
            close_name()
            path[-1] = stack[-1]
        else:
            name += ch
    close_name()
    return tree


def select_fields(value: Any, tree: dict) -> Any:
    """Only the fields the mask names (lists are filtered item by item)."""
    if not tree:
        return value
    if isinstance(value, list):
        return [select_fields(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: select_fields(v, tree[k]) for k, v in value.items() if k in tree}
